"""An order is placed only at the prices and delivery costs the customer reviewed (issue 11 item 7):
when anything changed since the review page, the customer is sent back to it with the changes
highlighted, and nothing is reserved or stored."""
import re

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Variant
from marketplace.orders import cart as carts
from marketplace.orders import checkout, delivery
from marketplace.orders.errors import PricesChanged
from marketplace.orders.models import Order, OrderPart
from tests import factories


def _review(client) -> tuple[str, str]:
    page = client.get("/checkout/review").get_data(as_text=True)
    return re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1), page


def _to_review(client, product, fields, quantity=1):
    assert client.post("/cart/add", data={"variant_id": product.variants[0].id, "quantity": quantity}).status_code == 302
    assert client.post("/checkout", data={**fields, f"delivery_{product.business_id}": "delivery"}).status_code == 302
    return _review(client)


def _orders(db) -> int:
    return db.session.execute(select(func.count(Order.id))).scalar_one()


def test_a_price_raised_after_the_review_sends_the_customer_back_and_stores_nothing(client, db, checkout_fields):
    product = factories.product(factories.business(city="Banyuwangi"), stock=5, price_idr=120_000)
    db.session.commit()
    key, page = _to_review(client, product, checkout_fields)
    assert "Rp 130.000" in page  # 120.000 + 10.000 same-city delivery
    variant = db.session.get(Variant, product.variants[0].id)
    variant.price_idr = 7_050_000  # the seller edits the price while the customer reads the review
    db.session.commit()

    response = client.post("/checkout/review", data={"idempotency_key": key})
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert 'class="cart-line changed"' in text
    assert "Rp 120.000" in text and "Rp 7.050.000" in text and "Rp 7.060.000" in text
    assert _orders(db) == 0 and db.session.execute(select(func.count(OrderPart.id))).scalar_one() == 0
    assert db.session.get(Variant, product.variants[0].id).stock == 5  # nothing reserved

    # The same (stale) form again changes nothing; the page it was sent back to places the order.
    again = client.post("/checkout/review", data={"idempotency_key": key})
    assert again.status_code == 409 and _orders(db) == 0
    new_key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', again.get_data(as_text=True)).group(1)
    response = client.post("/checkout/review", data={"idempotency_key": new_key})
    assert response.status_code == 302 and "/pay/" in response.headers["Location"]
    order = db.session.execute(select(Order)).scalar_one()
    assert order.total_idr == 7_060_000


def test_a_delivery_rate_changed_after_the_review_is_shown_before_ordering(client, db, checkout_fields):
    product = factories.product(factories.business(city="Banyuwangi"), stock=5, price_idr=50_000)
    db.session.commit()
    key, _ = _to_review(client, product, checkout_fields)
    delivery.save_delivery_settings(product.business_id, same_city_idr=25_000,
                                    same_province_idr=30_000, java_idr=40_000, outside_java_idr=60_000,
                                    delivery_enabled=True, pickup_enabled=False)
    response = client.post("/checkout/review", data={"idempotency_key": key})
    assert response.status_code == 409
    assert "Rp 10.000" in response.get_data(as_text=True) and _orders(db) == 0


def test_a_review_page_this_browser_was_not_shown_places_no_order(client, db, checkout_fields):
    product = factories.product(stock=5)
    db.session.commit()
    _to_review(client, product, checkout_fields)
    response = client.post("/checkout/review", data={"idempotency_key": "x" * 32})
    assert response.status_code == 409 and _orders(db) == 0


def test_unchanged_prices_place_the_order_as_reviewed(client, db, checkout_fields):
    product = factories.product(factories.business(city="Banyuwangi"), stock=5, price_idr=120_000)
    db.session.commit()
    key, _ = _to_review(client, product, checkout_fields, quantity=2)
    response = client.post("/checkout/review", data={"idempotency_key": key})
    assert response.status_code == 302
    assert db.session.execute(select(Order)).scalar_one().total_idr == 250_000


def test_the_service_refuses_prices_that_differ_from_the_review_before_writing(db):
    product = factories.product(stock=5, price_idr=40_000)
    cart = carts.cart_for_token(None)
    carts.add_to_cart(cart.id, product.variants[0].id, 1, None)
    summary = carts.summarize_cart(cart, None)
    address = factories.address()
    reviewed = checkout.ReviewedPrices.of(summary, delivery.quote(summary, address.city, address.province, {}))
    db.session.get(Variant, product.variants[0].id).price_idr = 41_000
    db.session.commit()
    with pytest.raises(PricesChanged) as error:
        checkout.place_order(checkout.CheckoutRequest(
            cart_id=cart.id, email="x@example.test", address=address, delivery={}, payment_method="bank_transfer",
            idempotency_key="r" * 32, reviewed=reviewed))
    assert [(c.kind, c.old_idr, c.new_idr) for c in error.value.changes] == [("price", 40_000, 41_000)]
    assert _orders(db) == 0 and db.session.get(Variant, product.variants[0].id).stock == 5
