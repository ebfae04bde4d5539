"""The seller's steps after payment (packed, shipped, delivered, completed) and the customer saying a
parcel arrived."""
from __future__ import annotations

from marketplace.extensions import db
from marketplace.orders.errors import InvalidTransition, MissingShippingDetails, NotAllowed
from marketplace.orders.models import DeliveryZone, OrderPart, PartStatus, SystemNote
from marketplace.orders.notices import email_customer
from marketplace.orders.status import SELLER_STEPS, record_event, transition


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
        values = {"courier": courier or None, "tracking_number": tracking_number or None}
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
    db.session.commit()
    return part
