"""Payments: starting a card payment, the Stripe webhook, reconciliation, payouts and balances.

The webhook and the customer's return from the payment page race each other; both end in
``payment_succeeded``, which moves the payment with a conditional UPDATE, so whichever comes first
does the work and the other changes nothing. Events are stored under a unique id before they are
processed, in the same transaction: a replayed event is answered 200 and ignored.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from marketplace.core import audit
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.orders import services as orders
from marketplace.orders.models import Order, OrderStatus, PaymentMethod, SystemNote
from marketplace.payments import ledger
from marketplace.payments.models import LedgerEntry, Payment, PaymentStatus, Payout, WebhookEvent
from marketplace.payments.providers import (
    PaymentError, StripeProvider, provider_for, stripe_configured, stripe_provider,
)

log = logging.getLogger(__name__)


class PayoutError(Exception):
    code = "payout_error"


def payment_for(order: Order) -> Payment | None:
    return db.session.execute(select(Payment).where(Payment.order_id == order.id)).scalar_one_or_none()


def ensure_intent(order: Order) -> Payment:
    """The card payment for an unpaid order: created at Stripe once, reused on every visit."""
    payment = payment_for(order)
    if payment is None or payment.provider != PaymentMethod.STRIPE.value:
        raise PaymentError("this order is not paid by card")
    if payment.provider_ref is None and order.status == OrderStatus.AWAITING_PAYMENT.value:
        state = provider_for("stripe").start(order_public_id=order.public_id, amount_idr=payment.amount_idr,
                                             email=order.email)
        payment.provider_ref, payment.client_secret = state.ref, state.client_secret
        db.session.commit()
    return payment


def payment_succeeded(payment: Payment, amount_idr: int, source: str) -> bool:
    """Mark the payment and its order paid, once. Returns True if this call did it."""
    if amount_idr < payment.amount_idr:
        payment.last_error = f"{source}: received Rp {amount_idr}, expected Rp {payment.amount_idr}"
        return False
    moved = db.session.execute(
        update(Payment).where(Payment.id == payment.id, Payment.status != PaymentStatus.SUCCEEDED.value)
        .values(status=PaymentStatus.SUCCEEDED.value, updated_at=utcnow(), last_error=None)
        .execution_options(synchronize_session=False)).rowcount == 1
    if not moved:
        return False
    db.session.refresh(payment)
    order = db.session.get(Order, payment.order_id)
    if order.status == OrderStatus.CANCELLED.value:
        # Money for an order that already expired (its stock is gone again): give it back in full.
        provider_for(payment.provider).refund(payment.provider_ref, amount_idr,
                                              idempotency_key=f"late-{payment.id}")
        payment.refunded_idr = amount_idr
        orders.record_late_payment_refund(order, amount_idr, source)
        return True
    log.info("order %s paid by card (%s)", order.public_id, source)
    orders.mark_order_paid(order, note=SystemNote.PAID_BY_CARD.value)
    return True


def payment_failed(payment: Payment, message: str) -> None:
    """A declined card: the order stays unpaid with its stock reserved until it expires, so the
    customer can try another card. A failure never undoes a success (late or out-of-order events)."""
    if payment.status == PaymentStatus.PENDING.value:
        payment.last_error = message[:500]


def mark_cancelled(order: Order) -> None:
    payment = payment_for(order)
    if payment is not None and payment.status == PaymentStatus.PENDING.value:
        payment.status = PaymentStatus.CANCELLED.value


def sync_with_provider(order: Order) -> Payment | None:
    """The customer came back from the payment step: ask Stripe rather than wait for the webhook."""
    payment = payment_for(order)
    if payment is None or payment.provider != "stripe" or payment.provider_ref is None:
        return payment
    if payment.status == PaymentStatus.PENDING.value:
        state = provider_for("stripe").retrieve(payment.provider_ref)
        if state.succeeded:
            payment_succeeded(payment, state.amount_idr, "return")
        db.session.commit()
    return payment


def settle_before_closing(order: Order) -> bool:
    """Before an unpaid card order expires or is cancelled, cancel its PaymentIntent so that it can no
    longer be paid. Returns True when the order must stay open (Stripe says it was paid, or cannot be
    asked)."""
    payment = payment_for(order)
    if payment is None or payment.provider != "stripe" or payment.provider_ref is None:
        return False
    try:
        provider = provider_for("stripe")
        state = provider.retrieve(payment.provider_ref)
        if state.succeeded:
            payment_succeeded(payment, state.amount_idr, "check before closing")
            return True
        if state.status != "canceled":
            provider.cancel(payment.provider_ref)
    except PaymentError:
        log.warning("could not settle payment %s with Stripe; the order stays open for now", payment.id)
        return True
    return False


# Webhooks ------------------------------------------------------------------------------------------


class BadWebhook(Exception):
    pass


def handle_stripe_webhook(payload: bytes, signature: str | None) -> str:
    """Verify, store once, process. Raises BadWebhook on a bad or stale signature, and PaymentError
    (nothing stored) when processing needs Stripe and Stripe cannot be reached: Stripe sends it again."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not stripe_configured() or not secret or not signature:
        raise BadWebhook("not configured or unsigned")
    try:
        event = stripe_provider().construct_event(payload, signature, secret)
    except ValueError as exc:
        raise BadWebhook(str(exc)) from exc
    record = WebhookEvent(provider="stripe", event_id=event.id, type=event.type)
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return "duplicate"
    record.outcome = _process(event)
    db.session.commit()
    return record.outcome


def _process(event) -> str:
    if not event.type.startswith("payment_intent."):
        return "ignored"
    intent = event.data.object
    payment = db.session.execute(select(Payment).where(Payment.provider_ref == intent.id)).scalar_one_or_none()
    if payment is None:
        return "unknown payment"
    amount_idr = StripeProvider.from_stripe_amount(getattr(intent, "amount_received", None) or intent.amount)
    if event.type == "payment_intent.succeeded":
        return "paid" if payment_succeeded(payment, amount_idr, f"webhook {event.id}") else "already paid"
    if event.type == "payment_intent.payment_failed":
        error = getattr(intent, "last_payment_error", None)
        payment_failed(payment, getattr(error, "message", None) or "payment failed")
        return "failed"
    return "ignored"


# Reconciliation ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReconcileResult:
    fixed: list[str]
    differences: list[str]


def reconcile() -> ReconcileResult:
    """``flask payments reconcile``: settle card payments whose webhook never came, and report any
    payment where our records and Stripe disagree (status, amount or refunds)."""
    fixed: list[str] = []
    differences: list[str] = []
    if not stripe_configured():
        return ReconcileResult(fixed, differences)
    provider = provider_for("stripe")
    payments = db.session.execute(
        select(Payment).where(Payment.provider == "stripe", Payment.provider_ref.is_not(None)).order_by(Payment.id)
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
                settled = payment_succeeded(payment, state.amount_idr, "reconcile")
            except PaymentError as exc:  # the refund of money for an expired order was refused
                db.session.rollback()
                differences.append(f"payment {payment.id}: paid at Stripe for an expired order, refund failed: {exc}")
                continue
            if settled:
                outcome = "refunded: its order had expired" if payment.refunded_idr else "marked paid"
                fixed.append(f"payment {payment.id} ({payment.provider_ref}) {outcome}")
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


# Payouts and balances ------------------------------------------------------------------------------


def record_payout(business_id: int, amount_idr: int, reference: str, actor_id: int, note: str | None = None) -> Payout:
    """Staff transferred money to a seller: a payout and a ledger debit, in one transaction. The
    caller has checked the staff member belongs to the seller's program."""
    reference = (reference or "").strip()
    if amount_idr <= 0 or not reference:
        raise PayoutError("amount and reference are required")
    if amount_idr > ledger.balance_idr(business_id):
        raise PayoutError("more than the balance")
    payout = Payout(business_id=business_id, amount_idr=amount_idr, reference=reference, note=note,
                    recorded_by_id=actor_id)
    db.session.add(payout)
    db.session.flush()
    db.session.add(LedgerEntry(business_id=business_id, payout_id=payout.id, kind="payout", amount_idr=-amount_idr))
    audit.record(actor_id, "payout.record", "business", business_id, detail=f"Rp {amount_idr} ref {reference}")
    db.session.commit()
    return payout


def ledger_entries(business_id: int, limit: int = 200) -> list[LedgerEntry]:
    return db.session.execute(
        select(LedgerEntry).where(LedgerEntry.business_id == business_id)
        .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc()).limit(limit)).scalars().all()


def payouts_for(business_id: int) -> list[Payout]:
    return db.session.execute(
        select(Payout).where(Payout.business_id == business_id).order_by(Payout.created_at.desc(), Payout.id.desc())
    ).scalars().all()
