"""What a customer does with their own order: cancel it before paying (the stock goes back and the
sellers are told; a paid order cannot be cancelled this way), and say that a parcel arrived."""
from marketplace.catalog.models import Variant
from marketplace.orders import fulfilment, notices
from marketplace.orders.models import Order
from marketplace.payments.models import Payment
from tests import factories


def _stock(db, product):
    db.session.expire_all()
    return db.session.get(Variant, product.variants[0].id).stock


def test_the_customer_cancels_an_unpaid_order_from_its_page(client, db, login_as, outbox):
    buyer = login_as("customer")
    order, products = factories.unpaid_order(2, buyer)
    assert all(_stock(db, p) == 3 for p in products)
    page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert "Cancel this order" in page

    response = client.post(f"/orders/{order.public_id}/cancel", follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Your order is cancelled" in page and "Cancelled by the customer" in page
    assert "Cancel this order" not in page
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "cancelled"
    assert all(_stock(db, p) == 5 for p in products)
    assert [m.template for m in outbox(buyer.email)][-1] == "order_cancelled_by_customer"
    for product in products:
        [notice] = [m for m in outbox(product.business.owner.email) if m.template == "order_cancelled_for_seller"]
        assert "nothing to send" in notice.body and product.title in notice.body

    again = client.post(f"/orders/{order.public_id}/cancel", follow_redirects=True)
    assert "cannot be cancelled now" in again.get_data(as_text=True)
    assert all(_stock(db, p) == 5 for p in products)  # released once


def test_a_paid_order_cannot_be_cancelled_by_the_customer(client, db, login_as, outbox):
    buyer = login_as("customer")
    order, products = factories.unpaid_order(1, buyer)
    factories.pay(order)
    assert "Cancel this order" not in client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    response = client.post(f"/orders/{order.public_id}/cancel", follow_redirects=True)
    assert "cannot be cancelled now" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "paid" and _stock(db, products[0]) == 3


def test_nobody_else_can_cancel_the_order(client, db, login_as):
    order, products = factories.unpaid_order(1, factories.user("customer"))
    login_as("customer")
    assert client.post(f"/orders/{order.public_id}/cancel").status_code == 404
    client.post("/account/logout")
    assert client.post(f"/orders/{order.public_id}/cancel").status_code == 404
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "awaiting_payment" and _stock(db, products[0]) == 3


def test_a_guest_with_the_emailed_link_may_cancel(client, db, outbox):
    order, products = factories.unpaid_order(1, email="tamu@example.com")
    assert client.get(notices.order_link(order).replace("http://localhost", "")).status_code == 200
    assert client.post(f"/orders/{order.public_id}/cancel").status_code == 302
    assert _stock(db, products[0]) == 5
    body = outbox("tamu@example.com")[-1].body
    assert "As you asked" in body and "already transferred" in body


def test_system_notes_read_in_the_customers_language(translated_app, db):
    from flask_babel import force_locale

    from marketplace.orders.views.public import order_note

    with translated_app.test_request_context(), force_locale("id"):
        assert order_note("cancelled by the customer") == "Dibatalkan oleh pembeli"
        assert order_note("expired") == "Tidak dibayar tepat waktu"
        assert order_note("Barang rusak saat dikemas") == "Barang rusak saat dikemas"  # a person's words
        assert order_note(None) == ""


def test_the_payment_record_of_a_cancelled_order_is_closed(client, db, login_as):
    buyer = login_as("customer")
    order, _ = factories.unpaid_order(1, buyer)
    client.post(f"/orders/{order.public_id}/cancel")
    db.session.expire_all()
    payment = db.session.query(Payment).filter_by(order_id=order.id).one()
    assert payment.status == "cancelled"


def test_the_customer_confirms_a_parcel_arrived_and_the_part_is_completed(client, db, login_as):
    buyer = login_as("customer")
    order, (shipped_product, unshipped_product) = factories.unpaid_order(2, buyer)
    factories.pay(order)
    shipped = next(p for p in order.parts if p.business_id == shipped_product.business_id)
    fulfilment.advance_part(shipped.id, "packed", shipped.business.owner_id)
    fulfilment.advance_part(shipped.id, "shipped", shipped.business.owner_id, "JNE", "JNE123")
    other = next(p for p in order.parts if p.id != shipped.id)

    page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert page.count("I received this parcel") == 1
    response = client.post(f"/orders/{order.public_id}/parts/{shipped.id}/received", follow_redirects=True)
    assert "The seller sees that your parcel arrived" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(shipped), shipped.id).status == "completed"
    assert "Received by the customer" in response.get_data(as_text=True)

    refused = client.post(f"/orders/{order.public_id}/parts/{other.id}/received", follow_redirects=True)
    assert "cannot be marked as received now" in refused.get_data(as_text=True)
    assert db.session.get(type(other), other.id).status == "paid"


def test_a_part_of_another_order_cannot_be_confirmed_through_mine(client, db, login_as):
    buyer = login_as("customer")
    mine, _ = factories.unpaid_order(1, buyer)
    theirs, _ = factories.unpaid_order(1, factories.user("customer"))
    assert client.post(f"/orders/{mine.public_id}/parts/{theirs.parts[0].id}/received").status_code == 404
