"""Alerts, computed when asked and never stored: on the mentor's dashboard (every current mentee with
this year's figures) and in the weekly email digest; and the graduates' last sign-in they read.
Sales are read through ``orders.queries`` and storefronts through ``catalog.queries``, in a fixed
number of queries whatever the number of mentees."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import Role, User
from marketplace.catalog import queries as catalog
from marketplace.core.sqltime import month_keys
from marketplace.core.timeutil import JAKARTA, as_utc, utcnow
from marketplace.core.transactions import transaction, transactional
from marketplace.extensions import db
from marketplace.mentoring.assignments import mentees_of
from marketplace.mentoring.dates import chart_window
from marketplace.mentoring.models import Action, Assignment, CheckIn, SignIn
from marketplace.mentoring.references import waiting_for
from marketplace.notifications.services import send_email
from marketplace.orders import queries as sales
from marketplace.orders import rollup
from marketplace.orders.queries import MonthSales

NO_CHECK_IN_DAYS = 30
NOT_SIGNED_IN_DAYS = 30
HOLIDAY_DAYS = 14
WAITING_DAYS = 3
# "Revenue down sharply": the last full month below half of the month before, from at least this much.
DROP_FROM_IDR = 100_000


def note_sign_in(user: User) -> None:
    """Connected to Flask-Login's ``user_logged_in``: graduates only; part of the sign-in's request."""
    if user.role != Role.GRADUATE.value:
        return
    try:
        with transaction():
            moved = db.session.execute(update(SignIn).where(SignIn.user_id == user.id)
                                       .values(signed_in_at=utcnow())).rowcount
            if not moved:
                db.session.add(SignIn(user_id=user.id, signed_in_at=utcnow()))
    except IntegrityError:  # a first sign-in twice at once: the other one wrote the time (rolled back)
        pass


@dataclass(frozen=True)
class Alert:
    kind: str              # reference_requested, no_check_in, overdue_actions, revenue_drop, waiting_to_ship, holiday, not_signed_in
    graduate_id: int
    graduate_name: str
    count: int = 0         # days, actions or orders, depending on the kind
    before_idr: int = 0
    after_idr: int = 0


@dataclass
class MenteeRow:
    graduate: User
    business: catalog.BusinessInfo | None
    months: list[MonthSales]
    last_check_in: date | None
    alerts: list[Alert]

    @property
    def this_month(self) -> MonthSales:
        return self.months[-1]


def mentor_dashboard(mentor: User, now: datetime | None = None) -> list[MenteeRow]:
    """Every current mentee with this year's figures and alerts, in a fixed number of queries."""
    now = now or utcnow()
    today = now.astimezone(JAKARTA).date()
    mentees = mentees_of(mentor)
    ids = [g.id for g in mentees]
    if not ids:
        return []
    businesses = catalog.businesses_of_owners(ids)
    bids = [b.id for b in businesses.values()]
    first, last = chart_window(today)
    months = rollup.monthly_totals(bids, first, last)  # the dashboard shows no customers or time to ship
    waiting = sales.waiting_to_ship(bids, timedelta(days=WAITING_DAYS), now=now)
    last_check = dict(db.session.execute(
        select(CheckIn.graduate_id, func.max(CheckIn.held_on)).where(CheckIn.graduate_id.in_(ids))
        .group_by(CheckIn.graduate_id)).all())
    overdue = dict(db.session.execute(
        select(Action.graduate_id, func.count()).where(Action.graduate_id.in_(ids), Action.done_at.is_(None),
                                                       Action.due_on < today)
        .group_by(Action.graduate_id)).all())
    started = dict(db.session.execute(
        select(Assignment.graduate_id, Assignment.started_at).where(Assignment.graduate_id.in_(ids),
                                                                    Assignment.ended_at.is_(None))).all())
    signed_in = dict(db.session.execute(select(SignIn.user_id, SignIn.signed_in_at)
                                        .where(SignIn.user_id.in_(ids))).all())
    asked = waiting_for(ids)
    rows = []
    for g in mentees:
        business = businesses.get(g.id)
        series = months.get(business.id) if business else [MonthSales(month=k) for k in month_keys(first, last)]
        alerts = [Alert("reference_requested", g.id, g.name)] if g.id in asked else []
        alerts += _alerts(g, business, series, today, now, last_check.get(g.id), overdue.get(g.id, 0),
                          waiting.get(business.id, 0) if business else 0, started.get(g.id), signed_in.get(g.id))
        rows.append(MenteeRow(graduate=g, business=business, months=series, last_check_in=last_check.get(g.id),
                              alerts=alerts))
    return rows


def _alerts(g: User, business, series: list[MonthSales], today: date, now: datetime, last_check: date | None,
            overdue: int, waiting: int, started_at, signed_in_at) -> list[Alert]:
    out = []
    since = last_check or (as_utc(started_at).astimezone(JAKARTA).date() if started_at else today)
    if (today - since).days >= NO_CHECK_IN_DAYS:
        out.append(Alert("no_check_in", g.id, g.name, count=(today - since).days))
    if overdue:
        out.append(Alert("overdue_actions", g.id, g.name, count=overdue))
    if len(series) >= 3:
        before, after = series[-3].revenue_idr, series[-2].revenue_idr  # the two last full months
        if before >= DROP_FROM_IDR and after * 2 < before:
            out.append(Alert("revenue_drop", g.id, g.name, before_idr=before, after_idr=after))
    if waiting:
        out.append(Alert("waiting_to_ship", g.id, g.name, count=waiting))
    if business is not None and business.on_holiday and now - business.updated_at >= timedelta(days=HOLIDAY_DAYS):
        out.append(Alert("holiday", g.id, g.name, count=(now - business.updated_at).days))
    seen = as_utc(signed_in_at) if signed_in_at else as_utc(g.created_at)
    if now - seen >= timedelta(days=NOT_SIGNED_IN_DAYS):
        out.append(Alert("not_signed_in", g.id, g.name, count=(now - seen).days))
    return out


@transactional
def send_weekly_digests(now: datetime | None = None) -> int:
    """One email per mentor who has alerts; returns how many were sent. Commits."""
    mentors = db.session.execute(select(User).where(User.role == Role.MENTOR.value, User.deleted_at.is_(None))
                                 .order_by(User.id)).scalars().all()
    sent = 0
    for mentor in mentors:
        alerts = [a for row in mentor_dashboard(mentor, now) for a in row.alerts]
        if alerts:
            send_email(mentor.email, "mentoring_digest", locale=mentor.locale or "id", mentor=mentor, alerts=alerts,
                       link=f"{current_app.config['PUBLIC_URL']}/mentoring/")
            sent += 1
    return sent
