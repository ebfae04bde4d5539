"""Payments: the payment record of an order, card payments, the Stripe webhook, reconciliation,
and refunds (staff payouts to sellers are payouts.py).

Payments know nothing of orders: every function takes the order's id (or an object that has one) and
returns what happened as a typed ``PaymentOutcome``; the orders domain reacts to it in one place
(``orders/settlement.py``), in the same transaction.

The webhook and the customer's return from the payment page race each other; both end in
``payment_succeeded``, which moves the payment with a conditional UPDATE, so whichever comes first
does the work and the other changes nothing. Events are stored under a unique id before they are
processed, in the same transaction: a replayed event is answered 200 and ignored.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from marketplace.core import audit
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.payments import transfer_codes
from marketplace.payments.errors import TransferError
from marketplace.payments.models import (
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundReason,
    RefundStatus,
    WebhookEvent,
)
from marketplace.payments.outcomes import OrderRef, Outcome, PayableOrder, PaymentOutcome
from marketplace.payments.providers import (
    PaymentError,
    StripeProvider,
    provider_for,
    stripe_configured,
    stripe_provider,
)

log = logging.getLogger(__name__)

CARD = PaymentMethod.STRIPE.value


def payment_for(order: OrderRef) -> Payment | None:
    return db.session.execute(select(Payment).where(Payment.order_id == order.id)).scalar_one_or_none()


def open_payment(order: OrderRef, method: str, amount_idr: int) -> Payment:
    """The payment of a new order, waiting for the money (the caller commits). A bank transfer gets
    its kode unik here."""
    payment = Payment(order_id=order.id, provider=PaymentMethod(method).value, amount_idr=amount_idr)
    if payment.is_transfer:
        return transfer_codes.add_with_unique_code(payment)
    db.session.add(payment)
    db.session.flush()
    return payment


def ensure_intent(order: PayableOrder) -> Payment:
    """The card payment for an unpaid order: created at Stripe once, reused on every visit. The caller
    has checked that the order still waits for its payment."""
    payment = payment_for(order)
    if payment is None or not payment.is_card:
        raise PaymentError("this order is not paid by card")
    if payment.provider_ref is None and payment.status == PaymentStatus.PENDING.value:
        state = provider_for(CARD).start(order_public_id=order.public_id, amount_idr=payment.amount_idr,
                                         email=order.email)
        payment.provider_ref, payment.client_secret = state.ref, state.client_secret
        db.session.commit()
    return payment


def payment_succeeded(payment: Payment, amount_idr: int, source: str) -> PaymentOutcome:
    """The provider says the money came. The payment moves once (conditional UPDATE): PAID for the
    first caller while it waited; LATE_REFUNDED when its order had closed first (the money goes back
    in full); ALREADY_SETTLED for anyone after that."""
    def outcome(kind: Outcome) -> PaymentOutcome:
        return PaymentOutcome(kind, payment.order_id, amount_idr, source)

    if amount_idr < payment.amount_idr:
        payment.last_error = f"{source}: received Rp {amount_idr}, expected Rp {payment.amount_idr}"
        return outcome(Outcome.UNDERPAID)
    if _move(payment, PaymentStatus.PENDING, amount_idr):
        log.info("payment %s succeeded (%s)", payment.id, source)
        return outcome(Outcome.PAID)
    if _move(payment, PaymentStatus.CANCELLED, amount_idr):
        return _refund_late(payment, amount_idr, source)
    return outcome(Outcome.ALREADY_SETTLED)


def _refund_late(payment: Payment, amount_idr: int, source: str) -> PaymentOutcome:
    """Money for an order that already closed (its stock is gone again): all of it goes back, at once
    for a card, owed (staff transfer it) for a bank transfer."""
    _give_back(payment, amount_idr, RefundReason.ORDER_CLOSED, idempotency_key=f"late-{payment.id}")
    log.info("payment %s came after its order closed (%s); refund %s", payment.id, source,
             "owed" if not payment.is_card else "made")
    return PaymentOutcome(Outcome.LATE_REFUNDED, payment.order_id, amount_idr, source)


def confirm_transfer(order: OrderRef, received_idr: int, source: str, accept_excess: bool = False) -> PaymentOutcome:
    """Staff (or the bank statement) say ``received_idr`` arrived on the program's account for this
    order's bank transfer. Exactly the amount to transfer (with its kode unik): PAID, once (conditional
    UPDATE: a second confirmation, even at the same moment, is ALREADY_SETTLED). Another amount is
    recorded on the payment and flagged for staff (UNDERPAID, OVERPAID): the order is not paid. More
    than due is accepted only when staff say so (``accept_excess``): the difference is owed back to
    the customer. Money for an order that had closed is owed back in full (LATE_REFUNDED)."""
    payment = payment_for(order)
    if payment is None or not payment.is_transfer:
        raise TransferError("not_a_transfer")
    if received_idr <= 0:
        raise TransferError("amount_invalid")

    def outcome(kind: Outcome) -> PaymentOutcome:
        return PaymentOutcome(kind, payment.order_id, received_idr, source)

    if payment.status == PaymentStatus.CANCELLED.value:
        owed_already = payment.received_idr  # a flagged amount, owed back when the order closed
        if received_idr <= owed_already or not _move(payment, PaymentStatus.CANCELLED, received_idr):
            return outcome(Outcome.ALREADY_SETTLED)
        return _refund_late(payment, received_idr - owed_already, source)
    expected = payment.to_transfer_idr
    if received_idr < expected or (received_idr > expected and not accept_excess):
        return _flag(payment, received_idr, source)
    if not _move(payment, PaymentStatus.PENDING, received_idr):
        db.session.refresh(payment)
        if payment.status == PaymentStatus.CANCELLED.value:  # the order closed a moment ago
            return confirm_transfer(order, received_idr, source)
        return outcome(Outcome.ALREADY_SETTLED)
    if received_idr > expected:
        _give_back(payment, received_idr - expected, RefundReason.OVERPAID, idempotency_key=f"excess-{payment.id}")
    log.info("transfer %s confirmed (%s)", payment.id, source)
    return outcome(Outcome.PAID)


def _flag(payment: Payment, received_idr: int, source: str) -> PaymentOutcome:
    expected = payment.to_transfer_idr
    flagged = db.session.execute(
        update(Payment).where(Payment.id == payment.id, Payment.status == PaymentStatus.PENDING.value)
        .values(received_idr=received_idr, flagged_at=utcnow(),
                last_error=f"{source}: received Rp {received_idr}, expected Rp {expected}")
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.refresh(payment)
    if not flagged:
        return PaymentOutcome(Outcome.ALREADY_SETTLED, payment.order_id, received_idr, source)
    kind = Outcome.UNDERPAID if received_idr < expected else Outcome.OVERPAID
    return PaymentOutcome(kind, payment.order_id, received_idr, source)


def _move(payment: Payment, from_status: PaymentStatus, received_idr: int) -> bool:
    """The one move of a payment to SUCCEEDED, by conditional UPDATE: of two callers at the same moment
    (webhook and return, two staff members, a statement and a person) only one moves it."""
    moved = db.session.execute(
        update(Payment).where(Payment.id == payment.id, Payment.status == from_status.value)
        .values(status=PaymentStatus.SUCCEEDED.value, updated_at=utcnow(), last_error=None, flagged_at=None,
                received_idr=received_idr)
        .execution_options(synchronize_session=False)).rowcount == 1
    if moved:
        db.session.refresh(payment)
    return moved


def payment_failed(payment: Payment, message: str) -> PaymentOutcome:
    """A declined card: the order stays unpaid with its stock reserved until it expires, so the
    customer can try another card. A failure never undoes a success (late or out-of-order events)."""
    if payment.status == PaymentStatus.PENDING.value:
        payment.last_error = message[:500]
    return PaymentOutcome(Outcome.FAILED, payment.order_id, source=message[:200])


def record_cash_payment(order: OrderRef) -> None:
    """Every seller confirmed the cash for their part (cash on delivery)."""
    payment = payment_for(order)
    if payment is not None and payment.status == PaymentStatus.PENDING.value:
        payment.status = PaymentStatus.SUCCEEDED.value
        payment.received_idr = payment.amount_idr


def set_amount_due(order: OrderRef, amount_idr: int) -> None:
    """Part of an unpaid order was cancelled: the customer now owes ``amount_idr``."""
    payment = payment_for(order)
    if payment is not None:
        payment.amount_idr = amount_idr


def amount_due_idr(order: OrderRef) -> int | None:
    payment = payment_for(order)
    return payment.amount_idr if payment is not None else None


def mark_cancelled(order: OrderRef) -> None:
    """The order closed before it was paid; money arriving later is refunded. Part of a transfer that
    had already arrived (a flagged amount) is owed back now."""
    payment = payment_for(order)
    if payment is not None and payment.status == PaymentStatus.PENDING.value:
        payment.status = PaymentStatus.CANCELLED.value
        if payment.received_idr:
            _give_back(payment, payment.received_idr, RefundReason.ORDER_CLOSED, f"closed-{payment.id}")


def refund(order: OrderRef, amount_idr: int, idempotency_key: str, order_part_id: int | None = None,
           whole_order: bool = False) -> Refund:
    """Give ``amount_idr`` of the order's payment back: at the provider for cards (raises PaymentError
    when it refuses: nothing is recorded then); owed, for staff to transfer, when the money came by
    bank transfer or in cash. ``whole_order``: nothing of the order is left, so the kode unik goes
    back too."""
    payment = payment_for(order)
    if whole_order:
        amount_idr += payment.unique_code_idr
    return _give_back(payment, amount_idr, RefundReason.PART_CANCELLED, idempotency_key, order_part_id)


def _give_back(payment: Payment, amount_idr: int, reason: RefundReason, idempotency_key: str,
               order_part_id: int | None = None) -> Refund:
    record = Refund(payment_id=payment.id, order_id=payment.order_id, order_part_id=order_part_id,
                    amount_idr=amount_idr, reason=reason.value)
    provider = provider_for(payment.provider)
    if provider.online:
        record.reference = provider.refund(payment.provider_ref, amount_idr, idempotency_key=idempotency_key)
        record.status, record.sent_at = RefundStatus.SENT.value, utcnow()
        payment.refunded_idr += amount_idr
    db.session.add(record)
    db.session.flush()
    return record


def refund_for_part(order_part_id: int) -> Refund | None:
    """The refund of one order part (a part is refunded at most once)."""
    return db.session.execute(select(Refund).where(Refund.order_part_id == order_part_id)).scalar_one_or_none()


def refunds_of(order: OrderRef) -> list[Refund]:
    return db.session.execute(select(Refund).where(Refund.order_id == order.id).order_by(Refund.id)).scalars().all()


def record_refund_sent(refund_id: int, reference: str, actor_id: int) -> Refund | None:
    """Staff transferred an owed refund back to the customer: once (conditional UPDATE), with the bank
    reference. None when it was not owed any more (recorded already, by someone else a moment ago).
    Cash the seller collected is not the program's to send (TransferError ``cash_refund``)."""
    reference = (reference or "").strip()
    if not reference:
        raise TransferError("reference_missing")
    if _collected_by_seller(refund_id):
        raise TransferError("cash_refund")
    record = _mark_sent(refund_id, reference, actor_id)
    if record is not None:
        audit.record(actor_id, "refund.sent", "order", record.order_id,
                     detail=f"Rp {record.amount_idr} ref {reference}")
    return record


def record_cash_returned(refund_id: int, note: str | None, actor_id: int) -> Refund | None:
    """The seller gave back cash they had collected (cash on delivery) for a refunded part: once
    (conditional UPDATE), with their optional note of how. None when it was not owed any more. Only
    for cash (TransferError ``not_cash``): anything else the program refunds. The caller has checked
    that the refund is for the seller's own part."""
    if not _collected_by_seller(refund_id):
        raise TransferError("not_cash")
    note = (note or "").strip()
    record = _mark_sent(refund_id, note or None, actor_id)
    if record is not None:
        audit.record(actor_id, "refund.cash_returned", "order", record.order_id,
                     detail=f"Rp {record.amount_idr}" + (f": {note}" if note else ""))
    return record


def _collected_by_seller(refund_id: int) -> bool:
    provider = db.session.execute(select(Payment.provider).join(Refund, Refund.payment_id == Payment.id)
                                  .where(Refund.id == refund_id)).scalar_one_or_none()
    return provider is not None and PaymentMethod(provider).collected_by_seller


def _mark_sent(refund_id: int, reference: str | None, actor_id: int) -> Refund | None:
    """OWED -> SENT once (of two submits at the same moment only one moves it), and the payment counts
    the money as gone back."""
    sent = db.session.execute(
        update(Refund).where(Refund.id == refund_id, Refund.status == RefundStatus.OWED.value)
        .values(status=RefundStatus.SENT.value, reference=reference[:120] if reference else None,
                sent_at=utcnow(), recorded_by_id=actor_id)
        .execution_options(synchronize_session=False)).rowcount == 1
    if not sent:
        return None
    record = db.session.get(Refund, refund_id)
    db.session.refresh(record)
    db.session.execute(update(Payment).where(Payment.id == record.payment_id)
                       .values(refunded_idr=Payment.refunded_idr + record.amount_idr)
                       .execution_options(synchronize_session=False))
    return record


def sync_with_provider(order: OrderRef) -> PaymentOutcome | None:
    """The customer came back from the payment step: ask Stripe rather than wait for the webhook.
    None when there is nothing to ask (not a card payment, or no longer pending)."""
    payment = payment_for(order)
    if payment is None or not payment.is_card or payment.provider_ref is None:
        return None
    if payment.status != PaymentStatus.PENDING.value:
        return None
    state = provider_for(CARD).retrieve(payment.provider_ref)
    if state.succeeded:
        return payment_succeeded(payment, state.amount_idr, "return")
    return None


def settle_before_closing(order: OrderRef) -> PaymentOutcome | None:
    """Before an unpaid card order expires or is cancelled, cancel its PaymentIntent so that it can no
    longer be paid. None: the order may close. Otherwise the outcome says why it must stay open
    (Stripe says it was paid, or cannot be asked)."""
    payment = payment_for(order)
    if payment is None or not payment.is_card or payment.provider_ref is None:
        return None
    try:
        provider = provider_for(CARD)
        state = provider.retrieve(payment.provider_ref)
        if state.succeeded:
            return payment_succeeded(payment, state.amount_idr, "check before closing")
        if state.status != "canceled":
            provider.cancel(payment.provider_ref)
    except PaymentError:
        log.warning("could not settle payment %s with Stripe; the order stays open for now", payment.id)
        return PaymentOutcome(Outcome.UNREACHABLE, payment.order_id)
    return None


# Webhooks ------------------------------------------------------------------------------------------


class BadWebhook(Exception):
    pass


def receive_stripe_webhook(payload: bytes, signature: str | None) -> PaymentOutcome:
    """Verify, store once, process (the caller reacts to the outcome and commits). Raises BadWebhook
    on a bad or stale signature, and PaymentError when processing needs Stripe and Stripe cannot be
    reached (the caller rolls back: nothing stored, Stripe sends it again)."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not stripe_configured() or not secret or not signature:
        raise BadWebhook("not configured or unsigned")
    try:
        event = stripe_provider().construct_event(payload, signature, secret)
    except ValueError as exc:
        raise BadWebhook(str(exc)) from exc
    record = WebhookEvent(provider=CARD, event_id=event.id, type=event.type)
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return PaymentOutcome(Outcome.DUPLICATE)
    outcome = _process(event)
    record.outcome = outcome.kind.value
    return outcome


def _process(event) -> PaymentOutcome:
    if not event.type.startswith("payment_intent."):
        return PaymentOutcome(Outcome.IGNORED)
    intent = event.data.object
    payment = db.session.execute(select(Payment).where(Payment.provider_ref == intent.id)).scalar_one_or_none()
    if payment is None:
        return PaymentOutcome(Outcome.UNKNOWN_PAYMENT)
    amount_idr = StripeProvider.from_stripe_amount(getattr(intent, "amount_received", None) or intent.amount)
    if event.type == "payment_intent.succeeded":
        return payment_succeeded(payment, amount_idr, f"webhook {event.id}")
    if event.type == "payment_intent.payment_failed":
        error = getattr(intent, "last_payment_error", None)
        return payment_failed(payment, getattr(error, "message", None) or "payment failed")
    return PaymentOutcome(Outcome.IGNORED, payment.order_id)


# Reconciliation ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReconcileResult:
    fixed: list[str]
    differences: list[str]


def reconcile(settle: Callable[[PaymentOutcome], None]) -> ReconcileResult:
    """Settle card payments whose webhook never came, and report any payment where our records and
    Stripe disagree (status, amount or refunds). ``settle`` is the orders domain's reaction to each
    outcome; it runs in the payment's own transaction, committed one payment at a time."""
    fixed: list[str] = []
    differences: list[str] = []
    if not stripe_configured():
        return ReconcileResult(fixed, differences)
    provider = provider_for(CARD)
    payments = db.session.execute(
        select(Payment).where(Payment.provider == CARD, Payment.provider_ref.is_not(None)).order_by(Payment.id)
    ).scalars().all()
    for payment in payments:
        try:
            state = provider.retrieve(payment.provider_ref)
        except PaymentError as exc:
            differences.append(f"payment {payment.id} ({payment.provider_ref}): cannot read from Stripe: {exc}")
            continue
        unsettled = payment.status in (PaymentStatus.PENDING.value, PaymentStatus.CANCELLED.value)
        if unsettled and state.succeeded:
            try:
                outcome = payment_succeeded(payment, state.amount_idr, "reconcile")
            except PaymentError as exc:  # the refund of money for an expired order was refused
                db.session.rollback()
                differences.append(f"payment {payment.id}: paid at Stripe for an expired order, refund failed: {exc}")
                continue
            if outcome.settles_order:
                settle(outcome)
                what = "refunded: its order had expired" if outcome.kind is Outcome.LATE_REFUNDED else "marked paid"
                fixed.append(f"payment {payment.id} ({payment.provider_ref}) {what}")
            else:
                differences.append(f"payment {payment.id}: {payment.last_error}")
        elif payment.status == PaymentStatus.SUCCEEDED.value and not state.succeeded:
            differences.append(f"payment {payment.id}: paid here, {state.status} at Stripe")
        if state.succeeded and state.amount_idr != payment.amount_idr:
            differences.append(f"payment {payment.id}: Rp {payment.amount_idr} here, Rp {state.amount_idr} at Stripe")
        if state.succeeded:
            differences += _refund_difference(provider, payment)
        db.session.commit()
    return ReconcileResult(fixed, differences)


def _refund_difference(provider, payment: Payment) -> list[str]:
    """Refunds made in Stripe's dashboard (or lost on our side) show here: they never touched the ledger."""
    try:
        refunded_at_stripe = provider.refunded_idr(payment.provider_ref)
    except PaymentError as exc:
        return [f"payment {payment.id} ({payment.provider_ref}): cannot read refunds from Stripe: {exc}"]
    if refunded_at_stripe == payment.refunded_idr:
        return []
    return [f"payment {payment.id}: Rp {payment.refunded_idr} refunded here, Rp {refunded_at_stripe} at Stripe"]
