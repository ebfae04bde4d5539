"""An order keeps the total it was placed with: a cancelled order is listed at what it cost (not Rp 0),
with any refund beside it; the payment says what is still due. Sales totals come from the database."""
from sqlalchemy import select

from marketplace.orders import closing, fulfilment, lookup, settlement
from marketplace.core.formatting import rupiah
from marketplace.payments.models import Payment, Refund
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


def test_a_paid_transfer_cancelled_shows_the_refund_owed_then_the_refund_sent(client, db, login_as, outbox):
    customer = login_as("customer")
    seller, product = _seller_product(90_000)
    order = factories.order([(product.variants[0], 1)], buyer=customer)
    db.session.commit()
    factories.pay(order)
    closing.cancel_part(order.parts[0].id, seller.id, "Barang rusak")
    payment = _payment(db, order)
    owed = 100_000 + payment.unique_code_idr  # nothing of the order is left: the kode unik goes back too
    [refund] = db.session.execute(select(Refund).where(Refund.order_id == order.id)).scalars().all()
    assert (refund.amount_idr, refund.status, payment.refunded_idr) == (owed, "owed", 0)
    listing = client.get("/orders").get_data(as_text=True)
    assert "Rp 100.000" in listing and f"Refund owed: <span class=\"price\">{rupiah(owed)}</span>" in listing
    detail = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert "Total: <span class=\"price\">Rp 100.000</span></p>" in detail
    assert f"Refund owed to you: <span class=\"price\">{rupiah(owed)}</span>" in detail
    assert "You paid for these items" in outbox(customer.email)[-1].body

    settlement.record_refund_sent(refund.id, "BRI-REF-1", factories.user("staff").id)
    detail = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert (f"Total: <span class=\"price\">Rp 100.000</span> · Refunded: <span class=\"price\">{rupiah(owed)}</span>"
            in detail)
    assert "reference BRI-REF-1" in detail and "Refund owed" not in detail
    assert outbox(customer.email)[-1].template == "refund_sent"


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
    to_transfer = rupiah(50_000 + _payment(db, order).unique_code_idr)  # the kode unik stays the order's
    assert "Rp 150.000" in detail
    assert "Total now, without the cancelled items: <span class=\"price\">Rp 50.000</span>" in detail
    assert f"Amount to transfer: <span class=\"price\">{to_transfer}</span>" in detail
    pay = client.get(f"/pay/{order.public_id}").get_data(as_text=True)
    assert f"Amount to pay: <span class=\"price\">{to_transfer}</span>" in pay and f"Transfer exactly {to_transfer}" in pay
    factories.pay(order)
    assert to_transfer in outbox(customer.email)[-1].body  # payment_confirmed: what was actually paid


def test_the_sales_total_counts_every_sent_part_and_nothing_cancelled(db):
    seller, product = _seller_product(20_000)
    sold, cancelled, open_ = (factories.order([(product.variants[0], 1)]) for _ in range(3))
    db.session.commit()
    for order in (sold, cancelled, open_):
        factories.pay(order)
    fulfilment.advance_part(sold.parts[0].id, "packed", seller.id)
    fulfilment.advance_part(sold.parts[0].id, "shipped", seller.id, courier="JNE", tracking_number="JNE1")
    closing.cancel_part(cancelled.parts[0].id, seller.id, "Rusak")
    assert lookup.sales_total_idr(product.business_id) == 30_000
