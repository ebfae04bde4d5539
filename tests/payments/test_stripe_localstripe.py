"""The card path end to end against localstripe, with the real ``stripe`` library and real signed
webhooks sent to our app over HTTP."""
from datetime import timedelta

import pytest
import stripe
from sqlalchemy import select

from marketplace.catalog.models import Variant
from marketplace.orders import services as orders
from marketplace.orders.models import Order
from marketplace.payments import ledger
from marketplace.payments import services as payments
from marketplace.payments.models import Payment, WebhookEvent
from tests import factories
from tests.payments.conftest import register_webhook, wait_for


def _card_order(db, client=None, stock=5, price=150_000, quantity=1):
    seller = factories.user("graduate")
    product = factories.product(factories.business(seller), stock=stock, price_idr=price)
    order = factories.order([(product.variants[0], quantity)], payment_method="stripe")
    db.session.commit()
    if client is not None:  # the customer's browser holds the emailed link
        assert client.get(orders.order_link(order).replace("http://localhost", "")).status_code == 200
    return seller, product, order


def _pay(client_v1, ref, payment_method="pm_card_visa"):
    """What Stripe.js does in the browser: attach the card, confirm."""
    client_v1.payment_intents.update(ref, {"payment_method": payment_method})
    return client_v1.payment_intents.confirm(ref)


def _order(db, order):
    db.session.expire_all()
    return db.session.get(Order, order.id)


def test_the_payment_intent_carries_the_rupiah_amount_in_hundredths(stripe_live, client, db):
    _, _, order = _card_order(db, client, price=150_000)
    response = client.get(f"/pay/{order.public_id}")
    assert response.status_code == 200
    assert "https://js.stripe.com" in response.headers["Content-Security-Policy"]
    payment = db.session.execute(select(Payment).where(Payment.order_id == order.id)).scalar_one()
    page = response.get_data(as_text=True)
    assert f'data-client-secret="{payment.client_secret}"' in page and 'data-publishable-key="pk_test_pasar"' in page
    intent = stripe_live.payment_intents.retrieve(payment.provider_ref)
    assert order.total_idr == 160_000  # 150.000 + same-city delivery
    assert (intent.amount, intent.currency) == (16_000_000, "idr")
    assert client.get(f"/pay/{order.public_id}").status_code == 200
    assert db.session.get(Payment, payment.id).provider_ref == intent.id  # one intent, reused


def test_a_card_payment_is_marked_paid_by_the_signed_webhook(stripe_live, client, db, outbox):
    seller, _, order = _card_order(db, client)
    client.get(f"/pay/{order.public_id}")
    payment = payments.payment_for(order)
    assert _pay(stripe_live, payment.provider_ref).status == "succeeded"
    wait_for(lambda: _order(db, order).status == "paid", "the webhook")
    assert ledger.balance_idr(order.parts[0].business_id) == order.total_idr
    # The customer comes back after the webhook: nothing more happens.
    response = client.get(f"/pay/{order.public_id}/return", follow_redirects=True)
    assert "Thank you" in response.get_data(as_text=True)
    assert ledger.balance_idr(order.parts[0].business_id) == order.total_idr
    assert {m.template for m in outbox(seller.email)} == {"order_new_for_seller"}


def test_the_customer_returning_before_the_webhook_settles_it_once(stripe_live, client, db):
    _, _, order = _card_order(db, client)
    client.get(f"/pay/{order.public_id}")
    ref = payments.payment_for(order).provider_ref
    _pay(stripe_live, ref)
    client.get(f"/pay/{order.public_id}/return")  # asks Stripe at once
    assert _order(db, order).status == "paid"
    event = wait_for(lambda: db.session.execute(select(WebhookEvent).where(
        WebhookEvent.type == "payment_intent.succeeded", WebhookEvent.outcome == "already paid")).scalars().first(),
        "the late webhook")
    assert event is not None
    assert ledger.balance_idr(order.parts[0].business_id) == order.total_idr


def test_a_declined_card_leaves_the_order_unpaid_and_the_stock_reserved_until_expiry(stripe_live, client, db):
    _, product, order = _card_order(db, client, stock=3, quantity=2)
    client.get(f"/pay/{order.public_id}")
    ref = payments.payment_for(order).provider_ref
    card = stripe_live.payment_methods.create({"type": "card", "card": {
        "number": "4000000000000341", "exp_month": 12, "exp_year": 2030, "cvc": "123"}})
    with pytest.raises(stripe.CardError):
        _pay(stripe_live, ref, card.id)
    wait_for(lambda: payments.payment_for(order).last_error, "the payment_failed webhook")
    assert _order(db, order).status == "awaiting_payment"
    assert db.session.get(Variant, product.variants[0].id).stock == 1
    response = client.get(f"/pay/{order.public_id}/return")
    assert response.headers["Location"].endswith(f"/pay/{order.public_id}")  # try another card

    assert orders.expire_unpaid_orders(now=order.expires_at + timedelta(minutes=1)) == 1
    assert _order(db, order).status == "cancelled"
    assert db.session.get(Variant, product.variants[0].id).stock == 3
    assert stripe_live.payment_intents.retrieve(ref).status == "canceled"  # cannot be paid any more


def test_a_refund_goes_through_the_api_and_debits_the_ledger(stripe_live, client, db):
    seller, product, order = _card_order(db, client)
    client.get(f"/pay/{order.public_id}")
    _pay(stripe_live, payments.payment_for(order).provider_ref)
    wait_for(lambda: _order(db, order).status == "paid", "the webhook")
    part = order.parts[0]
    orders.cancel_part(part.id, seller.id, "Barang rusak saat dikemas")
    assert ledger.balance_idr(part.business_id) == 0
    assert payments.payment_for(order).refunded_idr == order.total_idr
    assert _order(db, order).parts[0].status == "refunded"
    assert db.session.get(Variant, product.variants[0].id).stock == 5


def test_reconcile_settles_a_payment_whose_webhook_never_came(stripe_live, localstripe, app_server, client, db):
    register_webhook(localstripe, f"{app_server}/payments/webhooks/stripe", events=["nothing.ever"])
    try:
        _, _, order = _card_order(db, client)
        client.get(f"/pay/{order.public_id}")
        _pay(stripe_live, payments.payment_for(order).provider_ref)
        assert _order(db, order).status == "awaiting_payment"
        result = payments.reconcile()
        assert len(result.fixed) == 1 and result.differences == []
        assert _order(db, order).status == "paid"
        assert ledger.balance_idr(order.parts[0].business_id) == order.total_idr
        cli = stripe_live and client.application.test_cli_runner().invoke(args=["payments", "reconcile"])
        assert "0 fixed, 0 difference(s)" in cli.output
    finally:
        register_webhook(localstripe, f"{app_server}/payments/webhooks/stripe")
