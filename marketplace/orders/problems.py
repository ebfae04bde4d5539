"""Problem reports: a customer said something is wrong with a parcel on its way, so its seller's share
stays held. Program staff decide each open report: release the money to the seller, or refund the
customer (the same refund as a seller's cancel: by card at once, by transfer owed by staff, cash owed by
the seller who collected it; the parcel is gone, so nothing goes back into stock). Each decision carries
a reason, is audit-logged, and is emailed to the customer and the seller in their own language.

Staff see and decide the reports of their own program's sellers (``policy.handles_money_of``); the
admin all. A report is open while its part is sent (shipped, delivered or completed by the seller) and
its money still held; either decision ends that by a conditional UPDATE, so a double submit, or two
staff members at once, decide it once. A customer who marks the parcel received meanwhile closes the
report the same way.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.catalog.models import Business
from marketplace.core import audit
from marketplace.core.policy import handles_money_of, is_admin
from marketplace.extensions import db
from marketplace.orders.closing import refund_paid_part
from marketplace.orders.errors import InvalidTransition, NotAllowed
from marketplace.orders.fulfilment import SHIPPED_OR_LATER, release_to_seller
from marketplace.orders.models import OrderPart
from marketplace.orders.notices import email_customer, email_seller
from marketplace.orders.status import record_event

PAGE_SIZE = 20
REASON_MAX = 500


class Resolution(str, enum.Enum):
    RELEASE = "release"  # the seller's share becomes available for payout
    REFUND = "refund"    # the customer gets the part's total back


OPEN_REPORT = and_(OrderPart.problem_reported_at.is_not(None), OrderPart.released_at.is_(None),
                   OrderPart.status.in_(SHIPPED_OR_LATER))


@dataclass(frozen=True)
class ReportPage:
    parts: list[OrderPart]
    next_after: int | None  # the ``after`` of the next page, if there is one


def open_reports(staff, after: int | None = None, size: int | None = None) -> ReportPage:
    """Open problem reports of the sellers whose money ``staff`` handles, the longest waiting first,
    paged by (reported at, id) after the part ``after``."""
    size = size or PAGE_SIZE
    query = (select(OrderPart).where(OPEN_REPORT)
             .options(selectinload(OrderPart.order), selectinload(OrderPart.lines),
                      selectinload(OrderPart.business).selectinload(Business.owner))
             .order_by(OrderPart.problem_reported_at, OrderPart.id).limit(size + 1))
    if not is_admin(staff):
        query = query.where(OrderPart.business_id.in_(
            select(Business.id).join(User, Business.owner_id == User.id).where(User.program_id == staff.program_id)))
    cursor = db.session.get(OrderPart, after) if after else None
    if cursor is not None and cursor.problem_reported_at is not None:
        query = query.where(or_(OrderPart.problem_reported_at > cursor.problem_reported_at,
                                and_(OrderPart.problem_reported_at == cursor.problem_reported_at,
                                     OrderPart.id > cursor.id)))
    parts = list(db.session.execute(query).scalars())
    more = len(parts) > size
    parts = parts[:size]
    return ReportPage(parts, parts[-1].id if more else None)


def check_may_resolve(part_id: int, staff) -> OrderPart:
    """The reported part, if ``staff`` decide its reports; NotAllowed (404) otherwise."""
    part = db.session.get(OrderPart, part_id)
    if part is None or part.problem_reported_at is None or not handles_money_of(staff, part.business):
        raise NotAllowed()
    return part


def resolve(part_id: int, staff, resolution: Resolution, reason: str) -> OrderPart:
    """Staff decide an open report, once. Raises NotAllowed (404) for a part that is not theirs to
    decide, InvalidTransition when the report is no longer open (decided a moment ago, or the customer
    received the parcel), and RefundFailed when the card refund was refused (nothing changed)."""
    part = check_may_resolve(part_id, staff)
    reason = (reason or "").strip()[:REASON_MAX]
    if not reason:
        raise InvalidTransition()  # a reason is required
    order = part.order
    refunded_idr = 0
    if resolution is Resolution.RELEASE:
        if not release_to_seller(part):
            raise InvalidTransition()
        record_event(order, part, part.status, reason, staff.id)
    else:
        refund = refund_paid_part(part, SHIPPED_OR_LATER, reason, staff.id, back_in_stock=False,
                                  only_if=(OrderPart.released_at.is_(None),))
        refunded_idr = refund.amount_idr
    audit.record(staff.id, f"problem.{resolution.value}", "order_part", part.id,
                 program_id=part.business.owner.program_id, detail=reason)
    email_customer(order, "order_problem_resolved", part=part, resolution=resolution.value, reason=reason,
                   refunded_idr=refunded_idr)
    email_seller(part, "order_problem_resolved_for_seller", resolution=resolution.value, reason=reason,
                 refunded_idr=refunded_idr)
    db.session.commit()
    return part
