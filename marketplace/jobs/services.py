"""The job board's rules: firms and their members, vacancies, work profiles, applications, the pipeline.

Functions take the acting user and plain values, check who may do what (``policy`` object checks),
commit their own transaction and raise a ``JobsError`` the view turns into a message. Anything of
another firm, or another person's application, raises ``NotFound``: ids in URLs cannot be probed.
"""
from __future__ import annotations

import functools
import hashlib
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from slugify import slugify
from sqlalchemy import Select, and_, bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from marketplace.accounts import services as accounts
from marketplace.accounts import tokens
from marketplace.accounts.models import Role, User
from marketplace.catalog import queries as storefronts
from marketplace.core import audit
from marketplace.core.ids import MAX_ID
from marketplace.core.phone import indonesian_e164
from marketplace.core.policy import (
    applicant_of,
    firm_reads_application,
    may_moderate_jobs,
    member_of_firm,
    owner_of_firm,
)
from marketplace.core.timeutil import as_utc, utcnow
from marketplace.extensions import db
from marketplace.jobs import search as fts
from marketplace.jobs.errors import CVRejected, InvalidInput, JobsError, NotFound
from marketplace.jobs.models import (
    FINAL_STAGES,
    Application,
    ApplicationEvent,
    ApplicationNote,
    EmploymentType,
    Firm,
    FirmInvitation,
    FirmMember,
    FirmStatus,
    MemberRole,
    Stage,
    Vacancy,
    VacancyStatus,
    WorkProfile,
)
from marketplace.notifications.services import Attachment, send_email
from marketplace.storage import get_storage

JAKARTA = ZoneInfo("Asia/Jakarta")
MAX_SALARY_IDR = 1_000_000_000
MAX_OPENINGS = 500
MAX_SKILLS = 15
MAX_CLOSING_DAYS = 366
INVITATION_DAYS = 7
FIRM_INVITATION = "firm-invitation"
APPLY_PREVIEW = "apply-preview"
DIGEST_OFF = "jobs-digest-off"
PIPELINE_MOVES = (Stage.SCREENING.value, Stage.INTERVIEW.value, Stage.OFFER.value, Stage.HIRED.value,
                  Stage.NOT_SELECTED.value)
BULK_MOVES = (Stage.SCREENING.value, Stage.OFFER.value, Stage.NOT_SELECTED.value)
_NIB = re.compile(r"^\d{13}$")


def jakarta_today() -> date:
    return utcnow().astimezone(JAKARTA).date()


# Firms --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirmData:
    legal_name: str
    nib: str
    sector: str
    city: str
    contact_name: str
    contact_phone: str = ""
    pledge: bool = False


def firm_of(user: User) -> Firm | None:
    """The firm the partner acts for now, with its members loaded (None once removed)."""
    if not user.is_authenticated:
        return None
    return db.session.execute(
        select(Firm).join(FirmMember, FirmMember.firm_id == Firm.id).where(FirmMember.user_id == user.id)
        .options(selectinload(Firm.members))
    ).scalar_one_or_none()


def _unique_firm_slug(name: str, exclude_id: int | None) -> str:
    base = slugify(name, max_length=80, word_boundary=True) or "mitra"
    slug, n = base, 1
    while db.session.execute(select(Firm.id).where(Firm.slug == slug, Firm.id != (exclude_id or 0))).first():
        n += 1
        slug = f"{base}-{n}"
    return slug


def save_firm(user: User, data: FirmData) -> Firm:
    """Create the partner's firm (sent to staff for approval) or update it; a rejected firm that is
    corrected goes back to the staff. Only the owner edits. Commits."""
    if user.role != Role.PARTNER.value or not user.is_approved:
        raise NotFound()
    nib = re.sub(r"[\s.-]", "", data.nib or "")
    if not _NIB.match(nib):
        raise InvalidInput("nib")
    if not data.pledge:
        raise InvalidInput("pledge")
    phone = None
    if (data.contact_phone or "").strip():
        phone = indonesian_e164(data.contact_phone)
        if phone is None:
            raise InvalidInput("phone")
    firm = firm_of(user)
    if firm is not None and not owner_of_firm(user, firm):
        raise NotFound()
    clash = db.session.execute(select(Firm.id).where(Firm.nib == nib)).scalar_one_or_none()
    if clash is not None and (firm is None or clash != firm.id):
        raise InvalidInput("nib_taken")
    slug = _unique_firm_slug(data.legal_name.strip(), firm.id if firm else None)
    if firm is None:
        firm = Firm(pledge_accepted_at=utcnow(), status=FirmStatus.PENDING.value)
        firm.members.append(FirmMember(user_id=user.id, role=MemberRole.OWNER.value))
        db.session.add(firm)
        action = "firm.create"
    else:
        action = "firm.update"
        if firm.status == FirmStatus.REJECTED.value:
            firm.status = FirmStatus.PENDING.value
    firm.legal_name = data.legal_name.strip()
    firm.slug = slug
    firm.nib = nib
    firm.sector = data.sector.strip()
    firm.city = data.city.strip()
    firm.contact_name = data.contact_name.strip()
    firm.contact_phone = phone
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same NIB registered at the same moment
        db.session.rollback()
        raise InvalidInput("nib_taken") from exc
    audit.record(user.id, action, "firm", firm.id)
    db.session.commit()
    return firm


def firms_for_staff(actor: User) -> list[Firm]:
    if not may_moderate_jobs(actor):
        raise NotFound()
    firms = db.session.execute(select(Firm).options(selectinload(Firm.members).joinedload(FirmMember.user))
                               .order_by(Firm.legal_name, Firm.id)).scalars().all()
    return sorted(firms, key=lambda f: (f.status != FirmStatus.PENDING.value, f.legal_name.lower()))


def _firm_for_staff(actor: User, firm_id: int) -> Firm:
    firm = db.session.get(Firm, firm_id)
    if firm is None or not may_moderate_jobs(actor):
        raise NotFound()
    return firm


def _owners(firm: Firm) -> list[User]:
    return [m.user for m in firm.members if m.role == MemberRole.OWNER.value and m.user.deleted_at is None]


def _tell_owners(firm: Firm, template: str, **context) -> None:
    for owner in _owners(firm):
        send_email(owner.email, template, owner.locale, firm=firm, user=owner,
                   link=tokens.public_link("jobs_firm.dashboard"), **context)


def decide_firm(actor: User, firm_id: int, approve: bool, reason: str = "") -> Firm:
    """Approve or reject a firm; the reason is shown to the firm and emailed. Commits."""
    firm = _firm_for_staff(actor, firm_id)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise InvalidInput("reason")
    firm.status = FirmStatus.APPROVED.value if approve else FirmStatus.REJECTED.value
    firm.decision_reason = reason or None
    firm.decided_at = utcnow()
    audit.record(actor.id, "firm.approve" if approve else "firm.reject", "firm", firm.id, detail=reason or None)
    _tell_owners(firm, "jobs_firm_approved" if approve else "jobs_firm_rejected", reason=reason)
    db.session.commit()
    return firm


def suspend_firm(actor: User, firm_id: int, reason: str) -> Firm:
    """Hidden at once: its vacancies answer 404 and it cannot post until reinstated. Commits."""
    firm = _firm_for_staff(actor, firm_id)
    if not (reason or "").strip():
        raise InvalidInput("reason")
    firm.status = FirmStatus.SUSPENDED.value
    firm.suspended_reason = reason.strip()
    audit.record(actor.id, "firm.suspend", "firm", firm.id, detail=reason.strip())
    db.session.commit()
    return firm


def reinstate_firm(actor: User, firm_id: int) -> Firm:
    firm = _firm_for_staff(actor, firm_id)
    if firm.status == FirmStatus.SUSPENDED.value:
        firm.status = FirmStatus.APPROVED.value
        firm.suspended_reason = None
        audit.record(actor.id, "firm.reinstate", "firm", firm.id)
        db.session.commit()
    return firm


# Colleagues ---------------------------------------------------------------------------------------


def _owned_firm(actor: User) -> Firm:
    firm = firm_of(actor)
    if firm is None or not owner_of_firm(actor, firm):
        raise NotFound()
    return firm


def open_firm_invitations(firm: Firm) -> list[FirmInvitation]:
    return list(db.session.execute(
        select(FirmInvitation).where(FirmInvitation.firm_id == firm.id, FirmInvitation.used_at.is_(None),
                                     FirmInvitation.revoked_at.is_(None), FirmInvitation.expires_at > utcnow())
        .order_by(FirmInvitation.id)).scalars())


def invite_colleague(actor: User, *, name: str, email: str, locale: str) -> FirmInvitation:
    """The owner invites a colleague; the emailed link creates their partner account in the firm. Commits."""
    firm = _owned_firm(actor)
    email = accounts.normalise_email(email)
    if accounts.find_user_by_email(email) is not None:
        raise accounts.EmailTaken()
    invitation = FirmInvitation(firm_id=firm.id, email=email, name=name.strip(), locale=accounts.clean_locale(locale),
                                invited_by_id=actor.id, expires_at=utcnow() + timedelta(days=INVITATION_DAYS))
    db.session.add(invitation)
    db.session.flush()
    token = tokens.make_token(FIRM_INVITATION, {"i": invitation.id})
    send_email(email, "jobs_firm_invitation", invitation.locale, invitation=invitation, firm=firm, inviter=actor,
               link=tokens.public_link("jobs.join_firm", token=token), days=INVITATION_DAYS)
    audit.record(actor.id, "firm.invite", "firm", firm.id)
    db.session.commit()
    return invitation


def revoke_firm_invitation(actor: User, invitation_id: int) -> None:
    firm = _owned_firm(actor)
    invitation = db.session.get(FirmInvitation, invitation_id)
    if invitation is None or invitation.firm_id != firm.id:
        raise NotFound()
    if invitation.used_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        db.session.commit()


def open_firm_invitation(token: str) -> FirmInvitation:
    try:
        data = tokens.read_token(FIRM_INVITATION, token, max_age_seconds=INVITATION_DAYS * 24 * 3600)
    except tokens.TokenExpired as exc:
        raise JobsError("link_expired") from exc
    except tokens.TokenInvalid as exc:
        raise JobsError("link_invalid") from exc
    invitation_id = data.get("i") if isinstance(data, dict) else None
    invitation = db.session.get(FirmInvitation, invitation_id) if isinstance(invitation_id, int) else None
    if (invitation is None or invitation.used_at is not None or invitation.revoked_at is not None
            or invitation.firm.status == FirmStatus.SUSPENDED.value):
        raise JobsError("link_invalid")
    if as_utc(invitation.expires_at) <= utcnow():
        raise JobsError("link_expired")
    return invitation


def join_firm(token: str, *, name: str, password: str, locale: str) -> User:
    """Create the invited colleague's partner account, approved and in the firm (the link proved the
    address and the owner vouched for them). Commits."""
    invitation = open_firm_invitation(token)
    user = accounts.create_user(email=invitation.email, name=name, password=password, role=Role.PARTNER.value,
                                organisation=invitation.firm.legal_name, approved_at=utcnow(),
                                email_verified_at=utcnow(), locale=accounts.clean_locale(locale))
    db.session.add(FirmMember(firm_id=invitation.firm_id, user_id=user.id, role=MemberRole.MEMBER.value))
    invitation.used_at = utcnow()
    invitation.accepted_user_id = user.id
    audit.record(user.id, "firm.join", "firm", invitation.firm_id)
    db.session.commit()
    return user


def remove_member(actor: User, member_id: int) -> FirmMember:
    """The owner removes a colleague: their next request finds no firm. Owners cannot remove themselves."""
    firm = _owned_firm(actor)
    member = db.session.get(FirmMember, member_id)
    if member is None or member.firm_id != firm.id or member.user_id == actor.id:
        raise NotFound()
    db.session.delete(member)
    audit.record(actor.id, "firm.remove_member", "firm", firm.id, detail=str(member.user_id))
    db.session.commit()
    return member


# Vacancies ----------------------------------------------------------------------------------------


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


def _acting_firm(actor: User) -> Firm:
    firm = firm_of(actor)
    if firm is None or not member_of_firm(actor, firm):
        raise NotFound()
    return firm


def create_vacancy(actor: User, data: VacancyData) -> Vacancy:
    """A draft vacancy of the actor's firm (any member; a suspended firm cannot post). Commits."""
    firm = _acting_firm(actor)
    if firm.status == FirmStatus.SUSPENDED.value:
        raise JobsError("firm_suspended")
    check_vacancy(data)
    vacancy = Vacancy(firm_id=firm.id, status=VacancyStatus.DRAFT.value)
    _apply_vacancy(vacancy, data)
    db.session.add(vacancy)
    db.session.flush()
    audit.record(actor.id, "vacancy.create", "vacancy", vacancy.id)
    db.session.commit()
    return vacancy


def firm_vacancy(actor: User, vacancy_id: int) -> Vacancy:
    vacancy = db.session.execute(select(Vacancy).where(Vacancy.id == vacancy_id)
                                 .options(joinedload(Vacancy.firm).selectinload(Firm.members))).scalar_one_or_none()
    if vacancy is None or not member_of_firm(actor, vacancy.firm):
        raise NotFound()
    return vacancy


def update_vacancy(actor: User, vacancy_id: int, data: VacancyData) -> Vacancy:
    vacancy = firm_vacancy(actor, vacancy_id)
    if vacancy.firm.status == FirmStatus.SUSPENDED.value:
        raise JobsError("firm_suspended")
    check_vacancy(data)
    _apply_vacancy(vacancy, data)
    audit.record(actor.id, "vacancy.update", "vacancy", vacancy.id)
    db.session.commit()
    return vacancy


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
    db.session.commit()
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


def close_expired(today: date | None = None) -> int:
    """Close open vacancies whose closing date has passed (Jakarta's date). One conditional UPDATE:
    safe to run twice, or twice at once."""
    today = today or jakarta_today()
    result = db.session.execute(
        update(Vacancy).where(Vacancy.status == VacancyStatus.OPEN.value, Vacancy.closes_on < today)
        .values(status=VacancyStatus.CLOSED.value, updated_at=utcnow()).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount or 0


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
    db.session.commit()
    return vacancy


def reinstate_vacancy(actor: User, vacancy_id: int) -> Vacancy:
    if not may_moderate_jobs(actor):
        raise NotFound()
    vacancy = db.session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFound()
    vacancy.suspended_at = None
    vacancy.suspended_reason = None
    audit.record(actor.id, "vacancy.reinstate", "vacancy", vacancy.id)
    db.session.commit()
    return vacancy


def vacancies_for_staff(actor: User, limit: int = 200) -> list[Vacancy]:
    if not may_moderate_jobs(actor):
        raise NotFound()
    return list(db.session.execute(
        select(Vacancy).options(joinedload(Vacancy.firm))
        .where(Vacancy.status != VacancyStatus.DRAFT.value)
        .order_by(Vacancy.created_at.desc(), Vacancy.id.desc()).limit(limit)).scalars())


# Public listing -----------------------------------------------------------------------------------


def _public_filter(today):
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
    ids = select(Vacancy.id).join(Vacancy.firm).where(_public_filter(bindparam("today")))
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
        select(Vacancy.city).join(Vacancy.firm).where(_public_filter(today), Vacancy.city != "")
        .group_by(Vacancy.city).order_by(Vacancy.city)).scalars())
    cache.clear()
    cache[today] = (time.monotonic() + int(current_app.config.get("JOBS_CITIES_CACHE_SECONDS",
                                                                   CITIES_CACHE_SECONDS)), cities)
    return cities


def public_vacancy(vacancy_id: int) -> Vacancy | None:
    """An open, visible vacancy with its firm (one query), or None: 404 for the public."""
    return db.session.execute(
        select(Vacancy).join(Vacancy.firm).where(Vacancy.id == vacancy_id, _public_filter(jakarta_today()))
        .options(joinedload(Vacancy.firm))).scalar_one_or_none()


# Work profile -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileData:
    city: str = ""
    skills: str = ""
    experience: str = ""
    training_title: str = ""
    training_started_on: date | None = None
    training_finished_on: date | None = None
    link_storefront: bool = False
    digest_opt_in: bool = True


def _graduate(user: User) -> User:
    if not user.is_authenticated or user.role != Role.GRADUATE.value:
        raise NotFound()
    return user


def profile_of(user: User) -> WorkProfile:
    """The saved profile, or an unsaved one filled from the program's training record (the cohort's dates)."""
    _graduate(user)
    profile = db.session.execute(select(WorkProfile).where(WorkProfile.user_id == user.id)).scalar_one_or_none()
    if profile is not None:
        return profile
    cohort = user.cohort
    return WorkProfile(user_id=user.id, city="", skills="", experience="", link_storefront=False, digest_opt_in=True,
                       training_title="", training_started_on=cohort.started_on if cohort else None,
                       training_finished_on=cohort.graduated_on if cohort else None)


def save_profile(user: User, data: ProfileData) -> WorkProfile:
    _graduate(user)
    if (data.training_started_on and data.training_finished_on
            and data.training_finished_on < data.training_started_on):
        raise InvalidInput("training_dates")
    profile = db.session.execute(select(WorkProfile).where(WorkProfile.user_id == user.id)).scalar_one_or_none()
    if profile is None:
        profile = WorkProfile(user_id=user.id)
        db.session.add(profile)
    profile.city = data.city.strip()
    profile.skills = normalise_skills(data.skills)
    profile.experience = data.experience.strip()
    profile.training_title = data.training_title.strip()
    profile.training_started_on = data.training_started_on
    profile.training_finished_on = data.training_finished_on
    profile.link_storefront = bool(data.link_storefront)
    profile.digest_opt_in = bool(data.digest_opt_in)
    db.session.commit()
    return profile


def storefront_url_of(user: User) -> str | None:
    """The graduate's public storefront, if it is open to the public (a portfolio they may link)."""
    business = storefronts.businesses_of_owners([user.id]).get(user.id)
    if business is None or not business.is_public:
        return None
    return tokens.public_link("catalog.storefront", slug=business.slug)


# Applying -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """Exactly what the firm will see: the preview shows it, the application stores it."""

    name: str
    email: str
    phone: str | None
    city: str
    skills: str
    experience: str
    training_title: str
    training_started_on: date | None
    training_finished_on: date | None
    storefront_url: str | None
    cover_note: str
    cv_filename: str | None
    cv_bytes: int | None

    @property
    def skill_list(self) -> list[str]:
        return [s for s in self.skills.split(",") if s]


def _cv_max_bytes() -> int:
    return int(current_app.config.get("JOBS_CV_MAX_BYTES", 2 * 1024 * 1024))


def check_cv(data: bytes | None) -> None:
    """A real PDF by its content (the header and end marker), not by its name; size-limited."""
    if not data:
        raise CVRejected("cv_empty")
    if len(data) > _cv_max_bytes():
        raise CVRejected("cv_too_large", limit_mb=_cv_max_bytes() // (1024 * 1024))
    # Strict about the start: a file that is something else with a PDF inside (a polyglot) is refused.
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:] or b" obj" not in data:
        raise CVRejected("cv_not_pdf")


def clean_filename(name: str | None) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[^\w.\- ]", "", base, flags=re.UNICODE).strip()[:100]
    if not base.lower().endswith(".pdf"):
        base = (base[:96] or "cv") + ".pdf"
    return base


def _pending_key(user_id: int) -> str:
    # One pending CV per person: each new preview replaces it, sending moves it, erasing deletes it.
    return f"private/cv-pending/u{user_id}.pdf"


def open_vacancy_for_applying(user: User, vacancy_id: int) -> Vacancy:
    _graduate(user)
    vacancy = public_vacancy(vacancy_id)
    if vacancy is None:
        raise NotFound()
    return vacancy


def already_applied(user: User, vacancy_id: int) -> bool:
    return db.session.execute(select(Application.id).where(
        Application.vacancy_id == vacancy_id, Application.applicant_id == user.id)).first() is not None


def snapshot(user: User, *, cover_note: str, share_phone: bool, cv_filename: str | None,
             cv_bytes: int | None) -> Snapshot:
    profile = profile_of(user)
    return Snapshot(
        name=user.name, email=user.email, phone=user.phone if share_phone else None, city=profile.city or "",
        skills=profile.skills or "", experience=profile.experience or "", training_title=profile.training_title or "",
        training_started_on=profile.training_started_on, training_finished_on=profile.training_finished_on,
        storefront_url=storefront_url_of(user) if profile.link_storefront else None,
        cover_note=(cover_note or "").strip(), cv_filename=cv_filename, cv_bytes=cv_bytes)


def prepare_application(user: User, vacancy_id: int, *, cover_note: str, share_phone: bool, cv: bytes | None,
                        cv_filename: str | None) -> tuple[Snapshot, str]:
    """Check the CV and keep it aside until the applicant confirms; return the preview and a signed token
    for the confirmation. Nothing is sent yet."""
    vacancy = open_vacancy_for_applying(user, vacancy_id)
    if already_applied(user, vacancy.id):
        raise JobsError("already_applied")
    check_cv(cv)
    filename = clean_filename(cv_filename)
    get_storage().put(_pending_key(user.id), cv, "application/pdf")
    preview = snapshot(user, cover_note=cover_note, share_phone=share_phone, cv_filename=filename,
                       cv_bytes=len(cv))
    token = tokens.make_token(APPLY_PREVIEW, {"u": user.id, "v": vacancy.id, "h": hashlib.sha256(cv).hexdigest(),
                                              "f": filename, "n": preview.cover_note, "p": bool(share_phone)})
    return preview, token


def read_preview_token(user: User, vacancy_id: int, token: str) -> dict:
    try:
        data = tokens.read_token(APPLY_PREVIEW, token, max_age_seconds=6 * 3600)
    except tokens.TokenInvalid as exc:
        raise JobsError("preview_expired") from exc
    if not isinstance(data, dict) or data.get("u") != user.id or data.get("v") != vacancy_id:
        raise JobsError("preview_expired")
    return data


def submit_application(user: User, vacancy_id: int, token: str) -> Application:
    """Send the application the applicant previewed: the snapshot is taken again from the same data and
    the CV kept aside must be the one previewed. One per vacancy. Commits; on failure no file is left."""
    vacancy = open_vacancy_for_applying(user, vacancy_id)
    data = read_preview_token(user, vacancy.id, token)
    storage = get_storage()
    cv = storage.get(_pending_key(user.id))
    if cv is None or hashlib.sha256(cv).hexdigest() != data.get("h"):
        raise JobsError("preview_expired")
    if already_applied(user, vacancy.id):
        raise JobsError("already_applied")
    snap = snapshot(user, cover_note=str(data.get("n") or ""), share_phone=bool(data.get("p")),
                    cv_filename=str(data.get("f") or "cv.pdf"), cv_bytes=len(cv))
    key = f"private/cvs/{secrets.token_hex(16)}.pdf"
    application = Application(
        vacancy_id=vacancy.id, applicant_id=user.id, name=snap.name, email=snap.email, phone=snap.phone,
        city=snap.city, skills=snap.skills, experience=snap.experience, training_title=snap.training_title,
        training_started_on=snap.training_started_on, training_finished_on=snap.training_finished_on,
        storefront_url=snap.storefront_url, cover_note=snap.cover_note, cv_key=key, cv_filename=snap.cv_filename,
        cv_bytes=snap.cv_bytes, stage=Stage.APPLIED.value)
    application.events.append(ApplicationEvent(stage=Stage.APPLIED.value))
    db.session.add(application)
    storage.put(key, cv, "application/pdf")
    try:
        db.session.flush()
        send_email(user.email, "jobs_application_sent", user.locale, application=application, vacancy=vacancy,
                   link=tokens.public_link("jobs_graduate.application", application_id=application.id))
        db.session.commit()
    except IntegrityError as exc:  # the same application sent twice at the same moment
        db.session.rollback()
        storage.delete(key)
        raise JobsError("already_applied") from exc
    except Exception:
        db.session.rollback()
        storage.delete(key)
        raise
    storage.delete(_pending_key(user.id))
    return application


def my_applications(user: User) -> list[Application]:
    _graduate(user)
    return list(db.session.execute(
        select(Application).where(Application.applicant_id == user.id)
        .options(joinedload(Application.vacancy).joinedload(Vacancy.firm))
        .order_by(Application.created_at.desc(), Application.id.desc())).scalars())


def application_for_applicant(user: User, application_id: int) -> Application:
    application = db.session.execute(
        select(Application).where(Application.id == application_id)
        .options(joinedload(Application.vacancy).joinedload(Vacancy.firm), joinedload(Application.reference),
                 selectinload(Application.events))
    ).scalar_one_or_none()
    if application is None or not applicant_of(user, application):
        raise NotFound()
    return application


def withdraw(user: User, application_id: int) -> Application:
    application = application_for_applicant(user, application_id)
    if application.is_final:
        raise JobsError("final_stage")
    _set_stage(application, Stage.WITHDRAWN.value)
    audit.record(user.id, "application.withdraw", "application", application.id)
    db.session.commit()
    return application


def cv_download(user: User, application_id: int, as_firm: bool) -> tuple[bytes, str]:
    """The CV, for the applicant or a member of the firm the application went to; NotFound otherwise."""
    application = db.session.execute(
        select(Application).where(Application.id == application_id)
        .options(joinedload(Application.vacancy).joinedload(Vacancy.firm).selectinload(Firm.members))
    ).scalar_one_or_none()
    allowed = firm_reads_application(user, application) if as_firm else applicant_of(user, application)
    if not allowed or not application.cv_key:
        raise NotFound()
    data = get_storage().get(application.cv_key)
    if data is None:
        raise NotFound()
    if as_firm:
        audit.record(user.id, "application.cv_read", "application", application.id)
        db.session.commit()
    return data, application.cv_filename or "cv.pdf"


# The firm's pipeline ------------------------------------------------------------------------------


class PipelineRow(NamedTuple):
    """One application on the firm's pipeline page, read as a plain row (a vacancy may have hundreds)."""

    id: int
    name: str
    skills: str
    stage: str
    created_at: datetime

    @property
    def skill_list(self) -> list[str]:
        return [s for s in self.skills.split(",") if s]

    @property
    def applied_on(self) -> str:
        return as_utc(self.created_at).astimezone(JAKARTA).strftime("%d-%m-%Y")


PIPELINE_PAGE_SIZE = 50


@dataclass
class PipelinePage:
    vacancy: Vacancy
    rows: list[PipelineRow]
    counts: dict[str, int]  # applications per stage, for the stage tabs
    stage: str | None
    page: int
    has_next: bool

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def pipeline(actor: User, vacancy_id: int, stage: str | None = None, page: int = 1,
             per_page: int = PIPELINE_PAGE_SIZE) -> PipelinePage:
    """One page of a vacancy's applications (optionally of one stage), oldest first, with the count per stage.
    Pages keep the screen usable on a phone and the page fast when a vacancy draws hundreds."""
    vacancy = firm_vacancy(actor, vacancy_id)
    stage = stage if stage in {s.value for s in Stage} else None
    page = min(max(page, 1), 10_000)
    counts = dict(db.session.execute(
        select(Application.stage, func.count()).where(Application.vacancy_id == vacancy.id)
        .group_by(Application.stage)).all())
    query = (select(Application.id, Application.name, Application.skills, Application.stage, Application.created_at)
             .where(Application.vacancy_id == vacancy.id))
    if stage:
        query = query.where(Application.stage == stage)
    rows = db.session.execute(query.order_by(Application.created_at, Application.id)
                              .limit(per_page + 1).offset((page - 1) * per_page)).all()
    return PipelinePage(vacancy, [PipelineRow._make(r) for r in rows[:per_page]], counts, stage, page,
                        len(rows) > per_page)


def application_for_firm(actor: User, application_id: int) -> tuple[Application, list[ApplicationNote]]:
    application = db.session.execute(
        select(Application).where(Application.id == application_id)
        .options(joinedload(Application.vacancy).joinedload(Vacancy.firm).selectinload(Firm.members),
                 joinedload(Application.reference), selectinload(Application.events))
    ).scalar_one_or_none()
    if not firm_reads_application(actor, application):
        raise NotFound()
    notes = list(db.session.execute(
        select(ApplicationNote).where(ApplicationNote.application_id == application.id)
        .options(joinedload(ApplicationNote.author)).order_by(ApplicationNote.id)).scalars())
    return application, notes


@dataclass(frozen=True)
class Move:
    stage: str
    interview_at: datetime | None = None  # aware
    interview_place: str = ""
    start_on: date | None = None


def _check_move(move: Move) -> None:
    if move.stage not in PIPELINE_MOVES:
        raise InvalidInput("stage")
    if move.stage == Stage.INTERVIEW.value:
        if move.interview_at is None or not move.interview_place.strip():
            raise InvalidInput("interview")
        if move.interview_at < utcnow() - timedelta(hours=1) or move.interview_at > utcnow() + timedelta(days=366):
            raise InvalidInput("interview_time")
    if move.stage == Stage.HIRED.value:
        if move.start_on is None:
            raise InvalidInput("start_on")
        if not jakarta_today() - timedelta(days=90) <= move.start_on <= jakarta_today() + timedelta(days=366):
            raise InvalidInput("start_on")


def _set_stage(application: Application, stage: str, move: Move | None = None) -> None:
    application.stage = stage
    application.stage_changed_at = utcnow()
    event = ApplicationEvent(stage=stage)
    if stage == Stage.INTERVIEW.value and move is not None:
        application.interview_at = move.interview_at.astimezone(UTC)
        application.interview_place = move.interview_place.strip()[:300]
        event.interview_at, event.interview_place = application.interview_at, application.interview_place
    if stage == Stage.HIRED.value and move is not None:
        application.start_on = move.start_on
        event.start_on = move.start_on
    application.events.append(event)


def _email_stage(application: Application) -> None:
    applicant = application.applicant
    if applicant is None or applicant.deleted_at is not None:
        return
    attachment = interview_ics(application) if application.stage == Stage.INTERVIEW.value else None
    send_email(applicant.email, "jobs_application_stage", applicant.locale, attachment=attachment,
               application=application, vacancy=application.vacancy,
               link=tokens.public_link("jobs_graduate.application", application_id=application.id))


def move_application(actor: User, application_id: int, move: Move) -> Application:
    """Move one application to a stage; timestamped in its history and emailed to the applicant in their
    language (an interview with its .ics file). Commits."""
    application, _notes = application_for_firm(actor, application_id)
    _check_move(move)
    if application.is_final:
        raise JobsError("final_stage")
    _set_stage(application, move.stage, move)
    audit.record(actor.id, "application.move", "application", application.id, detail=move.stage)
    _email_stage(application)
    db.session.commit()
    return application


def bulk_move(actor: User, vacancy_id: int, application_ids: list[int], stage: str) -> int:
    """Move several applications of one vacancy at once (stages that need no date). Applications of other
    vacancies or firms, and those already final, are left alone. Commits; returns how many moved."""
    vacancy = firm_vacancy(actor, vacancy_id)
    if stage not in BULK_MOVES:
        raise InvalidInput("stage")
    ids = [i for i in application_ids if isinstance(i, int) and 0 < i <= MAX_ID][:1000]
    applications = db.session.execute(
        select(Application).where(Application.vacancy_id == vacancy.id, Application.id.in_(ids or [0]),
                                  Application.stage.not_in(FINAL_STAGES))
        .options(selectinload(Application.events), joinedload(Application.applicant))).scalars().all()
    for application in applications:
        _set_stage(application, stage)
        audit.record(actor.id, "application.move", "application", application.id, detail=stage)
        _email_stage(application)
    db.session.commit()
    return len(applications)


def add_note(actor: User, application_id: int, body: str) -> ApplicationNote:
    application, _notes = application_for_firm(actor, application_id)
    body = (body or "").strip()
    if not body:
        raise InvalidInput("note")
    note = ApplicationNote(application_id=application.id, author_id=actor.id, body=body[:5000])
    db.session.add(note)
    db.session.commit()
    return note


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r", "").replace("\n", "\\n"))


def interview_ics(application: Application) -> Attachment:
    """An RFC 5545 calendar event for the interview, in UTC (calendars show it in local time)."""
    start = as_utc(application.interview_at).astimezone(UTC)
    end = start + timedelta(hours=1)
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    summary = f"Interview: {application.vacancy.title} - {application.vacancy.firm.legal_name}"
    host = current_app.config["PUBLIC_URL"].split("//", 1)[-1].split("/", 1)[0] or "pasarbangkit"
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Pasar Bangkit//Jobs//ID", "METHOD:PUBLISH", "BEGIN:VEVENT",
        f"UID:application-{application.id}-{start.strftime('%Y%m%dT%H%M%SZ')}@{host}",
        f"DTSTAMP:{stamp}", f"DTSTART:{start.strftime('%Y%m%dT%H%M%SZ')}", f"DTEND:{end.strftime('%Y%m%dT%H%M%SZ')}",
        f"SUMMARY:{_ics_text(summary)}", f"LOCATION:{_ics_text(application.interview_place or '')}",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return Attachment("interview.ics", "text/calendar; method=PUBLISH", "\r\n".join(lines) + "\r\n")


# The weekly digest --------------------------------------------------------------------------------

DIGEST_DAYS = 7
DIGEST_MAX_VACANCIES = 10


def _matches(vacancy: Vacancy, skills: set[str], city: str) -> bool:
    """A shared skill, or the graduate's city (where remote work counts everywhere)."""
    if skills & set(vacancy.skill_list):
        return True
    return bool(city) and ((vacancy.city or "").strip().lower() == city or vacancy.remote)


def send_weekly_digest(now: datetime | None = None) -> int:
    """Email each graduate who wants it the vacancies published since their last digest (at most a week)
    that match their skills or city; one email each, queued through the outbox like all mail. Running it
    twice sends nothing new: a digest covers only vacancies published after the previous one. Commits;
    returns how many emails were sent."""
    now = now or utcnow()
    since = now - timedelta(days=DIGEST_DAYS)
    vacancies = db.session.execute(
        select(Vacancy).join(Vacancy.firm).where(_public_filter(now.astimezone(JAKARTA).date()),
                                                 Vacancy.published_at >= since)
        .options(joinedload(Vacancy.firm)).order_by(Vacancy.published_at.desc(), Vacancy.id.desc())).scalars().all()
    if not vacancies:
        return 0
    profiles = db.session.execute(
        select(WorkProfile).join(User, User.id == WorkProfile.user_id)
        .where(WorkProfile.digest_opt_in.is_(True), User.deleted_at.is_(None), User.role == Role.GRADUATE.value)
        .options(joinedload(WorkProfile.user))).scalars().all()
    sent = 0
    for profile in profiles:
        last = as_utc(profile.digest_sent_at) if profile.digest_sent_at else since
        skills, city = set(profile.skill_list), (profile.city or "").strip().lower()
        applied = set(db.session.execute(select(Application.vacancy_id).where(
            Application.applicant_id == profile.user_id)).scalars())
        matching = [v for v in vacancies if as_utc(v.published_at) > last and v.id not in applied
                    and _matches(v, skills, city)][:DIGEST_MAX_VACANCIES]
        if not matching:
            continue
        user = profile.user
        token = tokens.make_token(DIGEST_OFF, {"u": user.id})
        send_email(user.email, "jobs_digest", user.locale, user=user, vacancies=matching,
                   links={v.id: tokens.public_link("jobs.vacancy", vacancy_id=v.id) for v in matching},
                   stop_link=tokens.public_link("jobs.stop_digest", token=token),
                   profile_link=tokens.public_link("jobs_graduate.profile"))
        profile.digest_sent_at = now
        sent += 1
    db.session.commit()
    return sent


def stop_digest(token: str) -> User:
    """The one-click opt-out from the digest email (no sign-in needed: the signed link is the proof)."""
    try:
        data = tokens.read_token(DIGEST_OFF, token, max_age_seconds=None)
    except tokens.TokenInvalid as exc:
        raise JobsError("link_invalid") from exc
    user_id = data.get("u") if isinstance(data, dict) else None
    profile = db.session.execute(select(WorkProfile).where(WorkProfile.user_id == user_id)).scalar_one_or_none() \
        if isinstance(user_id, int) else None
    if profile is None:
        raise JobsError("link_invalid")
    profile.digest_opt_in = False
    db.session.commit()
    return profile.user
