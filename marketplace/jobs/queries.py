"""The job board's read API for other domains (the mentoring impact report) and the staff's placement page.

Aggregates in SQL, returned as plain tuples. These functions do not check who asks: the caller has
already decided that the reader may see the program's people (``policy.same_program``). Nothing here
returns what an application says, only that it exists and how far it went.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import and_, case, distinct, func, select

from marketplace.accounts.models import User
from marketplace.core.sqltime import date_month, jakarta_date, jakarta_day_start, jakarta_month, month_keys
from marketplace.extensions import db
from marketplace.jobs.models import (
    FINAL_STAGES,
    Application,
    ApplicationReference,
    Firm,
    FirmStatus,
    Stage,
    Vacancy,
    VacancyStatus,
)
from marketplace.programs.models import Cohort

_REACHED_INTERVIEW = (Stage.INTERVIEW.value, Stage.OFFER.value, Stage.HIRED.value)


class CohortJobs(NamedTuple):
    """One cohort of a program: how many of its graduates applied and were placed."""

    cohort_id: int | None
    cohort_name: str | None
    graduates_applying: int
    applications: int
    interviews: int
    hires: int
    vacancies_applied_to: int


class Placement(NamedTuple):
    application_id: int
    graduate_id: int
    graduate_name: str
    cohort_id: int | None
    firm_name: str
    vacancy_title: str
    employment_type: str
    start_on: date | None
    hired_at: object  # aware datetime of the stage change


class PersonJobs(NamedTuple):
    """Applications and hires of one graduate (for a business: its owner)."""

    user_id: int
    applications: int
    interviews: int
    hires: int
    latest_start_on: date | None


class BoardTotals(NamedTuple):
    approved_firms: int
    open_vacancies: int
    openings: int


def _hired():
    return case((Application.stage == Stage.HIRED.value, 1), else_=0)


def _interviewed():
    return case((Application.stage.in_(_REACHED_INTERVIEW), 1), else_=0)


def jobs_by_cohort(program_id: int, since: date | None = None, until: date | None = None) -> list[CohortJobs]:
    """Per cohort of the program (and graduates without a cohort), over applications sent in [since, until]."""
    conditions = [User.program_id == program_id]
    if since is not None:
        conditions.append(func.date(Application.created_at) >= since)
    if until is not None:
        conditions.append(func.date(Application.created_at) <= until)
    rows = db.session.execute(
        select(User.cohort_id, Cohort.name, func.count(distinct(Application.applicant_id)), func.count(Application.id),
               func.coalesce(func.sum(_interviewed()), 0), func.coalesce(func.sum(_hired()), 0),
               func.count(distinct(Application.vacancy_id)))
        .select_from(Application).join(User, User.id == Application.applicant_id)
        .outerjoin(Cohort, Cohort.id == User.cohort_id)
        .where(and_(*conditions))
        .group_by(User.cohort_id, Cohort.name).order_by(Cohort.name)).all()
    return [CohortJobs(*row) for row in rows]


def placements(program_id: int, cohort_id: int | None = None, since: date | None = None,
               until: date | None = None) -> list[Placement]:
    """Hires of the program's graduates, newest start first; ``since``/``until`` bound the start date."""
    query = (select(Application.id, User.id, User.name, User.cohort_id, Firm.legal_name, Vacancy.title,
                    Vacancy.employment_type, Application.start_on, Application.stage_changed_at)
             .select_from(Application).join(User, User.id == Application.applicant_id)
             .join(Vacancy, Vacancy.id == Application.vacancy_id).join(Firm, Firm.id == Vacancy.firm_id)
             .where(User.program_id == program_id, Application.stage == Stage.HIRED.value))
    if cohort_id is not None:
        query = query.where(User.cohort_id == cohort_id)
    if since is not None:
        query = query.where(Application.start_on >= since)
    if until is not None:
        query = query.where(Application.start_on <= until)
    rows = db.session.execute(query.order_by(Application.start_on.desc(), Application.id.desc())).all()
    return [Placement(*row) for row in rows]


def jobs_per_person(user_ids: list[int]) -> dict[int, PersonJobs]:
    """Applications, interviews and hires per graduate; people with none are absent from the result."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(Application.applicant_id, func.count(Application.id), func.coalesce(func.sum(_interviewed()), 0),
               func.coalesce(func.sum(_hired()), 0),
               func.max(case((Application.stage == Stage.HIRED.value, Application.start_on), else_=None)))
        .where(Application.applicant_id.in_(user_ids)).group_by(Application.applicant_id)).all()
    return {row[0]: PersonJobs(*row) for row in rows}


def board_totals(today: date) -> BoardTotals:
    row = db.session.execute(
        select(func.count(Vacancy.id), func.coalesce(func.sum(Vacancy.openings), 0))
        .join(Vacancy.firm)
        .where(Vacancy.status == VacancyStatus.OPEN.value, Vacancy.suspended_at.is_(None),
               Vacancy.closes_on >= today, Firm.status == FirmStatus.APPROVED.value)).one()
    firms = db.session.execute(select(func.count(Firm.id)).where(Firm.status == FirmStatus.APPROVED.value)).scalar_one()
    return BoardTotals(firms, row[0], row[1])


# Per month, for the mentoring impact report and dashboards ----------------------------------------
# Months and days are Jakarta's (UTC+7, no daylight saving). An application counts on the day it was sent;
# a hire on its first working day (``start_on``), or on the day of the hire if no start date was kept.


class JobsMonth(NamedTuple):
    applications: int
    hires: int


def _sent_within(first: date, last: date):
    """Applications sent on Jakarta days first..last (a range on the raw column, so an index can serve it)."""
    return and_(Application.created_at >= jakarta_day_start(first),
                Application.created_at < jakarta_day_start(last + timedelta(days=1)))


def _hired_within(first: date, last: date):
    """Hires whose first working day (or, without one, the day of the hire) is in first..last."""
    hire_day = func.coalesce(Application.start_on, jakarta_date(Application.stage_changed_at))
    return and_(Application.stage == Stage.HIRED.value, hire_day.between(first, last)), hire_day


def _count_per_month(month, *where) -> dict[str, int]:
    return dict(db.session.execute(
        select(month, func.count(Application.id)).where(*where).group_by(month)).all())


def _applicant_in(user_ids):
    """Applicants as a list of ids, or as a SELECT of ids (a whole program without sending its ids)."""
    if hasattr(user_ids, "subquery"):
        return Application.applicant_id.in_(user_ids)
    return Application.applicant_id.in_(list(user_ids))


class JobsTotals(NamedTuple):
    """A group's applications and hires over a period, with how many distinct people each is about (what
    a report's small-number suppression must count: one person hired twice is still one person)."""

    applications: int   # sent in the period
    applicants: int     # distinct people who sent them
    hires: int          # starting in the period
    hired: int          # distinct people hired


def applications_and_hires(user_ids: list[int], first: date, last: date) -> JobsTotals:
    """Applications sent in [first, last] and hires starting in [first, last] of these graduates, each with
    its distinct people. Two aggregate statements whatever the number of people."""
    who = _applicant_in(user_ids)
    applications, applicants = db.session.execute(
        select(func.count(Application.id), func.count(distinct(Application.applicant_id)))
        .where(who, _sent_within(first, last))).one()
    hired_within, _day = _hired_within(first, last)
    hires, hired = db.session.execute(
        select(func.count(Application.id), func.count(distinct(Application.applicant_id)))
        .where(who, hired_within)).one()
    return JobsTotals(applications, applicants, hires, hired)


def applications_and_hires_by_month(user_ids: list[int], first: date, last: date) -> dict[str, JobsMonth]:
    """Applications and hires of these graduates per Jakarta month ``"YYYY-MM"`` of [first, last], counted
    as ``applications_and_hires`` counts them; every month of the period is present (zeros included)."""
    out = {key: JobsMonth(0, 0) for key in month_keys(first, last)}
    if not out:
        return out
    who = _applicant_in(user_ids)
    hired, hire_day = _hired_within(first, last)
    sent = _count_per_month(jakarta_month(Application.created_at), who, _sent_within(first, last))
    hires = _count_per_month(date_month(hire_day), who, hired)
    return {key: JobsMonth(sent.get(key, 0), hires.get(key, 0)) for key in out}


class OpenApplication(NamedTuple):
    """An application still in progress, for choosing where a mentor's reference goes."""

    application_id: int
    vacancy_title: str
    firm_name: str
    stage: str
    has_reference: bool


def open_applications_of(user_id: int) -> list[OpenApplication]:
    """The person's applications that are not final yet (not hired, not selected or withdrawn), newest first."""
    rows = db.session.execute(
        select(Application.id, Vacancy.title, Firm.legal_name, Application.stage,
               ApplicationReference.id.is_not(None))
        .join(Vacancy, Vacancy.id == Application.vacancy_id).join(Firm, Firm.id == Vacancy.firm_id)
        .outerjoin(ApplicationReference, ApplicationReference.application_id == Application.id)
        .where(Application.applicant_id == user_id, Application.stage.not_in(FINAL_STAGES))
        .order_by(Application.created_at.desc(), Application.id.desc())).all()
    return [OpenApplication(row[0], row[1], row[2], row[3], bool(row[4])) for row in rows]
