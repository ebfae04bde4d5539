"""Hand-signed Stripe events: forged, stale, replayed, out of order, short amounts."""
import json
import time

import stripe
from sqlalchemy import func, select

from marketplace.orders.models import Order
from marketplace.payments import ledger
from marketplace.payments.models import Payment, WebhookEvent
from tests import factories
from tests.payments.conftest import WEBHOOK_SECRET

URL = "/payments/webhooks/stripe"


def _card_order(db, ref="pi_handmade_1"):
    order = factories.order([(factories.product(stock=5, price_idr=150_000).variants[0], 1)], payment_method="stripe")
    payment = db.session.execute(select(Payment).where(Payment.order_id == order.id)).scalar_one()
    payment.provider_ref = ref
    db.session.commit()
    return order, payment


def _event(event_id, type_, ref, amount_idr, status="succeeded"):
    return json.dumps({"id": event_id, "object": "event", "type": type_, "created": int(time.time()),
                       "data": {"object": {"id": ref, "object": "payment_intent", "amount": amount_idr * 100,
                                           "amount_received": amount_idr * 100 if status == "succeeded" else 0,
                                           "currency": "idr", "status": status,
                                           "last_payment_error": {"message": "Your card was declined."}
                                           if status != "succeeded" else None}}})


def _post(client, payload, secret=WEBHOOK_SECRET, timestamp=None):
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)
    return client.post(URL, data=payload, headers={"Stripe-Signature": header, "Content-Type": "application/json"})


def _status(db, order):
    db.session.expire_all()
    return db.session.get(Order, order.id).status


def test_a_signed_success_marks_the_order_paid_and_a_replay_changes_nothing(stripe_on, client, db):
    order, _ = _card_order(db)
    payload = _event("evt_1", "payment_intent.succeeded", "pi_handmade_1", order.total_idr)
    assert _post(client, payload).get_json()["outcome"] == "paid"
    assert _status(db, order) == "paid"
    balance = ledger.balance_idr(order.parts[0].business_id)
    assert balance == order.total_idr
    replay = _post(client, payload)
    assert replay.status_code == 200 and replay.get_json()["outcome"] == "duplicate"
    same_object_new_event = _event("evt_2", "payment_intent.succeeded", "pi_handmade_1", order.total_idr)
    assert _post(client, same_object_new_event).get_json()["outcome"] == "already paid"
    assert ledger.balance_idr(order.parts[0].business_id) == balance  # no second credit


def test_a_forged_signature_is_refused_and_changes_nothing(stripe_on, client, db):
    order, _ = _card_order(db)
    payload = _event("evt_forged", "payment_intent.succeeded", "pi_handmade_1", order.total_idr)
    assert _post(client, payload, secret="whsec_someone_else").status_code == 400
    assert client.post(URL, data=payload, headers={"Content-Type": "application/json"}).status_code == 400
    assert _status(db, order) == "awaiting_payment"
    # (Only this event: localstripe may still be delivering a late event of an earlier test.)
    assert db.session.execute(select(func.count(WebhookEvent.id))
                              .where(WebhookEvent.event_id == "evt_forged")).scalar_one() == 0


def test_a_stale_timestamp_is_refused(stripe_on, client, db):
    order, _ = _card_order(db)
    payload = _event("evt_old", "payment_intent.succeeded", "pi_handmade_1", order.total_idr)
    assert _post(client, payload, timestamp=int(time.time()) - 3600).status_code == 400
    assert _status(db, order) == "awaiting_payment"


def test_a_failure_arriving_after_the_success_does_not_unpay(stripe_on, client, db):
    order, payment = _card_order(db)
    _post(client, _event("evt_ok", "payment_intent.succeeded", "pi_handmade_1", order.total_idr))
    late = _post(client, _event("evt_late_fail", "payment_intent.payment_failed", "pi_handmade_1",
                                order.total_idr, status="requires_payment_method"))
    assert late.status_code == 200
    assert _status(db, order) == "paid"
    assert db.session.get(Payment, payment.id).status == "succeeded"


def test_a_failure_keeps_the_order_open_for_another_card(stripe_on, client, db):
    order, payment = _card_order(db)
    _post(client, _event("evt_fail", "payment_intent.payment_failed", "pi_handmade_1", order.total_idr,
                         status="requires_payment_method"))
    assert _status(db, order) == "awaiting_payment"
    assert db.session.get(Payment, payment.id).last_error == "Your card was declined."
    _post(client, _event("evt_retry_ok", "payment_intent.succeeded", "pi_handmade_1", order.total_idr))
    assert _status(db, order) == "paid"


def test_a_short_amount_does_not_pay_the_order(stripe_on, client, db):
    order, payment = _card_order(db)
    _post(client, _event("evt_short", "payment_intent.succeeded", "pi_handmade_1", order.total_idr - 1))
    assert _status(db, order) == "awaiting_payment"
    assert "expected" in db.session.get(Payment, payment.id).last_error


def test_events_for_unknown_payments_are_stored_and_ignored(stripe_on, client, db):
    payload = _event("evt_other", "payment_intent.succeeded", "pi_not_ours", 1000)
    assert _post(client, payload).get_json()["outcome"] == "unknown payment"


def test_without_stripe_the_webhook_refuses_everything(client, db):
    assert client.post(URL, data="{}", headers={"Stripe-Signature": "t=1,v1=abc"}).status_code == 400
