"""Where orders react to what happened to their payment, in one place.

The payments domain moves its own records (payment, webhook event, refund, ledger) and reports a
``PaymentOutcome``; this module turns outcomes into order changes (parts paid, history, emails) in
the same transaction, and owns the transactions that start from a payment: the Stripe webhook, the
customer's return from the payment step, reconciliation, and a person confirming offline money.

Whoever receives the money confirms it: program staff confirm a bank transfer into the program's
account, once for the whole order and against the exact amount (with its kode unik); a seller confirms
the cash for their own part (cash on delivery); Stripe confirms cards.
"""
from __future__ import annotations

import logging

from marketplace.core import audit
from marketplace.core.timeutil import utcnow
from marketplace.core.transactions import transaction
from marketplace.extensions import db
from marketplace.orders.errors import InvalidTransition, NotAllowed
from marketplace.orders.models import Order, OrderPart, OrderStatus, PartStatus, SystemNote
from marketplace.orders.notices import email_customer, email_seller
from marketplace.orders.status import (
    amount_due_idr,
    in_lock_order,
    record_event,
    refresh_order_status,
    transition,
)
from marketplace.payments import ledger
from marketplace.payments import services as payments
from marketplace.payments.errors import PaymentsError
from marketplace.payments.models import PaymentMethod
from marketplace.payments.outcomes import Outcome, PaymentOutcome
from marketplace.payments.providers import PaymentError

log = logging.getLogger(__name__)


# Reacting to outcomes ------------------------------------------------------------------------------


def settle(outcome: PaymentOutcome | None, actor_id: int | None = None) -> None:
    """The order's side of a payment outcome (the caller commits)."""
    if outcome is None or not outcome.settles_order:
        return
    order = db.session.get(Order, outcome.order_id)
    if outcome.kind is Outcome.PAID:
        online = PaymentMethod(order.payment_method).online
        log.info("order %s paid (%s)", order.public_id, outcome.source)
        mark_order_paid(order, outcome.amount_idr,
                        SystemNote.PAID_BY_CARD.value if online else SystemNote.PAYMENT_CONFIRMED.value, actor_id)
    elif outcome.kind is Outcome.LATE_REFUNDED:
        record_late_payment_refund(order, outcome.amount_idr, outcome.source)


def mark_part_paid(part_id: int, actor_id: int | None, note: str | None = None) -> bool:
    """Awaiting payment -> paid, credit the seller's ledger (pending until the parcel arrives; cash is the
    seller's at once); False if it was not awaiting payment. The seller of a card or transfer order
    hears of it now: only now may they send it."""
    if not transition(part_id, {PartStatus.AWAITING_PAYMENT.value}, PartStatus.PAID.value,
                               paid_at=utcnow()):
        return False
    part = db.session.get(OrderPart, part_id)
    method = PaymentMethod(part.order.payment_method)
    ledger.credit_sale(part.business_id, part.id, part.total_idr, cash_on_delivery=method is PaymentMethod.COD)
    record_event(part.order, part, PartStatus.PAID.value, note, actor_id)
    if method is not PaymentMethod.COD:
        email_seller(part, "order_new_for_seller")
    return True


def mark_order_paid(order: Order, paid_idr: int, note: str | None = None, actor_id: int | None = None) -> list[OrderPart]:
    """Every part still awaiting payment becomes paid (caller commits). Returns the parts it moved."""
    moved = [part for part in in_lock_order(order.parts) if mark_part_paid(part.id, actor_id, note)]
    was_paid = order.paid_at is not None
    refresh_order_status(order)
    if moved and not was_paid:
        email_customer(order, "payment_confirmed", paid_idr=paid_idr)
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


def confirm_bank_transfer(order_id: int, received_idr: int, actor_id: int | None, source: str = "staff",
                          accept_excess: bool = False) -> PaymentOutcome:
    """Program staff say ``received_idr`` reached the program's account for this order. The exact amount
    to transfer marks the whole order paid, once; another amount is recorded and flagged for staff, and
    the order stays unpaid (``accept_excess``: staff accept more than due, and the difference is owed
    back). The caller has checked that the staff member handles this order's money."""
    order = db.session.get(Order, order_id)
    if order is None:
        raise NotAllowed()
    try:
        outcome = payments.confirm_transfer(order, received_idr, source, accept_excess=accept_excess)
    except PaymentsError:
        db.session.rollback()
        raise
    settle(outcome, actor_id)
    audit.record(actor_id, "transfer.confirm", "order", order.id,
                 detail=f"{source}: Rp {received_idr}, {outcome.kind.value}")
    db.session.commit()
    return outcome


def confirm_cash_payment(part_id: int, actor_id: int) -> OrderPart:
    """The seller received the cash for their part (cash on delivery). Bank transfers are not theirs to
    confirm: the money goes to the program's account, and program staff confirm it."""
    part = db.session.get(OrderPart, part_id)
    if part is None:
        raise NotAllowed()
    order = part.order
    if PaymentMethod(order.payment_method) is not PaymentMethod.COD:
        raise NotAllowed()
    if not mark_part_paid(part_id, actor_id, note=SystemNote.PAYMENT_CONFIRMED.value):
        raise InvalidTransition()
    was_paid = order.status == OrderStatus.PAID.value
    refresh_order_status(order)
    if order.status == OrderStatus.PAID.value and not was_paid:
        payments.record_cash_payment(order)
        email_customer(order, "payment_confirmed", paid_idr=amount_due_idr(order))
    db.session.commit()
    return part


def record_refund_sent(refund_id: int, reference: str, actor_id: int) -> None:
    """Staff transferred an owed refund back to the customer, with the bank reference: the order's
    history says so and the customer is told. Raises InvalidTransition when it was recorded already.
    The caller has checked that the staff member handles this order's money."""
    with transaction():
        refund = payments.record_refund_sent(refund_id, reference, actor_id)
        if refund is None:
            raise InvalidTransition()
        order = db.session.get(Order, refund.order_id)
        record_event(order, None, PartStatus.REFUNDED.value, SystemNote.REFUND_SENT.value, actor_id)
        email_customer(order, "refund_sent", refund=refund)


def record_cash_returned(part_id: int, note: str | None, actor_id: int) -> None:
    """The seller gave the customer back the cash they had collected for their refunded part (cash on
    delivery): the refund is no longer owed, the order's history says so and the customer is told.
    Raises InvalidTransition when nothing is owed for the part (returned already, or never owed). The
    caller has checked that the part is the seller's."""
    part = db.session.get(OrderPart, part_id)
    refund = payments.refund_for_part(part_id) if part is not None else None
    if refund is None:
        raise InvalidTransition()
    with transaction():
        returned = payments.record_cash_returned(refund.id, note, actor_id)
        if returned is None:
            raise InvalidTransition()
        record_event(part.order, part, PartStatus.REFUNDED.value, SystemNote.CASH_RETURNED.value, actor_id)
        email_customer(part.order, "refund_sent", refund=returned, part=part)
