"""Where orders react to what happened to their payment, in one place.

The payments domain moves its own records (payment, webhook event, refund, ledger) and reports a
``PaymentOutcome``; this module turns outcomes into order changes (parts paid, history, emails) in
the same transaction, and owns the transactions that start from a payment: the Stripe webhook, the
customer's return from the payment step, reconciliation, and a person confirming offline money.
"""
from __future__ import annotations

import logging

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.orders.errors import InvalidTransition, NotAllowed
from marketplace.orders.models import Order, OrderPart, OrderStatus, PartStatus, SystemNote
from marketplace.orders.notices import email_customer, email_seller
from marketplace.orders.status import amount_due_idr, record_event, refresh_order_status, transition
from marketplace.payments import ledger
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod
from marketplace.payments.outcomes import Outcome, PaymentOutcome
from marketplace.payments.providers import PaymentError

log = logging.getLogger(__name__)


# Reacting to outcomes ------------------------------------------------------------------------------


def settle(outcome: PaymentOutcome | None) -> None:
    """The order's side of a payment outcome (the caller commits)."""
    if outcome is None or not outcome.settles_order:
        return
    order = db.session.get(Order, outcome.order_id)
    if outcome.kind is Outcome.PAID:
        log.info("order %s paid by card (%s)", order.public_id, outcome.source)
        mark_order_paid(order, note=SystemNote.PAID_BY_CARD.value)
    elif outcome.kind is Outcome.LATE_REFUNDED:
        record_late_payment_refund(order, outcome.amount_idr, outcome.source)


def mark_part_paid(part_id: int, actor_id: int | None, note: str | None = None) -> bool:
    """Awaiting payment -> paid, credit the seller's ledger; False if it was not awaiting payment."""
    if not transition(part_id, {PartStatus.AWAITING_PAYMENT.value}, PartStatus.PAID.value,
                               paid_at=utcnow()):
        return False
    part = db.session.get(OrderPart, part_id)
    method = PaymentMethod(part.order.payment_method)
    ledger.credit_sale(part.business_id, part.id, part.total_idr, cash_on_delivery=method is PaymentMethod.COD)
    record_event(part.order, part, PartStatus.PAID.value, note, actor_id)
    if method.online:
        email_seller(part, "order_new_for_seller")
    return True


def mark_order_paid(order: Order, note: str | None = None) -> list[OrderPart]:
    """Every part still awaiting payment becomes paid (caller commits). Returns the parts it moved."""
    moved = [part for part in order.parts if mark_part_paid(part.id, None, note)]
    was_paid = order.paid_at is not None
    refresh_order_status(order)
    if moved and not was_paid:
        email_customer(order, "payment_confirmed", paid_idr=amount_due_idr(order))
    return moved


def record_late_payment_refund(order: Order, amount_idr: int, source: str) -> None:
    """Money came for an order that had already expired and was refunded in full: say so in its
    history and tell the customer, who may otherwise wonder where it went."""
    log.info("order %s: %s paid after expiry, refunded", order.public_id, source)
    record_event(order, None, PartStatus.REFUNDED.value, SystemNote.LATE_PAYMENT_REFUNDED.value, None)
    email_customer(order, "payment_refunded_late", refunded_idr=amount_idr)


# Transactions that start from a payment ------------------------------------------------------------


def handle_stripe_webhook(payload: bytes, signature: str | None) -> str:
    """Verify, store once, process, react, commit. Raises payments.BadWebhook on a bad signature, and
    PaymentError (nothing stored) when processing needs Stripe and Stripe cannot be reached."""
    try:
        outcome = payments.receive_stripe_webhook(payload, signature)
        settle(outcome)
    except PaymentError:
        db.session.rollback()
        raise
    db.session.commit()
    return outcome.kind.value


def sync_card_payment(order: Order) -> None:
    """The customer came back from the payment step: ask Stripe rather than wait for the webhook."""
    try:
        settle(payments.sync_with_provider(order))
    except PaymentError:
        db.session.rollback()
        raise
    db.session.commit()


def reconcile() -> payments.ReconcileResult:
    """``flask payments reconcile``: settle card payments whose webhook never came; report differences."""
    return payments.reconcile(settle=settle)


def check_before_closing(order: Order) -> PaymentOutcome | None:
    """Before an unpaid order closes: None if it may close; otherwise why it stays open (Stripe says it
    was paid, which is settled here, or Stripe cannot be asked)."""
    outcome = payments.settle_before_closing(order)
    settle(outcome)
    return outcome


def confirm_offline_payment(part_id: int, actor_id: int) -> OrderPart:
    """The seller or staff confirm the money for one part arrived (bank transfer or cash)."""
    part = db.session.get(OrderPart, part_id)
    if part is None:
        raise NotAllowed()
    order = part.order
    if PaymentMethod(order.payment_method).online:
        raise NotAllowed()  # card payments are confirmed by Stripe
    if not mark_part_paid(part_id, actor_id, note=SystemNote.PAYMENT_CONFIRMED.value):
        raise InvalidTransition()
    was_paid = order.status == OrderStatus.PAID.value
    refresh_order_status(order)
    if order.status == OrderStatus.PAID.value and not was_paid:
        payments.record_offline_payment(order)
        email_customer(order, "payment_confirmed", paid_idr=amount_due_idr(order))
    db.session.commit()
    return part
