"""Mentoring rules: assignment of mentors (with history), goals, milestones, check-ins and actions,
support, the figures of a business, alerts and the weekly digest.

Knows nothing of requests. Functions take the acting user and plain values, check who asks (see
``marketplace/core/policy.py``), do their work in one transaction that they commit, and raise ``MentoringError``.
Sales are read only through ``marketplace.orders.queries`` and storefronts through
``marketplace.catalog.queries``; no order is loaded into Python.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import Role, User
from marketplace.catalog import queries as catalog
from marketplace.core import audit, policy
from marketplace.core.timeutil import as_utc, utcnow
from marketplace.extensions import db
from marketplace.mentoring.errors import MentoringError, NotFound
from marketplace.mentoring.models import (
    Action,
    ActionOwner,
    Assignment,
    CheckIn,
    CheckInMode,
    Goal,
    GoalMetric,
    Milestone,
    MilestoneKind,
    SignIn,
    Support,
    SupportKind,
)
from marketplace.orders import queries as sales
from marketplace.orders.queries import MonthSales

MAX_TARGET = 1_000_000_000_000
MAX_SUPPORT_IDR = 10_000_000_000
CHART_MONTHS = 12
NO_CHECK_IN_DAYS = 30
NOT_SIGNED_IN_DAYS = 30
HOLIDAY_DAYS = 14
WAITING_DAYS = 3
# "Revenue down sharply": the last full month below half of the month before, from at least this much.
DROP_FROM_IDR = 100_000


def today_jakarta() -> date:
    return (utcnow() + sales.JAKARTA_OFFSET).date()


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# People and assignments ------------------------------------------------------------------------


def graduate_for(user: User, graduate_id: int | None) -> tuple[User, Assignment | None]:
    """The graduate ``user`` may see, and their current assignment; NotFound for anyone else (another
    program, a mentor not or no longer assigned, another graduate)."""
    graduate = db.session.get(User, graduate_id) if graduate_id else None
    if graduate is None or graduate.role != Role.GRADUATE.value or graduate.deleted_at is not None:
        raise NotFound()
    assignment = current_assignment(graduate.id)
    if not policy.may_view_record(user, graduate, assignment):
        raise NotFound()
    return graduate, assignment


def current_assignment(graduate_id: int) -> Assignment | None:
    return db.session.execute(select(Assignment).where(Assignment.graduate_id == graduate_id,
                                                       Assignment.ended_at.is_(None))).scalar_one_or_none()


def _program_person(actor: User, person_id: int | None, role: str, code: str) -> User:
    person = db.session.get(User, person_id) if person_id else None
    if (person is None or person.role != role or person.deleted_at is not None
            or not policy.is_program_staff(actor, person)
            or (actor.role == Role.ADMIN.value and actor.program_id and person.program_id != actor.program_id)):
        raise MentoringError(code)
    return person


def assign_mentor(actor: User, graduate_id: int | None, mentor_id: int | None) -> Assignment:
    """Staff give a graduate a mentor (or a new one): the current assignment ends, a new one starts, and
    the previous mentor loses access at once. Commits."""
    graduate = _program_person(actor, graduate_id, Role.GRADUATE.value, "not_a_graduate")
    mentor = _program_person(actor, mentor_id, Role.MENTOR.value, "not_a_mentor")
    if mentor.program_id != graduate.program_id:
        raise MentoringError("not_a_mentor")
    current = current_assignment(graduate.id)
    if current is not None and current.mentor_id == mentor.id:
        raise MentoringError("already_assigned")
    now = utcnow()
    if current is not None:
        current.ended_at = now
        db.session.flush()  # the partial unique index allows one current row per graduate
    assignment = Assignment(program_id=graduate.program_id, graduate_id=graduate.id, mentor_id=mentor.id,
                            assigned_by_id=actor.id, started_at=now)
    db.session.add(assignment)
    audit.record(actor.id, "mentor.assign", "user", graduate.id, program_id=graduate.program_id,
                 detail=f"mentor {mentor.id}" + (f", replacing {current.mentor_id}" if current else ""))
    try:
        db.session.commit()
    except IntegrityError:  # two staff assigned at the same moment: the other one won
        db.session.rollback()
        raise MentoringError("already_assigned") from None
    return assignment


def end_assignment(actor: User, graduate_id: int | None) -> None:
    graduate = _program_person(actor, graduate_id, Role.GRADUATE.value, "not_a_graduate")
    current = current_assignment(graduate.id)
    if current is None:
        raise MentoringError("not_assigned")
    current.ended_at = utcnow()
    audit.record(actor.id, "mentor.unassign", "user", graduate.id, program_id=graduate.program_id,
                 detail=f"mentor {current.mentor_id}")
    db.session.commit()


@dataclass
class Workload:
    mentor: User
    mentees: int


@dataclass
class ProgramPeople:
    graduates: list[User]
    mentors: list[User]
    current: dict[int, Assignment]        # graduate id -> current assignment
    workload: list[Workload]
    history: list[Assignment]             # newest first
    needs_support: list[CheckIn]          # flagged check-ins not yet resolved (no notes shown)


def program_people(program_id: int) -> ProgramPeople:
    """The staff's assignment page: graduates, mentors, who follows whom, workload and history."""
    people = db.session.execute(
        select(User).where(User.program_id == program_id, User.deleted_at.is_(None),
                           User.role.in_((Role.GRADUATE.value, Role.MENTOR.value)))
        .order_by(User.name, User.id)).scalars().all()
    assignments = db.session.execute(
        select(Assignment).where(Assignment.program_id == program_id)
        .order_by(Assignment.started_at.desc(), Assignment.id.desc())).scalars().all()
    current = {a.graduate_id: a for a in assignments if a.ended_at is None}
    mentors = [p for p in people if p.role == Role.MENTOR.value]
    names = {p.id: p for p in people}
    counts: dict[int, int] = {}
    for a in current.values():
        counts[a.mentor_id] = counts.get(a.mentor_id, 0) + 1
    flagged = db.session.execute(
        select(CheckIn).join(User, User.id == CheckIn.graduate_id)
        .where(User.program_id == program_id, CheckIn.needs_support.is_(True),
               CheckIn.support_resolved_at.is_(None))
        .order_by(CheckIn.held_on.desc(), CheckIn.id.desc())).scalars().all()
    for a in assignments:  # names for the history without one query per row
        a.graduate_name = names[a.graduate_id].name if a.graduate_id in names else "-"
        a.mentor_name = names[a.mentor_id].name if a.mentor_id in names else "-"
    for c in flagged:
        c.graduate_name = names[c.graduate_id].name if c.graduate_id in names else "-"
    return ProgramPeople(
        graduates=[p for p in people if p.role == Role.GRADUATE.value], mentors=mentors, current=current,
        workload=sorted((Workload(m, counts.get(m.id, 0)) for m in mentors), key=lambda w: (-w.mentees, w.mentor.name)),
        history=assignments, needs_support=flagged)


def assignment_history(graduate_id: int) -> list[Assignment]:
    return db.session.execute(
        select(Assignment).where(Assignment.graduate_id == graduate_id)
        .order_by(Assignment.started_at.desc(), Assignment.id.desc())).scalars().all()


def mentees_of(mentor: User) -> list[User]:
    return db.session.execute(
        select(User).join(Assignment, Assignment.graduate_id == User.id)
        .where(Assignment.mentor_id == mentor.id, Assignment.ended_at.is_(None), User.deleted_at.is_(None))
        .order_by(User.name, User.id)).scalars().all()


# Goals and milestones --------------------------------------------------------------------------


def _require_mentor(actor: User, graduate_id: int | None) -> User:
    graduate, assignment = graduate_for(actor, graduate_id)
    if not policy.may_mentor(actor, assignment):
        raise NotFound()
    return graduate


def _whole(value, low: int, high: int, code: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise MentoringError(code)
    return value


def add_goal(actor: User, graduate_id: int | None, *, metric: str, title: str, target: int,
             due_on: date | None) -> Goal:
    """The current mentor writes down a goal agreed with the graduate. Commits."""
    graduate = _require_mentor(actor, graduate_id)
    if metric not in {m.value for m in GoalMetric}:
        raise MentoringError("bad_metric")
    target = _whole(target, 1, MAX_TARGET, "bad_target")
    today = today_jakarta()
    if not isinstance(due_on, date) or not today <= due_on <= today + timedelta(days=5 * 366):
        raise MentoringError("bad_due_date")
    title = (title or "").strip()[:120] or metric
    goal = Goal(graduate_id=graduate.id, metric=metric, title=title, target=target, due_on=due_on,
                created_by_id=actor.id)
    db.session.add(goal)
    db.session.commit()
    return goal


def set_goal_value(actor: User, goal_id: int | None, value: int) -> Goal:
    """The number of a hand-kept goal (the mentor or the graduate writes it)."""
    goal = db.session.get(Goal, goal_id) if goal_id else None
    if goal is None:
        raise NotFound()
    graduate, assignment = graduate_for(actor, goal.graduate_id)
    if not (policy.may_mentor(actor, assignment) or policy.is_graduate_self(actor, graduate)):
        raise NotFound()
    if goal.metric != GoalMetric.MANUAL.value:
        raise MentoringError("bad_metric")
    goal.manual_value = _whole(value, 0, MAX_TARGET, "bad_value")
    db.session.commit()
    return goal


def record_milestone(actor: User, graduate_id: int | None, kind: str, achieved_on: date | None) -> Milestone:
    graduate = _require_mentor(actor, graduate_id)
    if kind not in {k.value for k in MilestoneKind}:
        raise MentoringError("bad_kind")
    if not isinstance(achieved_on, date) or not date(2000, 1, 1) <= achieved_on <= today_jakarta():
        raise MentoringError("bad_milestone_date")
    milestone = Milestone(graduate_id=graduate.id, kind=kind, achieved_on=achieved_on, recorded_by_id=actor.id)
    db.session.add(milestone)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise MentoringError("milestone_exists") from None
    return milestone


# Check-ins and actions -------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: str
    due_on: date | None


def record_check_in(actor: User, graduate_id: int | None, *, held_on: date | None, mode: str, notes: str,
                    private_notes: str = "", needs_support: bool = False,
                    actions: list[ActionInput] = ()) -> CheckIn:
    """The current mentor records a check-in and the actions agreed. Commits."""
    graduate = _require_mentor(actor, graduate_id)
    today = today_jakarta()
    if not isinstance(held_on, date) or not today - timedelta(days=366) <= held_on <= today:
        raise MentoringError("bad_date")
    if mode not in {m.value for m in CheckInMode}:
        raise MentoringError("bad_mode")
    notes, private_notes = (notes or "").strip()[:5000], (private_notes or "").strip()[:5000]
    wanted = [a for a in actions if (a.description or "").strip()]
    for a in wanted:
        if (a.owner not in {o.value for o in ActionOwner} or not isinstance(a.due_on, date)
                or not held_on <= a.due_on <= today + timedelta(days=366)):
            raise MentoringError("bad_action")
    if not notes and not private_notes and not wanted:
        raise MentoringError("empty_check_in")
    check_in = CheckIn(graduate_id=graduate.id, mentor_id=actor.id, held_on=held_on, mode=mode, notes=notes,
                       private_notes=private_notes, needs_support=bool(needs_support))
    for a in wanted:
        check_in.actions.append(Action(graduate_id=graduate.id, description=a.description.strip()[:300],
                                       owner=a.owner, due_on=a.due_on))
    db.session.add(check_in)
    db.session.commit()
    return check_in


def mark_action_done(actor: User, action_id: int | None) -> Action:
    """The graduate marks their own actions done; the current mentor may mark any of the graduate's."""
    action = db.session.get(Action, action_id) if action_id else None
    if action is None:
        raise NotFound()
    graduate, assignment = graduate_for(actor, action.graduate_id)
    if policy.is_graduate_self(actor, graduate):
        if action.owner != ActionOwner.GRADUATE.value:
            raise MentoringError("not_your_action")
    elif not policy.may_mentor(actor, assignment):
        raise NotFound()
    moved = db.session.execute(
        update(Action).where(Action.id == action.id, Action.done_at.is_(None))
        .values(done_at=utcnow(), done_by_id=actor.id).execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        db.session.rollback()
        raise MentoringError("already_done")
    db.session.commit()
    db.session.refresh(action)
    return action


def resolve_support_flag(actor: User, check_in_id: int | None) -> None:
    """Staff say they have acted on a "needs support" flag."""
    check_in = db.session.get(CheckIn, check_in_id) if check_in_id else None
    if check_in is None:
        raise NotFound()
    graduate = db.session.get(User, check_in.graduate_id)
    if not policy.is_program_staff(actor, graduate):
        raise NotFound()
    if check_in.support_resolved_at is None:
        check_in.support_resolved_at = utcnow()
        audit.record(actor.id, "mentoring.support_flag_resolved", "check_in", check_in.id,
                     program_id=graduate.program_id)
    db.session.commit()


def notes_for_staff(actor: User, graduate_id: int | None) -> tuple[User, list[CheckIn]]:
    """Every check-in with its notes, private ones included, for the program's staff: the read is
    written to the audit log in the same transaction."""
    graduate, _assignment = graduate_for(actor, graduate_id)
    if not policy.is_program_staff(actor, graduate):
        raise NotFound()
    check_ins = _check_ins(graduate.id)
    audit.record(actor.id, "mentor_note.read", "user", graduate.id, program_id=graduate.program_id,
                 detail=f"{len(check_ins)} check-ins")
    db.session.commit()
    return graduate, check_ins


def _check_ins(graduate_id: int) -> list[CheckIn]:
    from sqlalchemy.orm import selectinload

    return db.session.execute(
        select(CheckIn).where(CheckIn.graduate_id == graduate_id)
        .options(selectinload(CheckIn.actions), selectinload(CheckIn.mentor))
        .order_by(CheckIn.held_on.desc(), CheckIn.id.desc())).scalars().all()


# Support ---------------------------------------------------------------------------------------


def record_support(actor: User, graduate_id: int | None, *, kind: str, description: str, amount_idr: int,
                   given_on: date | None) -> Support:
    graduate = db.session.get(User, graduate_id) if graduate_id else None
    if graduate is None or graduate.role != Role.GRADUATE.value or not policy.is_program_staff(actor, graduate):
        raise NotFound()
    if kind not in {k.value for k in SupportKind}:
        raise MentoringError("bad_kind")
    description = (description or "").strip()
    if not description or len(description) > 300:
        raise MentoringError("bad_description")
    amount_idr = _whole(amount_idr, 0, MAX_SUPPORT_IDR, "bad_amount")
    if not isinstance(given_on, date) or not date(2000, 1, 1) <= given_on <= today_jakarta():
        raise MentoringError("bad_milestone_date")
    support = Support(program_id=graduate.program_id, graduate_id=graduate.id, kind=kind, description=description,
                      amount_idr=amount_idr, given_on=given_on, recorded_by_id=actor.id)
    db.session.add(support)
    audit.record(actor.id, "mentoring.support", "user", graduate.id, program_id=graduate.program_id)
    db.session.commit()
    return support


# Sign-ins (for the "not seen for 30 days" alert) -----------------------------------------------


def note_sign_in(user: User) -> None:
    """Connected to Flask-Login's ``user_logged_in``: graduates only; part of the sign-in's request."""
    if user.role != Role.GRADUATE.value:
        return
    moved = db.session.execute(update(SignIn).where(SignIn.user_id == user.id)
                               .values(signed_in_at=utcnow())).rowcount
    if not moved:
        db.session.add(SignIn(user_id=user.id, signed_in_at=utcnow()))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


# A graduate's record: figures, goals, check-ins ------------------------------------------------


@dataclass
class GoalProgress:
    goal: Goal
    value: int
    percent: int

    @property
    def reached(self) -> bool:
        return self.value >= self.goal.target


@dataclass
class Record:
    graduate: User
    assignment: Assignment | None
    business: catalog.BusinessInfo | None
    months: list[MonthSales]
    active_products: int
    waiting_to_ship: int
    goals: list[GoalProgress]
    milestones: list[Milestone]
    check_ins: list[CheckIn]
    open_actions: list[Action]
    support: list[Support]
    first_sale_on: date | None
    history: list[Assignment] = field(default_factory=list)

    @property
    def support_total_idr(self) -> int:
        return sum(s.amount_idr for s in self.support)


def chart_window(today: date | None = None) -> tuple[date, date]:
    today = today or today_jakarta()
    return add_months(today, -(CHART_MONTHS - 1)), today


def record_for(viewer: User, graduate_id: int | None) -> Record:
    """What ``viewer`` may see of a graduate's progress (check-in notes not included: see
    ``visible_notes``)."""
    graduate, assignment = graduate_for(viewer, graduate_id)
    business = catalog.businesses_of_owners([graduate.id]).get(graduate.id)
    first, last = chart_window()
    months = sales.monthly_sales([business.id], first, last)[business.id] if business else [
        MonthSales(month=k) for k in sales.months_between(first, last)]
    active = catalog.active_product_counts([business.id]).get(business.id, 0) if business else 0
    waiting = sales.waiting_to_ship([business.id], timedelta(days=WAITING_DAYS)).get(business.id, 0) if business else 0
    first_sale = sales.first_sale_at([business.id]).get(business.id) if business else None
    goals = db.session.execute(select(Goal).where(Goal.graduate_id == graduate.id)
                               .order_by(Goal.due_on, Goal.id)).scalars().all()
    milestones = db.session.execute(select(Milestone).where(Milestone.graduate_id == graduate.id)
                                    .order_by(Milestone.achieved_on, Milestone.id)).scalars().all()
    check_ins = _check_ins(graduate.id)
    support = db.session.execute(select(Support).where(Support.graduate_id == graduate.id)
                                 .order_by(Support.given_on.desc(), Support.id.desc())).scalars().all()
    open_actions = sorted((a for c in check_ins for a in c.actions if a.done_at is None),
                          key=lambda a: (a.due_on, a.id))
    progress = [_progress(g, months, active, business) for g in goals]
    return Record(graduate=graduate, assignment=assignment, business=business, months=months,
                  active_products=active, waiting_to_ship=waiting, goals=progress, milestones=milestones,
                  check_ins=check_ins, open_actions=open_actions, support=support,
                  first_sale_on=(as_utc(first_sale) + sales.JAKARTA_OFFSET).date() if first_sale else None,
                  history=assignment_history(graduate.id) if policy.is_program_staff(viewer, graduate) else [])


def _progress(goal: Goal, months: list[MonthSales], active_products: int, business) -> GoalProgress:
    """Monthly metrics are read in the due date's month, or this month while that is still ahead."""
    key = sales.month_key(min(goal.due_on, today_jakarta()))
    month = next((m for m in months if m.month == key), None)
    if month is None and business is not None and goal.metric in (GoalMetric.REVENUE.value, GoalMetric.ORDERS.value,
                                                                  GoalMetric.REPEAT_CUSTOMERS.value):
        day = date(int(key[:4]), int(key[5:]), 1)
        month = sales.monthly_sales([business.id], day, day)[business.id][0]
    month = month or MonthSales(month=key)
    value = {GoalMetric.REVENUE.value: month.revenue_idr, GoalMetric.ORDERS.value: month.orders,
             GoalMetric.REPEAT_CUSTOMERS.value: month.repeat_customers,
             GoalMetric.ACTIVE_PRODUCTS.value: active_products}.get(goal.metric, goal.manual_value or 0)
    return GoalProgress(goal=goal, value=value, percent=min(100, value * 100 // goal.target))


def visible_notes(viewer: User, record: Record) -> tuple[bool, bool]:
    """(shared notes shown, private notes shown) on the record page of ``viewer``."""
    return (policy.may_read_shared_notes(viewer, record.graduate, record.assignment),
            policy.may_read_private_notes(viewer, record.assignment))


# Alerts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    kind: str              # no_check_in, overdue_actions, revenue_drop, waiting_to_ship, holiday, not_signed_in
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
    today = (now + sales.JAKARTA_OFFSET).date()
    mentees = mentees_of(mentor)
    ids = [g.id for g in mentees]
    if not ids:
        return []
    businesses = catalog.businesses_of_owners(ids)
    bids = [b.id for b in businesses.values()]
    first, last = chart_window(today)
    months = sales.monthly_sales(bids, first, last)
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
    rows = []
    for g in mentees:
        business = businesses.get(g.id)
        series = months.get(business.id) if business else [MonthSales(month=k) for k in sales.months_between(first, last)]
        alerts = _alerts(g, business, series, today, now, last_check.get(g.id), overdue.get(g.id, 0),
                         waiting.get(business.id, 0) if business else 0, started.get(g.id), signed_in.get(g.id))
        rows.append(MenteeRow(graduate=g, business=business, months=series, last_check_in=last_check.get(g.id),
                              alerts=alerts))
    return rows


def _alerts(g: User, business, series: list[MonthSales], today: date, now: datetime, last_check: date | None,
            overdue: int, waiting: int, started_at, signed_in_at) -> list[Alert]:
    out = []
    since = last_check or ((as_utc(started_at) + sales.JAKARTA_OFFSET).date() if started_at else today)
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


def send_weekly_digests(now: datetime | None = None) -> int:
    """One email per mentor who has alerts; returns how many were sent. Commits."""
    from flask import current_app

    from marketplace.notifications.services import send_email

    mentors = db.session.execute(select(User).where(User.role == Role.MENTOR.value, User.deleted_at.is_(None))
                                 .order_by(User.id)).scalars().all()
    sent = 0
    for mentor in mentors:
        alerts = [a for row in mentor_dashboard(mentor, now) for a in row.alerts]
        if alerts:
            send_email(mentor.email, "mentoring_digest", locale=mentor.locale or "id", mentor=mentor, alerts=alerts,
                       link=f"{current_app.config['PUBLIC_URL']}/mentoring/")
            sent += 1
    db.session.commit()
    return sent
