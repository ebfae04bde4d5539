"""An order keeps the total it was placed with: a cancelled order is listed at what it cost (not Rp 0),
with any refund beside it; the payment says what is still due. Sales totals come from the database."""
from sqlalchemy import select

from marketplace.orders import closing, fulfilment, lookup, settlement
from marketplace.payments.models import Payment
from tests import factories


def _seller_product(price):
    seller = factories.user("graduate")
    return seller, factories.product(factories.business(seller), stock=5, price_idr=price)


def _payment(db, order):
    db.session.expire_all()
    return db.session.execute(select(Payment).where(Payment.order_id == order.id)).scalar_one()


def test_a_cancelled_unpaid_order_is_listed_at_its_original_total(client, db, login_as):
    customer = login_as("customer")
    seller, product = _seller_product(90_000)
    order = factories.order([(product.variants[0], 1)], buyer=customer)
    db.session.commit()
    closing.cancel_part(order.parts[0].id, seller.id, "Stok habis")
    assert order.total_idr == 100_000
    payment = _payment(db, order)
    assert (payment.status, payment.amount_idr, payment.refunded_idr) == ("cancelled", 0, 0)

    listing = client.get("/orders").get_data(as_text=True)
    assert "Rp 100.000" in listing and "Rp 0" not in listing
    detail = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert "Total: <span class=\"price\">Rp 100.000</span>" in detail and "Refunded" not in detail


def test_a_refunded_order_shows_the_total_and_the_refund(client, db, login_as):
    customer = login_as("customer")
    seller, product = _seller_product(90_000)
    order = factories.order([(product.variants[0], 1)], buyer=customer)
    db.session.commit()
    settlement.confirm_offline_payment(order.parts[0].id, seller.id)
    closing.cancel_part(order.parts[0].id, seller.id, "Barang rusak")
    listing = client.get("/orders").get_data(as_text=True)
    assert "Rp 100.000" in listing and "Refunded: <span class=\"price\">Rp 100.000</span>" in listing
    detail = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert ("Total: <span class=\"price\">Rp 100.000</span> · Refunded: <span class=\"price\">Rp 100.000</span>"
            in detail)


def test_cancelling_one_sellers_unpaid_part_lowers_only_what_is_still_due(client, db, login_as, outbox):
    customer = login_as("customer")
    seller_a, product_a = _seller_product(90_000)
    _, product_b = _seller_product(40_000)
    order = factories.order([(product_a.variants[0], 1), (product_b.variants[0], 1)], buyer=customer)
    db.session.commit()
    closing.cancel_part(order.parts[0].id, seller_a.id, "Stok habis")
    db.session.expire_all()
    assert order.total_idr == 150_000 and order.status == "awaiting_payment"
    assert _payment(db, order).amount_idr == 50_000
    detail = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert "Rp 150.000" in detail and "Still to pay, without the cancelled items" in detail
    pay = client.get(f"/pay/{order.public_id}").get_data(as_text=True)
    assert "Amount to pay: <span class=\"price\">Rp 50.000</span>" in pay and "Transfer exactly Rp 50.000" in pay
    settlement.confirm_offline_payment(order.parts[1].id, order.parts[1].business.owner_id)
    assert "Rp 50.000" in outbox(customer.email)[-1].body  # payment_confirmed: what was actually paid


def test_the_sales_total_counts_every_sent_part_and_nothing_cancelled(db):
    seller, product = _seller_product(20_000)
    sold, cancelled, open_ = (factories.order([(product.variants[0], 1)]) for _ in range(3))
    db.session.commit()
    for order in (sold, cancelled, open_):
        settlement.confirm_offline_payment(order.parts[0].id, seller.id)
    fulfilment.advance_part(sold.parts[0].id, "packed", seller.id)
    fulfilment.advance_part(sold.parts[0].id, "shipped", seller.id, courier="JNE", tracking_number="JNE1")
    closing.cancel_part(cancelled.parts[0].id, seller.id, "Rusak")
    assert lookup.sales_total_idr(product.business_id) == 30_000
