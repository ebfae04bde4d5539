"""The seller's steps after payment (packed, shipped, delivered, completed), the customer saying a
parcel arrived, and escrow: the program holds a seller's share until the customer has the parcel
(they mark it received, or ``ESCROW_RELEASE_DAYS`` pass after shipping: ``flask orders
release-escrow``); then it becomes available for payout. A seller marking their own part completed
releases nothing."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.orders.errors import InvalidTransition, MissingShippingDetails, NotAllowed
from marketplace.orders.models import DeliveryZone, OrderPart, PartStatus, SystemNote
from marketplace.orders.notices import email_customer, email_program_staff, email_seller
from marketplace.orders.status import SELLER_STEPS, record_event, transition
from marketplace.payments import ledger

SHIPPED_OR_LATER = (PartStatus.SHIPPED.value, PartStatus.DELIVERED.value, PartStatus.COMPLETED.value)


def advance_part(part_id: int, to_status: str, actor_id: int, courier: str | None = None,
                 tracking_number: str | None = None) -> OrderPart:
    """Seller steps: paid -> packed -> shipped (courier, tracking) -> delivered -> completed."""
    from_status = SELLER_STEPS.get(to_status)
    if from_status is None:
        raise InvalidTransition()
    values = {}
    part = db.session.get(OrderPart, part_id)
    if part is None:
        raise NotAllowed()
    if to_status == PartStatus.SHIPPED.value:
        courier, tracking_number = (courier or "").strip(), (tracking_number or "").strip()
        if part.delivery_zone != DeliveryZone.PICKUP.value and not (courier and tracking_number):
            raise MissingShippingDetails()
        values = {"courier": courier or None, "tracking_number": tracking_number or None, "shipped_at": utcnow()}
    if not transition(part_id, {from_status}, to_status, **values):
        raise InvalidTransition()
    note = f"{courier} {tracking_number}".strip() if to_status == PartStatus.SHIPPED.value else None
    record_event(part.order, part, to_status, note, actor_id)
    if to_status == PartStatus.SHIPPED.value:
        email_customer(part.order, "order_shipped", part=part)
    db.session.commit()
    return part


def confirm_received(order_id: int, part_id: int, actor_id: int | None) -> OrderPart:
    """The customer says a seller's parcel arrived: shipped or delivered -> completed."""
    part = db.session.get(OrderPart, part_id)
    if part is None or part.order_id != order_id:
        raise NotAllowed()
    if not transition(part_id, {PartStatus.SHIPPED.value, PartStatus.DELIVERED.value}, PartStatus.COMPLETED.value):
        raise InvalidTransition()
    record_event(part.order, part, PartStatus.COMPLETED.value, SystemNote.RECEIVED_BY_CUSTOMER.value, actor_id)
    release_to_seller(part)
    db.session.commit()
    return part


def release_to_seller(part: OrderPart) -> bool:
    """Escrow ends for the part: its money becomes available for payout. Once (a conditional UPDATE:
    a second call, or the scheduled command at the same moment, changes nothing); the caller commits."""
    moved = db.session.execute(
        update(OrderPart).where(OrderPart.id == part.id, OrderPart.released_at.is_(None),
                                OrderPart.status.in_(SHIPPED_OR_LATER))  # never a part refunded meanwhile
        .values(released_at=utcnow()).execution_options(synchronize_session=False)).rowcount == 1
    if not moved:
        return False
    db.session.refresh(part)
    ledger.release_part(part.id)
    record_event(part.order, part, part.status, SystemNote.RELEASED_TO_SELLER.value, None)
    return True


def release_due_parts(now: datetime | None = None) -> int:
    """``flask orders release-escrow``: release the parts shipped ``ESCROW_RELEASE_DAYS`` ago or more
    whose customer reported no problem. Safe on a schedule and twice at once."""
    cutoff = (now or utcnow()) - timedelta(days=current_app.config["ESCROW_RELEASE_DAYS"])
    due = db.session.execute(
        select(OrderPart.id).where(OrderPart.status.in_(SHIPPED_OR_LATER), OrderPart.released_at.is_(None),
                                   OrderPart.problem_reported_at.is_(None), OrderPart.shipped_at <= cutoff)
        .order_by(OrderPart.id)).scalars().all()
    released = 0
    for part_id in due:
        if release_to_seller(db.session.get(OrderPart, part_id)):
            released += 1
        db.session.commit()
    return released


def report_problem(order_id: int, part_id: int, note: str, actor_id: int | None) -> OrderPart:
    """The customer says something is wrong with a parcel on its way (not arrived, damaged): the
    seller's share stays held past ESCROW_RELEASE_DAYS, until the customer marks it received or program
    staff decide. The seller and their program's staff are emailed what the customer wrote; a part is
    reported once (the conditional UPDATE), so a second report is refused and mails nobody."""
    part = db.session.get(OrderPart, part_id)
    if part is None or part.order_id != order_id:
        raise NotAllowed()
    note = (note or "").strip()[:1000]
    if not note:
        raise InvalidTransition()
    reported = db.session.execute(
        update(OrderPart).where(OrderPart.id == part_id, OrderPart.status.in_(SHIPPED_OR_LATER),
                                OrderPart.released_at.is_(None), OrderPart.problem_reported_at.is_(None))
        .values(problem_reported_at=utcnow(), problem_note=note)
        .execution_options(synchronize_session=False)).rowcount == 1
    if not reported:
        raise InvalidTransition()
    db.session.refresh(part)
    record_event(part.order, part, part.status, note, actor_id)
    email_seller(part, "order_problem_reported_for_seller", note=note)
    email_program_staff(part, "order_problem_reported_for_staff", "/staff/problems", note=note)
    db.session.commit()
    return part
