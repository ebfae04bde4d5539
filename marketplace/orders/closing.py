"""Closing: a seller cancels their part (money paid is refunded), unpaid orders expire (``flask orders
expire``) or their customer cancels them.

An unpaid order is closed the same way whichever way it goes: a card payment is stopped at Stripe
first (``settlement.check_before_closing``); if Stripe says the money came, the order is marked paid
instead. Each part moves by a conditional UPDATE, so its stock is released once.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from marketplace.core.timeutil import as_utc, utcnow
from marketplace.extensions import db
from marketplace.orders import settlement
from marketplace.orders.errors import InvalidTransition, NotAllowed, PaymentArrived, RefundFailed
from marketplace.orders.models import Order, OrderPart, OrderStatus, PartStatus, SystemNote
from marketplace.orders.notices import email_customer, email_seller
from marketplace.orders.status import (
    LIVE_PART_STATUSES,
    in_lock_order,
    live_total_idr,
    record_event,
    refresh_order_status,
    transition,
)
from marketplace.orders.stock import restock
from marketplace.payments import ledger
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod, Refund
from marketplace.payments.providers import PaymentError


def cancel_part(part_id: int, actor_id: int | None, reason: str) -> OrderPart:
    """Cancel one seller's part with a reason: the stock goes back, and money paid is refunded.

    An unpaid part of a card order cannot be cancelled alone (the customer may be paying that exact
    amount right now); it expires with its order instead."""
    part = db.session.get(OrderPart, part_id)
    if part is None:
        raise NotAllowed()
    order = part.order
    reason = (reason or "").strip()
    if not reason:
        raise InvalidTransition()  # a reason is required
    if part.status == PartStatus.AWAITING_PAYMENT.value:
        if PaymentMethod(order.payment_method).online:
            raise InvalidTransition()  # unpaid card orders expire by themselves
        if not transition(part_id, {PartStatus.AWAITING_PAYMENT.value}, PartStatus.CANCELLED.value,
                           cancel_reason=reason):
            raise InvalidTransition()
        restock(part)
        record_event(order, part, PartStatus.CANCELLED.value, reason, actor_id)
        refresh_order_status(order)
        # The order keeps its original total; the payment says what the customer still has to pay.
        payments.set_amount_due(order, live_total_idr(order))
        if order.status == OrderStatus.CANCELLED.value:
            payments.mark_cancelled(order)
        email_customer(order, "order_cancelled", part=part, reason=reason, refunded_idr=0)
        db.session.commit()
        return part
    if part.status not in (PartStatus.PAID.value, PartStatus.PACKED.value):
        raise InvalidTransition()
    refund = refund_paid_part(part, {PartStatus.PAID.value, PartStatus.PACKED.value}, reason, actor_id,
                              back_in_stock=True)
    email_customer(order, "order_cancelled", part=part, reason=reason, refunded_idr=refund.amount_idr,
                   refund_owed=refund.owed)
    db.session.commit()
    return part


def refund_paid_part(part: OrderPart, from_statuses: set[str] | tuple[str, ...], reason: str,
                     actor_id: int | None, back_in_stock: bool, only_if: tuple = ()) -> Refund:
    """A paid part -> refunded, with ``reason``: the money goes back by the way it came (a card at once;
    a transfer owed by program staff; cash owed by the seller who collected it), the seller's ledger is
    reversed, and the items go back on sale when ``back_in_stock`` (not for a parcel already sent). The
    caller tells the people concerned and commits. Raises InvalidTransition when the part was not in
    ``from_statuses`` (or did not meet ``only_if``), RefundFailed (everything rolled back) when the card
    refund was refused."""
    # The conditional UPDATE comes before the provider is asked, and holds the row until the commit: of
    # two submits only one gets here, so one refund and one ledger debit.
    if not transition(part.id, from_statuses, PartStatus.REFUNDED.value, only_if=only_if, cancel_reason=reason):
        raise InvalidTransition()
    order = part.order
    nothing_left = not any(p.status in LIVE_PART_STATUSES for p in order.parts if p.id != part.id)
    try:
        refund = payments.refund(order, part.total_idr, idempotency_key=f"refund-part-{part.id}",
                                 order_part_id=part.id, whole_order=nothing_left)
    except PaymentError as exc:
        db.session.rollback()  # the part stays paid: no money went back
        raise RefundFailed(exc.provider_message) from exc
    except Exception:
        db.session.rollback()
        raise
    ledger.reverse_part(part.business_id, part.id)
    if back_in_stock:
        restock(part)
    record_event(order, part, PartStatus.REFUNDED.value, reason, actor_id)
    refresh_order_status(order)
    return refund


def cancel_unpaid_part(part: OrderPart, reason: SystemNote, actor_id: int | None) -> bool:
    """True only for the one caller that moved the part, so only that caller releases its stock and
    tells the customer."""
    if not transition(part.id, {PartStatus.AWAITING_PAYMENT.value}, PartStatus.CANCELLED.value,
                               cancel_reason=reason.value):
        return False
    restock(part)
    record_event(part.order, part, PartStatus.CANCELLED.value, reason.value, actor_id)
    return True


def _close_unpaid(order: Order, reason: SystemNote, actor_id: int | None = None) -> list[OrderPart] | None:
    """Cancel every part still awaiting payment (the caller commits). None means the order must stay
    as it is: Stripe says it was paid (it is marked paid now) or Stripe cannot be asked."""
    if settlement.check_before_closing(order) is not None:
        return None
    moved = [part for part in in_lock_order(order.parts) if cancel_unpaid_part(part, reason, actor_id)]
    refresh_order_status(order)
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
            email_customer(order, "order_expired", expired_parts=moved,
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
        raise InvalidTransition()  # the payment provider cannot be asked now
    if not moved:
        db.session.rollback()
        raise InvalidTransition()
    email_customer(order, "order_cancelled_by_customer", cancelled_parts=moved)
    for part in moved:
        email_seller(part, "order_cancelled_for_seller")
    db.session.commit()
    return order


