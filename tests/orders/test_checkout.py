"""Checkout: address validation, delivery per seller, review, one order per submitted form, stock."""
import re

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import ProductStatus, Variant
from marketplace.orders import cart as carts
from marketplace.orders import checkout, delivery, errors
from marketplace.orders.models import Order, OrderPart
from tests import factories


def _fill_cart(client, *products, quantity=1):
    for product in products:
        assert client.post("/cart/add", data={"variant_id": product.variants[0].id,
                                              "quantity": quantity}).status_code == 302


def _review_key(client) -> str:
    page = client.get("/checkout/review").get_data(as_text=True)
    return re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)


def _order_count(db) -> int:
    return db.session.execute(select(func.count(Order.id))).scalar_one()


def test_a_guest_checks_out_with_delivery_per_seller(client, db, outbox, checkout_fields):
    near = factories.product(factories.business(city="Banyuwangi"), stock=5, price_idr=30_000)
    far = factories.product(factories.business(city="Medan", province="Sumatera Utara"), stock=5, price_idr=50_000)
    delivery.save_delivery_settings(far.business_id, same_city_idr=5_000,
                                    same_province_idr=9_000, java_idr=20_000, outside_java_idr=45_000,
                                    delivery_enabled=True, pickup_enabled=True)
    db.session.commit()
    _fill_cart(client, near, far)
    fields = {**checkout_fields, f"delivery_{near.business_id}": "delivery", f"delivery_{far.business_id}": "delivery"}
    response = client.post("/checkout", data=fields)
    assert response.status_code == 302 and response.headers["Location"].endswith("/checkout/review")
    key = _review_key(client)
    response = client.post("/checkout/review", data={"idempotency_key": key, "total_idr": "1"})
    assert response.status_code == 302 and "/pay/" in response.headers["Location"]

    order = db.session.execute(select(Order)).scalar_one()
    # Seller in Banyuwangi, Jawa Timur: same city. Seller in Sumatera Utara -> buyer in Jawa Timur: outside Java.
    assert {p.business_id: (p.delivery_zone, p.delivery_idr) for p in order.parts} == {
        near.business_id: ("same_city", 10_000), far.business_id: ("outside_java", 45_000)}
    assert order.total_idr == 30_000 + 50_000 + 10_000 + 45_000
    assert order.phone == "+6281234567890"
    assert [line.title for p in order.parts for line in p.lines] == [near.title, far.title]
    assert db.session.get(Variant, near.variants[0].id).stock == 4  # reserved at placement
    assert [m.template for m in outbox(order.email)] == ["order_received"]
    # A bank transfer: the sellers hear of the order once program staff confirm the money, not before.
    assert {m.template for m in outbox() if m.to != order.email} == set()

    # The emailed signed link shows the order to anyone holding it; a forged one is 404.
    link = re.search(r"http://localhost(/orders/view/\S+)", outbox(order.email)[0].body).group(1)
    other = client.application.test_client()
    assert other.get(link).status_code == 200
    assert other.get(link[:-3] + "xyz").status_code == 404
    assert client.application.test_client().get(f"/orders/{order.public_id}").status_code == 404


@pytest.mark.parametrize("field, value, message", [
    ("phone", "12345", "Indonesian phone number"),
    ("phone", "+1 202 555 0147", "Indonesian phone number"),
    ("postal_code", "6841", "5 digits"),
    ("postal_code", "68a16", "5 digits"),
    ("province", "Atlantis", "Choose a province."),
    ("province", "", "Choose a province."),
    ("email", "not-an-email", "valid email"),
    ("street", "", "street address"),
    ("payment_method", "free", "Not a valid choice"),
])
def test_malformed_addresses_get_clear_errors(client, db, checkout_fields, field, value, message):
    product = factories.product()
    db.session.commit()
    _fill_cart(client, product)
    response = client.post("/checkout", data={**checkout_fields, field: value,
                                              f"delivery_{product.business_id}": "delivery"})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _order_count(db) == 0


def test_the_province_list_opens_on_a_prompt_not_on_a_province(client, db):
    product = factories.product()
    db.session.commit()
    _fill_cart(client, product)
    page = client.get("/checkout").get_data(as_text=True)
    options = re.findall(r"<option([^>]*)>([^<]*)</option>", page.split('name="province"', 1)[1].split("</select>", 1)[0])
    attributes, label = options[0]
    assert label == "Choose a province" and 'value=""' in attributes
    assert "Choose a province." not in page  # the prompt is no error until the form is sent


def test_pickup_only_when_the_seller_offers_it(client, db, checkout_fields):
    product = factories.product()
    db.session.commit()
    _fill_cart(client, product)
    response = client.post("/checkout", data={**checkout_fields, f"delivery_{product.business_id}": "pickup"})
    assert response.status_code == 400


def test_a_double_submitted_checkout_makes_one_order(client, db, checkout_fields):
    product = factories.product(stock=5)
    db.session.commit()
    _fill_cart(client, product, quantity=2)
    client.post("/checkout", data={**checkout_fields, f"delivery_{product.business_id}": "delivery"})
    key = _review_key(client)
    first = client.post("/checkout/review", data={"idempotency_key": key})
    second = client.post("/checkout/review", data={"idempotency_key": key})
    assert first.headers["Location"] == second.headers["Location"]
    assert _order_count(db) == 1
    assert db.session.get(Variant, product.variants[0].id).stock == 3  # reserved once


def test_the_service_returns_the_same_order_for_the_same_key(db):
    product = factories.product(stock=5)
    first = factories.order([(product.variants[0], 1)], key="k" * 32)
    again = factories.order([(product.variants[0], 1)], key="k" * 32)
    assert again.id == first.id
    assert db.session.get(Variant, product.variants[0].id).stock == 4


def test_stock_gone_between_cart_and_order_gives_a_clear_error(client, db, checkout_fields):
    product = factories.product(stock=2)
    db.session.commit()
    _fill_cart(client, product, quantity=2)
    client.post("/checkout", data={**checkout_fields, f"delivery_{product.business_id}": "delivery"})
    key = _review_key(client)
    factories.order([(db.session.get(Variant, product.variants[0].id), 1)])  # someone else buys one
    response = client.post("/checkout/review", data={"idempotency_key": key}, follow_redirects=True)
    assert "Only 1 left" in response.get_data(as_text=True)
    assert _order_count(db) == 1  # only the other buyer's
    assert db.session.get(Variant, product.variants[0].id).stock == 1


def test_a_product_archived_after_review_is_not_sold(client, db, checkout_fields):
    product = factories.product(stock=2)
    db.session.commit()
    _fill_cart(client, product)
    client.post("/checkout", data={**checkout_fields, f"delivery_{product.business_id}": "delivery"})
    key = _review_key(client)
    product.status = ProductStatus.ARCHIVED.value
    db.session.commit()
    client.post("/checkout/review", data={"idempotency_key": key})
    assert _order_count(db) == 0
    assert db.session.get(Variant, product.variants[0].id).stock == 2


def test_out_of_stock_in_one_line_reserves_nothing(db):
    a = factories.product(stock=5)
    b = factories.product(stock=1)
    cart = carts.cart_for_token(None)
    carts.add_to_cart(cart.id, a.variants[0].id, 2, None)
    carts.add_to_cart(cart.id, b.variants[0].id, 1, None)
    b.variants[0].stock = 0
    db.session.commit()
    with pytest.raises(errors.OutOfStock) as error:
        checkout.place_order(checkout.CheckoutRequest(
            cart_id=cart.id, email="x@example.test", address=factories.address(), delivery={},
            payment_method="bank_transfer", idempotency_key="z" * 32))
    assert error.value.available == 0
    assert db.session.get(Variant, a.variants[0].id).stock == 5
    assert db.session.execute(select(func.count(OrderPart.id))).scalar_one() == 0


def test_customers_see_their_orders_and_not_others(client, db, login_as):
    customer = login_as("customer")
    mine = factories.order(buyer=customer)
    theirs = factories.order(buyer=factories.user("customer"))
    db.session.commit()
    page = client.get("/orders").get_data(as_text=True)
    assert mine.public_id in page and theirs.public_id not in page
    assert client.get(f"/orders/{mine.public_id}").status_code == 200
    assert client.get(f"/orders/{theirs.public_id}").status_code == 404
