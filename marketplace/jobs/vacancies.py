"""A firm's vacancies (draft, open, closed, filled), their closing by date, and staff suspending them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from slugify import slugify
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from marketplace.accounts.models import User
from marketplace.core import audit
from marketplace.core.policy import (
    may_moderate_jobs,
    member_of_firm,
)
from marketplace.core.timeutil import jakarta_today, utcnow
from marketplace.core.transactions import transactional
from marketplace.extensions import db
from marketplace.jobs.errors import InvalidInput, JobsError, NotFound
from marketplace.jobs.firms import acting_firm
from marketplace.jobs.models import (
    Application,
    EmploymentType,
    Firm,
    FirmStatus,
    Vacancy,
    VacancyStatus,
)

MAX_SALARY_IDR = 1_000_000_000
MAX_OPENINGS = 500
MAX_SKILLS = 15
MAX_CLOSING_DAYS = 366


@dataclass(frozen=True)
class VacancyData:
    title: str
    employment_type: str
    closes_on: date
    description: str = ""
    city: str = ""
    remote: bool = False
    salary_min_idr: int | None = None
    salary_max_idr: int | None = None
    skills: str = ""
    openings: int = 1


def normalise_skills(raw: str | None) -> str:
    """'Las, Kasir ,  excel' -> 'las,kasir,excel' (lowercase, no duplicates, at most MAX_SKILLS)."""
    seen: list[str] = []
    for part in (raw or "").replace("\x00", "").split(","):
        skill = " ".join(part.split()).lower()[:40]
        if skill and skill not in seen:
            seen.append(skill)
    return ",".join(seen[:MAX_SKILLS])[:400].rstrip(",")


def check_vacancy(data: VacancyData, today: date | None = None) -> None:
    today = today or jakarta_today()
    if data.employment_type not in {t.value for t in EmploymentType}:
        raise InvalidInput("employment_type")
    for amount in (data.salary_min_idr, data.salary_max_idr):
        if amount is not None and not 0 <= amount <= MAX_SALARY_IDR:
            raise InvalidInput("salary")
    if (data.salary_min_idr is not None and data.salary_max_idr is not None
            and data.salary_max_idr < data.salary_min_idr):
        raise InvalidInput("salary_range")
    if not 1 <= data.openings <= MAX_OPENINGS:
        raise InvalidInput("openings")
    if data.closes_on < today or data.closes_on > today + timedelta(days=MAX_CLOSING_DAYS):
        raise InvalidInput("closes_on")
    if not data.remote and not data.city.strip():
        raise InvalidInput("city")


def _apply_vacancy(vacancy: Vacancy, data: VacancyData) -> None:
    vacancy.title = data.title.strip()
    vacancy.slug = slugify(vacancy.title, max_length=100, word_boundary=True) or "lowongan"
    vacancy.description = data.description.strip()
    vacancy.city = data.city.strip()
    vacancy.remote = bool(data.remote)
    vacancy.employment_type = data.employment_type
    vacancy.salary_min_idr = data.salary_min_idr
    vacancy.salary_max_idr = data.salary_max_idr
    vacancy.skills = normalise_skills(data.skills)
    vacancy.openings = data.openings
    vacancy.closes_on = data.closes_on


@transactional
def create_vacancy(actor: User, data: VacancyData) -> Vacancy:
    """A draft vacancy of the actor's firm (any member; a suspended firm cannot post). Commits."""
    firm = acting_firm(actor)
    if firm.status == FirmStatus.SUSPENDED.value:
        raise JobsError("firm_suspended")
    check_vacancy(data)
    vacancy = Vacancy(firm_id=firm.id, status=VacancyStatus.DRAFT.value)
    _apply_vacancy(vacancy, data)
    db.session.add(vacancy)
    db.session.flush()
    audit.record(actor.id, "vacancy.create", "vacancy", vacancy.id)
    return vacancy


def firm_vacancy(actor: User, vacancy_id: int) -> Vacancy:
    vacancy = db.session.execute(select(Vacancy).where(Vacancy.id == vacancy_id)
                                 .options(joinedload(Vacancy.firm).selectinload(Firm.members))).scalar_one_or_none()
    if vacancy is None or not member_of_firm(actor, vacancy.firm):
        raise NotFound()
    return vacancy


@transactional
def update_vacancy(actor: User, vacancy_id: int, data: VacancyData) -> Vacancy:
    vacancy = firm_vacancy(actor, vacancy_id)
    if vacancy.firm.status == FirmStatus.SUSPENDED.value:
        raise JobsError("firm_suspended")
    check_vacancy(data)
    _apply_vacancy(vacancy, data)
    audit.record(actor.id, "vacancy.update", "vacancy", vacancy.id)
    return vacancy


@transactional
def set_vacancy_status(actor: User, vacancy_id: int, status: str) -> Vacancy:
    """Publish, close, mark filled or reopen. Publishing needs an approved firm, a closing date still
    to come and no suspension. Commits."""
    vacancy = firm_vacancy(actor, vacancy_id)
    if status not in {s.value for s in VacancyStatus}:
        raise InvalidInput("status")
    if status == VacancyStatus.OPEN.value:
        if vacancy.firm.status == FirmStatus.SUSPENDED.value:
            raise JobsError("firm_suspended")
        if not vacancy.firm.may_publish:
            raise JobsError("firm_not_approved")
        if vacancy.suspended_at is not None:
            raise JobsError("vacancy_suspended")
        if vacancy.closes_on < jakarta_today():
            raise InvalidInput("closes_on")
        if vacancy.published_at is None:
            vacancy.published_at = utcnow()
    vacancy.status = status
    audit.record(actor.id, f"vacancy.{status}", "vacancy", vacancy.id)
    return vacancy


class VacancyRow(NamedTuple):
    """A firm's vacancy with its number of applications by stage."""

    vacancy: Vacancy
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def firm_vacancies(firm: Firm) -> list[VacancyRow]:
    vacancies = db.session.execute(select(Vacancy).where(Vacancy.firm_id == firm.id)
                                   .order_by(Vacancy.created_at.desc(), Vacancy.id.desc())).scalars().all()
    counts: dict[int, dict[str, int]] = {v.id: {} for v in vacancies}
    for vacancy_id, stage, n in db.session.execute(
            select(Application.vacancy_id, Application.stage, func.count()).join(Application.vacancy)
            .where(Vacancy.firm_id == firm.id).group_by(Application.vacancy_id, Application.stage)):
        counts[vacancy_id][stage] = n
    return [VacancyRow(v, counts[v.id]) for v in vacancies]


@transactional
def close_expired(today: date | None = None) -> int:
    """Close open vacancies whose closing date has passed (Jakarta's date). One conditional UPDATE:
    safe to run twice, or twice at once."""
    today = today or jakarta_today()
    result = db.session.execute(
        update(Vacancy).where(Vacancy.status == VacancyStatus.OPEN.value, Vacancy.closes_on < today)
        .values(status=VacancyStatus.CLOSED.value, updated_at=utcnow()).execution_options(synchronize_session=False))
    return result.rowcount or 0


@transactional
def suspend_vacancy(actor: User, vacancy_id: int, reason: str) -> Vacancy:
    if not may_moderate_jobs(actor):
        raise NotFound()
    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFound()
    if not (reason or "").strip():
        raise InvalidInput("reason")
    vacancy.suspended_at = utcnow()
    vacancy.suspended_reason = reason.strip()
    audit.record(actor.id, "vacancy.suspend", "vacancy", vacancy.id, detail=reason.strip())
    return vacancy


@transactional
def reinstate_vacancy(actor: User, vacancy_id: int) -> Vacancy:
    if not may_moderate_jobs(actor):
        raise NotFound()
    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFound()
    vacancy.suspended_at = None
    vacancy.suspended_reason = None
    audit.record(actor.id, "vacancy.reinstate", "vacancy", vacancy.id)
    return vacancy


def vacancies_for_staff(actor: User, limit: int = 200) -> list[Vacancy]:
    if not may_moderate_jobs(actor):
        raise NotFound()
    return list(db.session.execute(
        select(Vacancy).options(joinedload(Vacancy.firm))
        .where(Vacancy.status != VacancyStatus.DRAFT.value)
        .order_by(Vacancy.created_at.desc(), Vacancy.id.desc()).limit(limit)).scalars())
