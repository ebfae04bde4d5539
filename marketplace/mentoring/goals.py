"""Goals and milestones of a graduate's business, agreed by mentor and graduate, and a goal's progress
read from the real figures (``orders.queries``) or, for a hand-kept goal, the number written down."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import User
from marketplace.core import policy
from marketplace.core.transactions import transactional
from marketplace.extensions import db
from marketplace.mentoring.assignments import graduate_for, require_mentor
from marketplace.core.sqltime import month_key
from marketplace.core.timeutil import jakarta_today
from marketplace.mentoring.errors import MentoringError, NotFound, require_whole
from marketplace.mentoring.models import Goal, GoalMetric, Milestone, MilestoneKind
from marketplace.orders import queries as sales
from marketplace.orders.queries import MonthSales

MAX_TARGET = 1_000_000_000_000


@transactional
def add_goal(actor: User, graduate_id: int | None, *, metric: str, title: str, target: int,
             due_on: date | None) -> Goal:
    """The current mentor writes down a goal agreed with the graduate. Commits."""
    graduate = require_mentor(actor, graduate_id)
    if metric not in {m.value for m in GoalMetric}:
        raise MentoringError("bad_metric")
    target = require_whole(target, 1, MAX_TARGET, "bad_target")
    today = jakarta_today()
    if not isinstance(due_on, date) or not today <= due_on <= today + timedelta(days=5 * 366):
        raise MentoringError("bad_due_date")
    title = (title or "").strip()[:120] or metric
    goal = Goal(graduate_id=graduate.id, metric=metric, title=title, target=target, due_on=due_on,
                created_by_id=actor.id)
    db.session.add(goal)
    return goal


@transactional
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
    goal.manual_value = require_whole(value, 0, MAX_TARGET, "bad_value")
    return goal


@transactional
def record_milestone(actor: User, graduate_id: int | None, kind: str, achieved_on: date | None) -> Milestone:
    graduate = require_mentor(actor, graduate_id)
    if kind not in {k.value for k in MilestoneKind}:
        raise MentoringError("bad_kind")
    if not isinstance(achieved_on, date) or not date(2000, 1, 1) <= achieved_on <= jakarta_today():
        raise MentoringError("bad_milestone_date")
    milestone = Milestone(graduate_id=graduate.id, kind=kind, achieved_on=achieved_on, recorded_by_id=actor.id)
    db.session.add(milestone)
    try:
        db.session.flush()
    except IntegrityError:  # recorded already (rolled back as it leaves)
        raise MentoringError("milestone_exists") from None
    return milestone


@dataclass
class GoalProgress:
    goal: Goal
    value: int
    percent: int

    @property
    def reached(self) -> bool:
        return self.value >= self.goal.target


def progress(goal: Goal, months: list[MonthSales], active_products: int, business) -> GoalProgress:
    """Monthly metrics are read in the due date's month, or this month while that is still ahead."""
    key = month_key(min(goal.due_on, jakarta_today()))
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
