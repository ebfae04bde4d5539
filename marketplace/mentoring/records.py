"""A graduate's record as one page shows it: this year's figures, goals with their progress,
milestones, check-ins with actions, support and (for staff) the mentor history. Check-in notes are
included; which of them a viewer may read is ``visible_notes``."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.catalog import queries as catalog
from marketplace.core import policy
from marketplace.core.sqltime import month_keys
from marketplace.core.timeutil import JAKARTA, as_utc
from marketplace.extensions import db
from marketplace.jobs import queries as jobs
from marketplace.mentoring.alerts import WAITING_DAYS
from marketplace.mentoring.assignments import assignment_history, graduate_for
from marketplace.mentoring.check_ins import check_ins_of
from marketplace.mentoring.dates import chart_window
from marketplace.mentoring.goals import GoalProgress, progress
from marketplace.mentoring.models import Action, Assignment, CheckIn, Goal, Milestone, Reference, Support
from marketplace.mentoring.references import applications_of, open_request, references_of
from marketplace.orders import queries as sales
from marketplace.orders.queries import MonthSales


@dataclass
class Record:
    graduate: User
    assignment: Assignment | None
    business: catalog.BusinessInfo | None
    months: list[MonthSales]
    jobs_months: list[jobs.JobsMonth]      # job applications and hires, month by month beside ``months``
    active_products: int
    waiting_to_ship: int
    goals: list[GoalProgress]
    milestones: list[Milestone]
    check_ins: list[CheckIn]
    open_actions: list[Action]
    support: list[Support]
    first_sale_on: date | None
    history: list[Assignment] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)  # for the graduate alone
    reference_asked: bool = False                              # for the current mentor: a request waits
    applications: list = field(default_factory=list)           # the graduate's, where a reference may go

    @property
    def support_total_idr(self) -> int:
        return sum(s.amount_idr for s in self.support)


def record_for(viewer: User, graduate_id: int | None) -> Record:
    """What ``viewer`` may see of a graduate's progress (check-in notes not included: see
    ``visible_notes``)."""
    graduate, assignment = graduate_for(viewer, graduate_id)
    business = catalog.businesses_of_owners([graduate.id]).get(graduate.id)
    first, last = chart_window()
    months = sales.monthly_sales([business.id], first, last)[business.id] if business else [
        MonthSales(month=k) for k in month_keys(first, last)]
    by_month = jobs.applications_and_hires_by_month([graduate.id], first, last)
    active = catalog.active_product_counts([business.id]).get(business.id, 0) if business else 0
    waiting = sales.waiting_to_ship([business.id], timedelta(days=WAITING_DAYS)).get(business.id, 0) if business else 0
    first_sale = sales.first_sale_at([business.id]).get(business.id) if business else None
    goals = db.session.execute(select(Goal).where(Goal.graduate_id == graduate.id)
                               .order_by(Goal.due_on, Goal.id)).scalars().all()
    milestones = db.session.execute(select(Milestone).where(Milestone.graduate_id == graduate.id)
                                    .order_by(Milestone.achieved_on, Milestone.id)).scalars().all()
    check_ins = check_ins_of(graduate.id)
    support = db.session.execute(select(Support).where(Support.graduate_id == graduate.id)
                                 .order_by(Support.given_on.desc(), Support.id.desc())).scalars().all()
    mine = references_of(graduate.id) if policy.is_graduate_self(viewer, graduate) else []
    open_actions = sorted((a for c in check_ins for a in c.actions if a.done_at is None),
                          key=lambda a: (a.due_on, a.id))
    return Record(graduate=graduate, assignment=assignment, business=business, months=months,
                  jobs_months=[by_month.get(m.month, jobs.JobsMonth(0, 0)) for m in months],
                  active_products=active, waiting_to_ship=waiting,
                  goals=[progress(g, months, active, business) for g in goals], milestones=milestones,
                  check_ins=check_ins, open_actions=open_actions, support=support,
                  first_sale_on=as_utc(first_sale).astimezone(JAKARTA).date() if first_sale else None,
                  history=assignment_history(graduate.id) if policy.is_program_staff(viewer, graduate) else [],
                  references=mine,
                  applications=applications_of(graduate.id) if any(r.written for r in mine) else [],
                  reference_asked=policy.may_mentor(viewer, assignment) and open_request(graduate.id) is not None)


def visible_notes(viewer: User, record: Record) -> tuple[bool, bool]:
    """(shared notes shown, private notes shown) on the record page of ``viewer``."""
    return (policy.may_read_shared_notes(viewer, record.graduate, record.assignment),
            policy.may_read_private_notes(viewer, record.assignment))
