"""The public job listing (search and filters, one query a page) and the public vacancy page.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from flask import current_app
from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import joinedload

from marketplace.core.timeutil import jakarta_today
from marketplace.extensions import db
from marketplace.jobs import search as fts
from marketplace.jobs.models import (
    EmploymentType,
    Firm,
    FirmStatus,
    Vacancy,
    VacancyStatus,
)
from marketplace.jobs.vacancies import MAX_SALARY_IDR, normalise_skills


def public_filter(today):
    """What the public sees: open, not suspended, not past its closing date, of an approved firm."""
    return and_(Vacancy.status == VacancyStatus.OPEN.value, Vacancy.suspended_at.is_(None),
                Vacancy.closes_on >= today, Firm.status == FirmStatus.APPROVED.value)


@dataclass(frozen=True)
class Browse:
    query: str = ""
    city: str = ""
    employment_type: str = ""
    skill: str = ""
    min_salary: int | None = None
    remote: bool = False
    page: int = 1
    per_page: int = 20


class VacancyCard(NamedTuple):
    id: int
    slug: str
    title: str
    city: str
    remote: bool
    employment_type: str
    salary_min_idr: int | None
    salary_max_idr: int | None
    closes_on: date
    firm_name: str


@dataclass
class Page:
    items: list[VacancyCard] = field(default_factory=list)
    page: int = 1
    has_next: bool = False

    @property
    def has_prev(self) -> bool:
        return self.page > 1


MAX_PAGE = 400


def browse(b: Browse) -> Page:
    """One page of open vacancies in one query: newest first, or best match first when searching."""
    page = min(max(b.page, 1), MAX_PAGE)
    words = fts.tokens(b.query)
    dialect = db.engine.dialect.name
    skill = normalise_skills(b.skill).split(",")[0] if b.skill else ""
    etype = b.employment_type if b.employment_type in {t.value for t in EmploymentType} else ""
    shape = (dialect, bool(words), bool(b.city.strip()), bool(etype), bool(skill), b.min_salary is not None,
             bool(b.remote))
    params = {"today": jakarta_today(), "match": fts.match_text(dialect, words),
              "city": b.city.replace("\x00", "").strip().lower()[:80], "etype": etype,
              "skill": f"%,{skill},%", "min_salary": min(b.min_salary, MAX_SALARY_IDR + 1) if b.min_salary else 0,
              "limit": b.per_page + 1, "offset": (page - 1) * b.per_page}
    rows = db.session.execute(_browse_statement(*shape), params).all()
    cards = [VacancyCard._make(r) for r in rows]
    return Page(cards[: b.per_page], page, len(cards) > b.per_page)


@functools.cache
def _browse_statement(dialect: str, searching: bool, by_city: bool, by_type: bool, by_skill: bool,
                      by_salary: bool, remote: bool) -> Select:
    """Built once per combination of filters, the values bound (as the catalog's browse). A deferred
    join: the ids are paged first, then only the page's rows are read with their firm."""
    ids = select(Vacancy.id).join(Vacancy.firm).where(public_filter(bindparam("today")))
    if by_city:
        ids = ids.where(or_(func.lower(Vacancy.city) == bindparam("city"), Vacancy.remote.is_(True)))
    if remote:
        ids = ids.where(Vacancy.remote.is_(True))
    if by_type:
        ids = ids.where(Vacancy.employment_type == bindparam("etype"))
    if by_skill:
        ids = ids.where(("," + Vacancy.skills + ",").like(bindparam("skill")))
    if by_salary:
        # A vacancy qualifies if what it may pay reaches the wish; one without a salary is left out.
        ids = ids.where(func.coalesce(Vacancy.salary_max_idr, Vacancy.salary_min_idr) >= bindparam("min_salary"))
    order = [Vacancy.published_at.desc(), Vacancy.id.desc()]
    if searching:
        target, key, condition, rank = fts.match_clause(dialect, bindparam("match"))
        ids = ids.join(target, key == Vacancy.id).where(condition)
        ids = ids.add_columns(rank.label("sort_0"), Vacancy.id.label("sort_1"))
        order_keys = ("sort_0", "sort_1")
        directions = (False, True)
        ids = ids.order_by(rank, Vacancy.id.desc())
    else:
        ids = ids.add_columns(Vacancy.published_at.label("sort_0"), Vacancy.id.label("sort_1"))
        order_keys = ("sort_0", "sort_1")
        directions = (True, True)
        ids = ids.order_by(*order)
    paged = ids.limit(bindparam("limit")).offset(bindparam("offset")).subquery("page_ids")
    outer_order = [paged.c[k].desc() if d else paged.c[k].asc() for k, d in zip(order_keys, directions, strict=True)]
    return (select(Vacancy.id, Vacancy.slug, Vacancy.title, Vacancy.city, Vacancy.remote, Vacancy.employment_type,
                   Vacancy.salary_min_idr, Vacancy.salary_max_idr, Vacancy.closes_on, Firm.legal_name)
            .select_from(paged).join(Vacancy, Vacancy.id == paged.c.id).join(Vacancy.firm).order_by(*outer_order))


CITIES_CACHE_SECONDS = 60


def listing_cities() -> list[str]:
    """The cities of open vacancies, for the listing's filter. Grouping every open vacancy cost more than the
    page's own query, so each worker keeps the list for a minute: a new city shows in the menu a little late,
    while the listing itself is always live."""
    cache = current_app.extensions.setdefault("jobs_cities", {})
    today = jakarta_today()
    hit = cache.get(today)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    cities = list(db.session.execute(
        select(Vacancy.city).join(Vacancy.firm).where(public_filter(today), Vacancy.city != "")
        .group_by(Vacancy.city).order_by(Vacancy.city)).scalars())
    cache.clear()
    cache[today] = (time.monotonic() + int(current_app.config.get("JOBS_CITIES_CACHE_SECONDS",
                                                                   CITIES_CACHE_SECONDS)), cities)
    return cities


def public_vacancy(vacancy_id: int) -> Vacancy | None:
    """An open, visible vacancy with its firm (one query), or None: 404 for the public."""
    return db.session.execute(
        select(Vacancy).join(Vacancy.firm).where(Vacancy.id == vacancy_id, public_filter(jakarta_today()))
        .options(joinedload(Vacancy.firm))).scalar_one_or_none()
