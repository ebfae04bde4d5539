"""The seller's side: confirm payment, pack, ship with tracking, deliver, cancel with refund; expiry;
the ledger (commission rounding, refunds, payouts by staff of the same program)."""
from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import select

from marketplace.catalog.models import Business, Variant
from marketplace.orders import closing, delivery, fulfilment
from marketplace.orders.models import Order, OrderEvent
from marketplace.payments import ledger
from marketplace.payments.models import LedgerEntry, Payout
from tests import factories


def _seller_order(db, stock=5, quantity=2, price=33_333, **kwargs):
    seller = factories.user("graduate")
    product = factories.product(factories.business(seller), stock=stock, price_idr=price)
    order = factories.order([(product.variants[0], quantity)], **kwargs)
    db.session.commit()
    return seller, product, order, order.parts[0]


def test_the_seller_confirms_cash_then_fulfils_step_by_step(client, db, login_as, outbox):
    seller, product, order, part = _seller_order(db, payment_method="cod")
    login_as(seller)
    assert "Awaiting payment" in client.get("/seller/orders").get_data(as_text=True)
    assert client.post(f"/seller/orders/{part.id}/advance/packed").status_code == 400  # not paid yet
    assert client.post(f"/seller/orders/{part.id}/confirm-payment").status_code == 302
    assert client.post(f"/seller/orders/{part.id}/advance/packed").status_code == 302
    response = client.post(f"/seller/orders/{part.id}/advance/shipped", data={"courier": "JNE"})
    assert response.status_code == 400 and "tracking number" in response.get_data(as_text=True)
    assert client.post(f"/seller/orders/{part.id}/advance/shipped",
                       data={"courier": "JNE", "tracking_number": "JNE123"}).status_code == 302
    assert client.post(f"/seller/orders/{part.id}/advance/delivered").status_code == 302
    assert client.post(f"/seller/orders/{part.id}/advance/completed").status_code == 302
    db.session.expire_all()
    assert part.status == "completed" and part.tracking_number == "JNE123"
    assert order.status == "paid"
    history = db.session.execute(select(OrderEvent.status).where(OrderEvent.order_id == order.id)
                                 .order_by(OrderEvent.id)).scalars().all()
    assert history == ["awaiting_payment", "paid", "packed", "shipped", "delivered", "completed"]
    assert [m.template for m in outbox(order.email)] == ["order_received", "payment_confirmed", "order_shipped"]
    assert "Sales history" in client.get("/seller/orders/sales").get_data(as_text=True)


def test_another_seller_cannot_touch_the_part(client, db, login_as):
    _, _, _, part = _seller_order(db)
    other = login_as("graduate")
    factories.business(other)
    db.session.commit()
    assert client.get(f"/seller/orders/{part.id}").status_code == 404
    assert client.post(f"/seller/orders/{part.id}/confirm-payment").status_code == 404


def test_ledger_credits_less_commission_rounded_down_and_a_refund_reverses_it(app, client, db, login_as, outbox):
    app.config["COMMISSION_PERCENT"] = 7
    try:
        seller, product, order, part = _seller_order(db, quantity=1, price=33_333)
        factories.pay(order)
        total = part.total_idr  # 33.333 + 10.000 same-city delivery
        assert ledger.balance_idr(part.business_id) == total - total * 7 // 100 == 43_333 - 3_033
        login_as(seller)
        assert client.post(f"/seller/orders/{part.id}/cancel", data={"reason": ""}).status_code == 400
        assert client.post(f"/seller/orders/{part.id}/cancel", data={"reason": "Kain habis"}).status_code == 302
        db.session.expire_all()
        assert part.status == "refunded" and order.status == "cancelled"
        assert ledger.balance_idr(part.business_id) == 0
        assert db.session.get(Variant, product.variants[0].id).stock == 5  # restocked
        assert "Kain habis" in outbox(order.email)[-1].body
    finally:
        app.config["COMMISSION_PERCENT"] = 0


def test_cash_on_delivery_leaves_only_the_commission_owed(app, db):
    app.config["COMMISSION_PERCENT"] = 10
    try:
        seller, _, order, part = _seller_order(db, quantity=1, price=90_000, payment_method="cod")
        factories.pay(order)
        assert ledger.balance_idr(part.business_id) == -10_000  # 10% of 100.000; the seller holds the cash
    finally:
        app.config["COMMISSION_PERCENT"] = 0


def test_unpaid_orders_expire_once_and_release_stock(app, db, outbox):
    _, product, order, part = _seller_order(db, stock=5, quantity=3)
    assert db.session.get(Variant, product.variants[0].id).stock == 2
    assert closing.expire_unpaid_orders() == 0  # not due yet
    later = order.expires_at + timedelta(minutes=1)
    assert closing.expire_unpaid_orders(now=later) == 1
    assert closing.expire_unpaid_orders(now=later) == 0  # a second run changes nothing
    db.session.expire_all()
    assert order.status == "cancelled" and part.status == "cancelled"
    assert db.session.get(Variant, product.variants[0].id).stock == 5
    assert outbox(order.email)[-1].template == "order_expired"
    result = app.test_cli_runner().invoke(args=["orders", "expire"])
    assert "0 order(s) expired" in result.output


def test_staff_record_payouts_for_their_own_program_only(client, db, login_as):
    seller, _, order, part = _seller_order(db, quantity=1, price=50_000)
    factories.pay(order)
    fulfilment.advance_part(part.id, "packed", seller.id)
    fulfilment.advance_part(part.id, "shipped", seller.id, "JNE", "JNE1")
    fulfilment.confirm_received(order.id, part.id, None)  # escrow ends: the money is available
    staff = login_as("staff", program_id=seller.program_id)
    page = client.get("/staff/payouts").get_data(as_text=True)
    assert part.business.name in page
    url = f"/staff/payouts/{part.business_id}"
    assert client.post(url, data={"amount_idr": "999999999", "reference": "BCA-1"}).status_code == 400
    assert client.post(url, data={"amount_idr": "20000", "reference": ""}).status_code == 400
    assert client.post(url, data={"amount_idr": "20000", "reference": "BCA-778"}).status_code == 302
    assert ledger.balance_idr(part.business_id) == 60_000 - 20_000
    assert db.session.execute(select(Payout)).scalar_one().recorded_by_id == staff.id

    login_as("staff")  # another program
    g.pop("_login_user", None)  # the test client shares this app context: forget the cached user
    assert client.get(url).status_code == 404
    assert client.post(url, data={"amount_idr": "1000", "reference": "X"}).status_code == 404

    login_as(seller)
    g.pop("_login_user", None)
    page = client.get("/seller/earnings").get_data(as_text=True)
    assert "BCA-778" in page and "Available for payout: <span class=\"price\">Rp 40.000</span>" in page


def test_staff_confirm_a_bank_transfer(client, db, login_as, outbox):
    seller, _, order, part = _seller_order(db)
    login_as("staff", program_id=seller.program_id)
    assert order.public_id[:8].upper() in client.get("/staff/payouts/awaiting-payment").get_data(as_text=True)
    amount = order.payment.to_transfer_idr
    assert client.post(f"/staff/payouts/orders/{order.id}/transfer", data={"amount_idr": str(amount)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "paid"
    assert db.session.execute(select(LedgerEntry.kind)).scalars().all() == ["sale"]


def test_the_seller_pages_render_and_delivery_rates_save(client, db, login_as):
    seller, _, order, part = _seller_order(db)
    login_as(seller)
    assert order.recipient in client.get(f"/seller/orders/{part.id}").get_data(as_text=True)
    assert client.get("/seller/orders/delivery").status_code == 200
    bad = client.post("/seller/orders/delivery", data={"same_city_idr": "-5", "same_province_idr": "1",
                                                       "java_idr": "1", "outside_java_idr": "1"})
    assert bad.status_code == 400
    good = client.post("/seller/orders/delivery", data={
        "province": "Jawa Timur", "same_city_idr": "8000", "same_province_idr": "15000", "java_idr": "25000",
        "outside_java_idr": "50000", "delivery_enabled": "y", "pickup_enabled": "y"})
    assert good.status_code == 302
    assert delivery.delivery_zone("Banyuwangi", "Jawa Timur", "Kota Surabaya", "Jawa Timur") == "same_province"
    assert delivery.delivery_zone("Banyuwangi", "Jawa Timur", "Bandung", "Jawa Barat") == "java"
    assert delivery.delivery_zone("Banyuwangi", "Jawa Timur", "Denpasar", "Bali") == "outside_java"
    assert delivery.delivery_zone("Banyuwangi", "Jawa Timur", "Kabupaten Banyuwangi", "Jawa Timur") == "same_city"


@pytest.mark.parametrize("province", [" ", "Atlantis"])
def test_a_province_not_on_the_list_is_a_form_error(client, db, login_as, province):
    seller, product, _, _ = _seller_order(db)
    login_as(seller)
    response = client.post("/seller/storefront", data={
        "name": "Toko Baru", "city": "Banyuwangi", "province": province, "status": "open"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Business, product.business_id).province == "Jawa Timur"  # nothing saved


def test_the_order_and_offline_payment_pages_render_for_the_buyer(client, db, login_as):
    customer = login_as("customer")
    order = factories.order(buyer=customer)
    db.session.commit()
    assert "Transfer exactly" in client.get(f"/pay/{order.public_id}").get_data(as_text=True)
    assert "js.stripe.com" not in client.get(f"/pay/{order.public_id}").headers["Content-Security-Policy"]
    assert order.parts[0].lines[0].title in client.get(f"/orders/{order.public_id}").get_data(as_text=True)


def test_order_numbers_show_on_the_sellers_list_and_the_customers_list(client, db, login_as):
    """Customers write the order number in the transfer note: both lists show it."""
    customer = factories.user("customer")
    seller, _, order, _ = _seller_order(db, buyer=customer)
    login_as(seller)
    assert order.number in client.get("/seller/orders").get_data(as_text=True)
    login_as(customer)
    assert order.number in client.get("/orders").get_data(as_text=True)
