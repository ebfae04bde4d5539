"""Order and part statuses: the conditional moves between them, the order's overall status, its
history, and what the customer still owes."""
from __future__ import annotations

from sqlalchemy import update

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderEvent, OrderPart, OrderStatus, PartStatus
from marketplace.payments import services as payments

LIVE_PART_STATUSES = frozenset(s.value for s in PartStatus) - {PartStatus.CANCELLED.value, PartStatus.REFUNDED.value}
# Counted as sales on the seller's history page.
SOLD_PART_STATUSES = (PartStatus.SHIPPED.value, PartStatus.DELIVERED.value, PartStatus.COMPLETED.value)
# What a seller may move a part to, from where.
SELLER_STEPS: dict[str, str] = {
    PartStatus.PACKED.value: PartStatus.PAID.value,
    PartStatus.SHIPPED.value: PartStatus.PACKED.value,
    PartStatus.DELIVERED.value: PartStatus.SHIPPED.value,
    PartStatus.COMPLETED.value: PartStatus.DELIVERED.value,
}


def transition(part_id: int, from_statuses: set[str] | frozenset[str] | tuple[str, ...], to_status: str,
               only_if: tuple = (), **values) -> bool:
    """Conditional UPDATE: of two concurrent callers only one moves the part. ``only_if``: more
    conditions the part must meet at that moment (e.g. its money still held)."""
    result = db.session.execute(
        update(OrderPart).where(OrderPart.id == part_id, OrderPart.status.in_(list(from_statuses)), *only_if)
        .values(status=to_status, updated_at=utcnow(), **values).execution_options(synchronize_session=False))
    if result.rowcount == 1:
        part = db.session.get(OrderPart, part_id)
        db.session.refresh(part)
        return True
    return False


def in_lock_order(parts) -> list[OrderPart]:
    """An order's parts in the one order every transaction moves several of them in: by seller
    (business id), then part id. Triggers on ``order_parts`` update each seller's monthly roll-up row
    (``orders/rollup.py``) as a part moves, and that row stays locked until the commit; two payments
    whose carts list the same two sellers in opposite orders would otherwise each hold one row and wait
    for the other's (a deadlock on PostgreSQL)."""
    return sorted(parts, key=lambda part: (part.business_id, part.id))


def refresh_order_status(order: Order) -> None:
    live = [p for p in order.parts if p.status in LIVE_PART_STATUSES]
    if not live:
        order.status = OrderStatus.CANCELLED.value
    elif all(p.status != PartStatus.AWAITING_PAYMENT.value for p in live):
        if order.status != OrderStatus.PAID.value:
            order.status = OrderStatus.PAID.value
            order.paid_at = order.paid_at or utcnow()
    else:
        order.status = OrderStatus.AWAITING_PAYMENT.value


def record_event(order: Order, part: OrderPart | None, status: str, note: str | None, actor_id: int | None) -> None:
    db.session.add(OrderEvent(order=order, part_id=part.id if part else None, status=status, note=note,
                              actor_id=actor_id))


def amount_due_idr(order: Order) -> int:
    """What the customer is asked to pay: the payment's amount (the order total less parts cancelled
    before any money came)."""
    due = payments.amount_due_idr(order)
    return due if due is not None else live_total_idr(order)


def amount_to_pay_idr(order: Order) -> int:
    """What the customer transfers or pays now: the amount due, plus the kode unik of a bank transfer,
    less what already arrived of it (a flagged, too small transfer)."""
    payment = payments.payment_for(order)
    if payment is None:
        return live_total_idr(order)
    return max(payment.to_transfer_idr - payment.received_idr, 0)


def refund_owed_idr(order: Order) -> int:
    """Money the program still has to send back to the customer of this order."""
    return sum(refund.amount_idr for refund in payments.refunds_of(order) if refund.owed)


def live_total_idr(order: Order) -> int:
    return sum(p.total_idr for p in order.parts if p.status in LIVE_PART_STATUSES)
