"""The card path end to end against localstripe, with the real ``stripe`` library and real signed
webhooks sent to our app over HTTP."""
from datetime import timedelta

import pytest
import stripe
from sqlalchemy import select

from marketplace.catalog.models import Variant
from marketplace.extensions import db as _db
from marketplace.orders import closing, notices, settlement, status
from marketplace.orders.models import Order, SystemNote
from marketplace.payments import ledger
from marketplace.payments import services as payments
from marketplace.payments.models import LedgerEntry, Payment, WebhookEvent
from tests import factories
from tests.payments.conftest import wait_for
from tests.races import at_once


def _card_order(db, client=None, stock=5, price=150_000, quantity=1):
    seller = factories.user("graduate")
    product = factories.product(factories.business(seller), stock=stock, price_idr=price)
    order = factories.order([(product.variants[0], quantity)], payment_method="stripe")
    db.session.commit()
    if client is not None:  # the customer's browser holds the emailed link
        assert client.get(notices.order_link(order).replace("http://localhost", "")).status_code == 200
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

    assert closing.expire_unpaid_orders(now=order.expires_at + timedelta(minutes=1)) == 1
    assert _order(db, order).status == "cancelled"
    assert db.session.get(Variant, product.variants[0].id).stock == 3
    assert stripe_live.payment_intents.retrieve(ref).status == "canceled"  # cannot be paid any more


def test_a_refund_goes_through_the_api_and_debits_the_ledger(stripe_live, client, db):
    seller, product, order = _card_order(db, client)
    client.get(f"/pay/{order.public_id}")
    _pay(stripe_live, payments.payment_for(order).provider_ref)
    wait_for(lambda: _order(db, order).status == "paid", "the webhook")
    part = order.parts[0]
    closing.cancel_part(part.id, seller.id, "Barang rusak saat dikemas")
    assert ledger.balance_idr(part.business_id) == 0
    assert payments.payment_for(order).refunded_idr == order.total_idr
    assert _order(db, order).parts[0].status == "refunded"
    assert db.session.get(Variant, product.variants[0].id).stock == 5


def test_reconcile_settles_a_payment_whose_webhook_never_came(stripe_live, webhooks_withheld, client, db):
    _, _, order = _card_order(db, client)
    client.get(f"/pay/{order.public_id}")
    _pay(stripe_live, payments.payment_for(order).provider_ref)
    assert _order(db, order).status == "awaiting_payment"
    result = settlement.reconcile()
    assert len(result.fixed) == 1 and result.differences == []
    assert _order(db, order).status == "paid"
    assert ledger.balance_idr(order.parts[0].business_id) == order.total_idr
    cli = stripe_live and client.application.test_cli_runner().invoke(args=["payments", "reconcile"])
    assert "0 fixed, 0 difference(s)" in cli.output


def _paid_card_order(stripe_live, client, db):
    seller, product, order = _card_order(db, client)
    client.get(f"/pay/{order.public_id}")
    ref = payments.payment_for(order).provider_ref
    _pay(stripe_live, ref)
    wait_for(lambda: _order(db, order).status == "paid", "the webhook")
    return seller, product, order, ref


def _ledger_kinds(part_id):
    from marketplace.extensions import db

    return sorted(db.session.execute(select(LedgerEntry.kind).where(LedgerEntry.order_part_id == part_id))
                  .scalars().all())


def test_a_double_submitted_cancel_refunds_once_at_stripe_and_debits_the_ledger_once(
        stripe_live, client, db, login_as, outbox):
    seller, product, order, ref = _paid_card_order(stripe_live, client, db)
    part_id = order.parts[0].id
    login_as(seller)
    first = client.post(f"/seller/orders/{part_id}/cancel", data={"reason": "Barang rusak"})
    assert first.status_code == 302
    assert "Rp 160.000 refunded to the customer" in client.get(first.headers["Location"]).get_data(as_text=True)
    second = client.post(f"/seller/orders/{part_id}/cancel", data={"reason": "Barang rusak"})
    assert second.status_code == 400
    assert "cancelled already" in second.get_data(as_text=True)

    refunds = stripe_live.refunds.list({"payment_intent": ref}).data
    assert [r.amount for r in refunds] == [16_000_000]  # Rp 160.000 in hundredths, once
    assert _ledger_kinds(part_id) == ["refund", "sale"]
    assert ledger.balance_idr(order.parts[0].business_id) == 0
    assert payments.payment_for(order).refunded_idr == 160_000
    assert db.session.get(Variant, product.variants[0].id).stock == 5  # restocked once
    assert [m.template for m in outbox(order.email)].count("order_cancelled") == 1


@pytest.mark.postgres_only  # concurrent writers and row locks
def test_two_cancels_at_the_same_moment_refund_once(app, stripe_live, client, db):
    seller, _, order, ref = _paid_card_order(stripe_live, client, db)
    part_id = order.parts[0].id

    def cancel() -> str:
        closing.cancel_part(part_id, seller.id, "Barang rusak")
        return "refunded"

    outcomes = at_once(app, cancel, cancel)
    assert sorted(o if isinstance(o, str) else type(o).__name__ for o in outcomes) == ["InvalidTransition", "refunded"]
    assert len(stripe_live.refunds.list({"payment_intent": ref}).data) == 1
    db.session.expire_all()
    assert _ledger_kinds(part_id) == ["refund", "sale"]


def test_a_refund_stripe_refuses_leaves_the_part_paid_and_tells_the_seller(stripe_live, client, db, login_as,
                                                                         outbox):
    """Paid (by a signed event) for a PaymentIntent this Stripe account does not know: the refund is
    refused, and nothing on our side moves."""
    from tests.payments.test_webhooks import _event, _post

    seller = factories.user("graduate")
    product = factories.product(factories.business(seller), stock=5, price_idr=150_000)
    order = factories.order([(product.variants[0], 1)], payment_method="stripe")
    payment = payments.payment_for(order)
    payment.provider_ref = "pi_unknown_to_this_account"
    db.session.commit()
    assert _post(client, _event("evt_unknown_pi", "payment_intent.succeeded", payment.provider_ref,
                                order.total_idr)).status_code == 200
    assert _order(db, order).status == "paid"
    part_id = order.parts[0].id

    login_as(seller)
    response = client.post(f"/seller/orders/{part_id}/cancel", data={"reason": "Barang rusak"})
    assert response.status_code == 502
    page = response.get_data(as_text=True)
    assert "could not be refunded, so the order was not cancelled" in page
    assert "The payment provider said: Not Found." in page  # localstripe's answer
    db.session.expire_all()
    assert _order(db, order).parts[0].status == "paid"
    assert payments.payment_for(order).refunded_idr == 0
    assert _ledger_kinds(part_id) == ["sale"]
    assert ledger.balance_idr(product.business_id) == order.total_idr
    assert db.session.get(Variant, product.variants[0].id).stock == 4
    assert "order_cancelled" not in [m.template for m in outbox(order.email)]


def _expire_as_the_schedule_would(order):
    """The expiry's own steps, as if `flask orders expire` ran a moment before Stripe took the money
    (its check with Stripe said 'not paid yet')."""
    for part in order.parts:
        closing.cancel_unpaid_part(part, SystemNote.NOT_PAID_IN_TIME, None)
    status.refresh_order_status(order)
    payments.mark_cancelled(order)
    _db.session.commit()


def test_money_for_an_expired_order_is_given_back_in_full_and_credits_nobody(stripe_live, client, db, outbox):
    from tests.payments.test_webhooks import _event, _post

    _, product, order = _card_order(db, client, stock=5, quantity=2)
    client.get(f"/pay/{order.public_id}")
    ref = payments.payment_for(order).provider_ref
    _expire_as_the_schedule_would(order)
    assert db.session.get(Variant, product.variants[0].id).stock == 5
    _pay(stripe_live, ref)  # its own webhook may come too: either one refunds, once

    late_success = _event("evt_late_success", "payment_intent.succeeded", ref, order.total_idr)
    assert _post(client, late_success).status_code == 200
    wait_for(lambda: payments.payment_for(order).refunded_idr, "the refund")
    assert _order(db, order).status == "cancelled"
    assert [r.amount for r in stripe_live.refunds.list({"payment_intent": ref}).data] == [order.total_idr * 100]
    assert ledger.balance_idr(product.business_id) == 0
    assert db.session.execute(select(LedgerEntry)).first() is None
    assert db.session.get(Variant, product.variants[0].id).stock == 5  # the stock is not taken again
    assert settlement.reconcile() == payments.ReconcileResult(fixed=[], differences=[])
    [notice] = [m for m in outbox(order.email) if m.template == "payment_refunded_late"]
    assert order.total_idr == 310_000 and "Rp 310.000" in notice.body and "refunded the full amount" in notice.body


def test_reconcile_gives_back_money_for_an_expired_order_whose_webhook_never_came(
        stripe_live, webhooks_withheld, client, db):
    _, product, order = _card_order(db, client)
    client.get(f"/pay/{order.public_id}")
    ref = payments.payment_for(order).provider_ref
    _expire_as_the_schedule_would(order)
    _pay(stripe_live, ref)
    result = settlement.reconcile()
    assert result.differences == [] and len(result.fixed) == 1
    assert "refunded: its order had expired" in result.fixed[0]
    assert sum(r.amount for r in stripe_live.refunds.list({"payment_intent": ref}).data) == order.total_idr * 100
    assert _order(db, order).status == "cancelled"
    assert ledger.balance_idr(product.business_id) == 0
    assert settlement.reconcile().fixed == []  # once


def test_reconcile_reports_a_refund_made_in_stripe_that_our_ledger_never_saw(stripe_live, client, db):
    _, product, order, ref = _paid_card_order(stripe_live, client, db)
    stripe_live.refunds.create({"payment_intent": ref, "amount": 5_000_000})  # Rp 50.000, from the dashboard
    result = settlement.reconcile()
    assert result.fixed == []
    assert result.differences == [f"payment {payments.payment_for(order).id}: Rp 0 refunded here, Rp 50000 at Stripe"]
    assert ledger.balance_idr(product.business_id) == order.total_idr  # reported, not guessed at


def test_reconcile_agrees_with_stripe_after_our_own_refund(stripe_live, client, db):
    seller, _, order, _ = _paid_card_order(stripe_live, client, db)
    closing.cancel_part(order.parts[0].id, seller.id, "Stok habis")
    assert settlement.reconcile() == payments.ReconcileResult(fixed=[], differences=[])


def test_a_late_payment_stripe_will_not_refund_yet_is_answered_503_so_stripe_sends_it_again(stripe_live, client, db):
    from tests.payments.test_webhooks import _event, _post

    order = factories.order([(factories.product(stock=5).variants[0], 1)], payment_method="stripe")
    payments.payment_for(order).provider_ref = "pi_unknown_to_this_account"
    db.session.commit()
    _expire_as_the_schedule_would(order)
    payload = _event("evt_late_unrefundable", "payment_intent.succeeded", "pi_unknown_to_this_account",
                     order.total_idr)
    assert _post(client, payload).status_code == 503
    db.session.expire_all()
    assert db.session.execute(select(WebhookEvent)).first() is None  # not stored: the retry is processed
    assert payments.payment_for(order).status == "cancelled"


def test_cancelling_an_unpaid_card_order_cancels_its_payment_intent(stripe_live, client, db):
    _, product, order = _card_order(db, client, stock=5, quantity=2)
    client.get(f"/pay/{order.public_id}")
    ref = payments.payment_for(order).provider_ref
    response = client.post(f"/orders/{order.public_id}/cancel", follow_redirects=True)
    assert "Your order is cancelled" in response.get_data(as_text=True)
    assert _order(db, order).status == "cancelled"
    assert db.session.get(Variant, product.variants[0].id).stock == 5
    assert stripe_live.payment_intents.retrieve(ref).status == "canceled"  # cannot be paid any more
    with pytest.raises(stripe.StripeError):
        _pay(stripe_live, ref)


def test_a_customer_who_paid_before_cancelling_keeps_the_order(stripe_live, webhooks_withheld, client, db):
    _, product, order = _card_order(db, client)
    client.get(f"/pay/{order.public_id}")
    _pay(stripe_live, payments.payment_for(order).provider_ref)
    response = client.post(f"/orders/{order.public_id}/cancel", follow_redirects=True)
    assert "Your payment had already arrived, so the order goes ahead." in response.get_data(as_text=True)
    assert _order(db, order).status == "paid"
    assert ledger.balance_idr(product.business_id) == order.total_idr
    assert db.session.get(Variant, product.variants[0].id).stock == 4
