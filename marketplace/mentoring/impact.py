"""Program impact for staff: what aftercare led to, per program and cohort, over a period.

Every figure is computed by the database (``orders.queries`` for sales) in a fixed number of queries.
A figure that is about fewer than ``SMALL`` people (1 to 4) is suppressed to "< 5" on the page, in the
print and in the CSV, so that no one can be recognised from a shared report; 0 is shown as 0. People
are distinct graduates: a count or sum of events (applications, hires, check-ins, sales) is suppressed
by how many different graduates made them, and a business stands for its one owner.

A count that is part of a whole shown beside it (graduates with a storefront, of the graduates) would
give away the rest by subtraction: when 1 to 4 people of the whole are not in the part, the part is
shown as "> N" (the whole less 5), which says no more about those few than "< 5" does.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from marketplace.accounts.models import Role, User
from marketplace.catalog import queries as catalog
from marketplace.core.sqltime import month_key
from marketplace.core.timeutil import jakarta_today
from marketplace.extensions import db
from marketplace.jobs import queries as jobs
from marketplace.mentoring.dates import add_months
from marketplace.mentoring.errors import MentoringError, NotFound
from marketplace.mentoring.models import Assignment, CheckIn, Support, SupportKind
from marketplace.orders import rollup
from marketplace.programs.models import Cohort

SMALL = 5
SUPPRESSED = "< 5"
RETENTION_MONTHS = (3, 6, 12)


@dataclass(frozen=True)
class Figure:
    """A number and how many people it is about."""

    value: int
    people: int
    rest: int = 0  # a part of a whole: the people of the whole who are not in it

    @property
    def suppressed(self) -> bool:
        return 0 < self.people < SMALL

    @property
    def near_whole(self) -> bool:
        """Shown exactly, it would give away the few people of the whole who are not in it."""
        return not self.suppressed and 0 < self.rest < SMALL

    def shown(self) -> str | int:
        if self.suppressed:
            return SUPPRESSED
        if self.near_whole:
            return f"> {self.value + self.rest - SMALL}"
        return self.value


@dataclass
class MonthRow:
    month: str
    sellers: Figure
    orders: Figure
    revenue_idr: Figure


@dataclass
class SupportRow:
    kind: str
    graduates: Figure
    amount_idr: Figure
    revenue_idr: Figure      # the period's revenue of those graduates' businesses, about those that sold


@dataclass
class Retention:
    months: int
    eligible: Figure         # businesses whose first sale is at least this many months ago
    still_active: Figure     # of them, those that sold in that month after the first or later


@dataclass
class JobsFigures:
    applications: Figure     # about the graduates who applied in the period
    hires: Figure            # hires starting in the period, about the distinct graduates hired


@dataclass
class ImpactReport:
    program_id: int
    cohort: Cohort | None
    first: date
    last: date
    graduates: Figure
    with_business: Figure
    active_businesses: Figure      # sold at least once in the period
    orders: Figure
    revenue_idr: Figure
    months: list[MonthRow]
    retention: list[Retention]
    support: list[SupportRow]
    mentored: Figure               # graduates with a mentor now
    check_ins: Figure              # in the period
    checked_in_recently: Figure    # mentored graduates with a check-in in the last 30 days
    jobs: JobsFigures              # through the job board's read API (jobs/queries.py)
    cohorts: list[Cohort] = field(default_factory=list)

    @property
    def check_ins_per_mentee_month(self) -> str:
        months = len(self.months) or 1
        if self.mentored.suppressed or self.check_ins.suppressed:
            return SUPPRESSED  # with the other figure and the months known, the ratio would give it away
        if not self.mentored.value:
            return "0"
        return f"{self.check_ins.value / self.mentored.value / months:.1f}"

    @property
    def coverage_percent(self) -> str:
        if self.graduates.suppressed or self.mentored.suppressed:
            return SUPPRESSED
        if self.mentored.near_whole:
            return f"> {(self.graduates.value - SMALL) * 100 // self.graduates.value}%"
        return f"{self.mentored.value * 100 // self.graduates.value}%" if self.graduates.value else "0%"


def default_period(today: date | None = None) -> tuple[date, date]:
    today = today or jakarta_today()
    return add_months(today, -11), today


def check_period(first: date | None, last: date | None) -> tuple[date, date]:
    if first is None or last is None:
        return default_period()
    first = date(first.year, first.month, 1)
    if last < first or (last.year - first.year) * 12 + last.month - first.month > 60 or first.year < 2000:
        raise MentoringError("bad_period")
    return first, last


def _figure(value: int, people: int) -> Figure:
    return Figure(int(value), int(people))


def _part(people: int, of: int) -> Figure:
    """A count of people who are part of ``of`` people shown beside it."""
    return Figure(int(people), int(people), int(of) - int(people))


def impact_report(program_id: int, cohort_id: int | None, first: date | None, last: date | None) -> ImpactReport:
    first, last = check_period(first, last)
    cohorts = db.session.execute(select(Cohort).where(Cohort.program_id == program_id)
                                 .order_by(Cohort.started_on, Cohort.id)).scalars().all()
    cohort = next((c for c in cohorts if c.id == cohort_id), None) if cohort_id else None
    if cohort_id and cohort is None:
        raise NotFound()  # another program's cohort: as if it did not exist
    graduates = select(User.id).where(User.program_id == program_id, User.role == Role.GRADUATE.value,
                                      User.deleted_at.is_(None))
    if cohort is not None:
        graduates = graduates.where(User.cohort_id == cohort.id)
    graduate_count = db.session.execute(select(func.count()).select_from(graduates.subquery())).scalar_one()
    business_ids = catalog.business_ids_of_owners(graduates)
    with_business = db.session.execute(select(func.count()).select_from(business_ids.subquery())).scalar_one()

    months = rollup.group_monthly_totals(business_ids, first, last)
    spans = rollup.selling_months(business_ids, first, last)
    month_rows = [MonthRow(m.month, _figure(m.sellers, m.sellers), _figure(m.orders, m.sellers),
                           _figure(m.revenue_idr, m.sellers)) for m in months]
    active_count = sum(1 for span in spans.values() if span.sold_in_window)
    orders = sum(m.orders for m in months)
    revenue = sum(m.revenue_idr for m in months)

    retention = _retention(spans)
    support = _support(program_id, graduates, graduate_count, first, last)

    mentored = db.session.execute(
        select(func.count(func.distinct(Assignment.graduate_id)))
        .where(Assignment.graduate_id.in_(graduates), Assignment.ended_at.is_(None))).scalar_one()
    check_ins, people_met = db.session.execute(
        select(func.count(), func.count(func.distinct(CheckIn.graduate_id)))
        .where(CheckIn.graduate_id.in_(graduates), CheckIn.held_on >= first, CheckIn.held_on <= last)).one()
    recent = db.session.execute(
        select(func.count(func.distinct(CheckIn.graduate_id)))
        .join(Assignment, (Assignment.graduate_id == CheckIn.graduate_id) & Assignment.ended_at.is_(None))
        .where(CheckIn.graduate_id.in_(graduates), CheckIn.held_on >= jakarta_today() - timedelta(days=30))
    ).scalar_one()
    return ImpactReport(
        program_id=program_id, cohort=cohort, first=first, last=last,
        graduates=_figure(graduate_count, graduate_count), with_business=_part(with_business, graduate_count),
        active_businesses=_part(active_count, with_business), orders=_figure(orders, active_count),
        revenue_idr=_figure(revenue, active_count), months=month_rows, retention=retention, support=support,
        mentored=_part(mentored, graduate_count), check_ins=_figure(check_ins, people_met),
        checked_in_recently=_part(recent, mentored), jobs=_jobs(graduates, first, last), cohorts=cohorts)


def _retention(spans: dict[int, rollup.SellingMonths]) -> list[Retention]:
    """Still selling N months after the first sale: a sale (not refunded) in the N-th month after the
    first sale's month, or later. Only businesses whose first sale is at least N months ago count."""
    def index(key: str) -> int:  # "2026-03" -> months since year 0, so that months add up
        return int(key[:4]) * 12 + int(key[5:7]) - 1

    this_month = index(month_key(jakarta_today()))
    spans_ = [(index(s.first_month), index(s.last_month) if s.last_month else -1) for s in spans.values()]
    out = []
    for n in RETENTION_MONTHS:
        marks = [(first + n, last) for first, last in spans_ if first + n <= this_month]
        eligible, still = len(marks), sum(1 for mark, last in marks if last >= mark)
        out.append(Retention(n, _figure(eligible, eligible), _part(still, eligible)))
    return out


def _support(program_id: int, graduates, graduate_count: int, first: date, last: date) -> list[SupportRow]:
    """Per kind of support: the graduates who received it, how much, and their businesses' revenue in the
    period (one statement on the sales roll-up for every kind)."""
    rows = db.session.execute(
        select(Support.kind, func.count(func.distinct(Support.graduate_id)), func.sum(Support.amount_idr))
        .where(Support.program_id == program_id, Support.graduate_id.in_(graduates))
        .group_by(Support.kind)).all()
    given = {kind: (int(people), int(amount or 0)) for kind, people, amount in rows}
    kinds = [k.value for k in SupportKind]
    supported = {kind: catalog.business_ids_of_owners(
        select(Support.graduate_id).where(Support.program_id == program_id, Support.kind == kind,
                                          Support.graduate_id.in_(graduates))) for kind in kinds}
    revenue = rollup.period_revenue(supported, first, last)
    out = []
    for kind in kinds:
        n, amount = given.get(kind, (0, 0))
        sold = revenue[kind]
        out.append(SupportRow(kind, _part(n, graduate_count), _figure(amount, n),
                              _figure(sold.revenue_idr, sold.sellers)))
    return out


def _jobs(graduates, first: date, last: date) -> JobsFigures:
    """Job applications and hires of the graduates (a SELECT of ids), through the job board's read API."""
    totals = jobs.applications_and_hires(graduates, first, last)
    return JobsFigures(applications=_figure(totals.applications, totals.applicants),
                       hires=_figure(totals.hires, totals.hired))


def impact_csv(report: ImpactReport, labels: dict[str, str]) -> str:
    """The report as CSV (metric, value), small numbers suppressed; ``labels`` are translated names."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([labels["metric"], labels["value"]])
    writer.writerow([labels["period"], f"{month_key(report.first)} .. {month_key(report.last)}"])
    writer.writerow([labels["cohort"], report.cohort.name if report.cohort else labels["all"]])
    for key in ("graduates", "with_business", "active_businesses", "orders", "revenue_idr", "mentored",
                "check_ins", "checked_in_recently"):
        writer.writerow([labels[key], getattr(report, key).shown()])
    for r in report.retention:
        writer.writerow([labels["retention"] % {"n": r.months}, f"{r.still_active.shown()} / {r.eligible.shown()}"])
    for s in report.support:
        writer.writerow([f"{labels['support']}: {labels[s.kind]}", s.graduates.shown()])
        writer.writerow([f"{labels['support_amount']}: {labels[s.kind]}", s.amount_idr.shown()])
        writer.writerow([f"{labels['support_revenue']}: {labels[s.kind]}", s.revenue_idr.shown()])
    writer.writerow([labels["applications"], report.jobs.applications.shown()])
    writer.writerow([labels["hires"], report.jobs.hires.shown()])
    for m in report.months:
        writer.writerow([f"{labels['sellers']} {m.month}", m.sellers.shown()])
        writer.writerow([f"{labels['orders']} {m.month}", m.orders.shown()])
        writer.writerow([f"{labels['revenue_idr']} {m.month}", m.revenue_idr.shown()])
    return out.getvalue()
