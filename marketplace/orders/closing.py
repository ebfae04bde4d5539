"""Closing unpaid orders: expiry (``flask orders expire``) and the customer's cancellation.

An unpaid order is closed the same way whichever way it goes: a card payment is stopped at Stripe
first (``settlement.check_before_closing``); if Stripe says the money came, the order is marked paid
instead. Each part moves by a conditional UPDATE, so its stock is released once.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from marketplace.core.timeutil import as_utc, utcnow
from marketplace.extensions import db
from marketplace.orders import services, settlement
from marketplace.orders.models import (
    Order,
    OrderPart,
    OrderStatus,
    PartStatus,
    SystemNote,
)
from marketplace.orders.services import InvalidTransition, NotAllowed, PaymentArrived
from marketplace.payments import services as payments


def cancel_unpaid_part(part: OrderPart, reason: SystemNote, actor_id: int | None) -> bool:
    """True only for the one caller that moved the part, so only that caller releases its stock and
    tells the customer."""
    if not services.transition(part.id, {PartStatus.AWAITING_PAYMENT.value}, PartStatus.CANCELLED.value,
                               cancel_reason=reason.value):
        return False
    services.restock(part)
    services.record_event(part.order, part, PartStatus.CANCELLED.value, reason.value, actor_id)
    return True


def _close_unpaid(order: Order, reason: SystemNote, actor_id: int | None = None) -> list[OrderPart] | None:
    """Cancel every part still awaiting payment (the caller commits). None means the order must stay
    as it is: Stripe says it was paid (it is marked paid now) or Stripe cannot be asked."""
    if settlement.check_before_closing(order) is not None:
        return None
    moved = [part for part in order.parts if cancel_unpaid_part(part, reason, actor_id)]
    services.refresh_order_status(order)
    if order.status == OrderStatus.CANCELLED.value:
        payments.mark_cancelled(order)
    return moved


def expire_unpaid_orders(now: datetime | None = None) -> int:
    """``flask orders expire``: cancel orders not paid in time and put their stock back.

    Safe on a schedule and twice at once. A card payment is cancelled at Stripe first; if Stripe says it
    succeeded after all (a webhook that never came), the order is marked paid instead of expired."""
    now = now or utcnow()
    stale = db.session.execute(
        select(Order.id).where(Order.status == OrderStatus.AWAITING_PAYMENT.value, Order.expires_at < now)
        .order_by(Order.id)).scalars().all()
    expired = 0
    for order_id in stale:
        order = db.session.get(Order, order_id)
        if order is None or order.status != OrderStatus.AWAITING_PAYMENT.value or as_utc(order.expires_at) >= now:
            continue
        moved = _close_unpaid(order, SystemNote.NOT_PAID_IN_TIME)
        if moved:
            expired += 1
            # Sent in this transaction: a run that loses the race moved nothing and sends nothing.
            services.email_customer(order, "order_expired", expired_parts=moved,
                                    whole_order=order.status == OrderStatus.CANCELLED.value)
        db.session.commit()
    return expired


def cancel_unpaid_order(order_id: int, actor_id: int | None) -> Order:
    """The customer changed their mind before paying: every unpaid part is cancelled and its stock
    released. Raises PaymentArrived when the money came first (the order goes ahead) and
    InvalidTransition when there is nothing unpaid, or Stripe cannot be asked right now."""
    order = db.session.get(Order, order_id)
    if order is None:
        raise NotAllowed()
    if order.status != OrderStatus.AWAITING_PAYMENT.value:
        raise InvalidTransition()
    moved = _close_unpaid(order, SystemNote.CANCELLED_BY_CUSTOMER, actor_id)
    if moved is None:
        db.session.commit()
        if order.status == OrderStatus.PAID.value:
            raise PaymentArrived()
        raise InvalidTransition("the payment provider cannot be asked now")
    if not moved:
        db.session.rollback()
        raise InvalidTransition()
    services.email_customer(order, "order_cancelled_by_customer", cancelled_parts=moved)
    for part in moved:
        services.email_seller(part, "order_cancelled_for_seller")
    db.session.commit()
    return order


