"""The cart: guests and customers, stock caps, bad input, sign-in merge."""
import pytest
from flask_login import login_user
from sqlalchemy import select

from marketplace.catalog.models import ProductStatus
from marketplace.orders import cart as carts
from marketplace.orders.models import Cart, CartItem
from tests import factories


def _items(db):
    return db.session.execute(select(CartItem)).scalars().all()


def test_a_guest_adds_to_the_cart_and_sees_server_prices(client, db):
    product = factories.product(stock=5, price_idr=40_000)
    response = client.post("/cart/add", data={"variant_id": product.variants[0].id, "quantity": 2,
                                              "price_idr": 1, "unit_price_idr": 1})  # tampered prices: ignored
    assert response.status_code == 302
    page = client.get("/cart").get_data(as_text=True)
    assert "Rp 80.000" in page and product.business.name in page


@pytest.mark.parametrize("quantity", ["0", "-3", "abc", "", "100"])
def test_nonsense_quantities_are_refused_with_a_message(client, db, quantity):
    product = factories.product(stock=500)
    response = client.post("/cart/add", data={"variant_id": product.variants[0].id, "quantity": quantity})
    assert response.status_code == 400
    assert _items(db) == []


def test_more_than_the_stock_is_refused(client, db):
    product = factories.product(stock=3)
    response = client.post("/cart/add", data={"variant_id": product.variants[0].id, "quantity": 4})
    assert response.status_code == 400
    assert "Only 3 left" in response.get_data(as_text=True)
    client.post("/cart/add", data={"variant_id": product.variants[0].id, "quantity": 2})
    response = client.post("/cart/add", data={"variant_id": product.variants[0].id, "quantity": 2})
    assert response.status_code == 400  # 2 + 2 > 3: the line is capped by stock
    assert [item.quantity for item in _items(db)] == [2]


def test_unknown_or_unpublished_variant_ids_are_refused(client, db):
    draft = factories.product(status=ProductStatus.DRAFT.value)
    assert client.post("/cart/add", data={"variant_id": 987654, "quantity": 1}).status_code == 404
    assert client.post("/cart/add", data={"variant_id": draft.variants[0].id, "quantity": 1}).status_code == 404
    assert _items(db) == []


@pytest.mark.parametrize("variant_id", ["2147483648", "-99999999999999999999", "0"])
def test_variant_ids_no_id_column_can_hold_are_refused_as_a_bad_choice(client, db, variant_id):
    response = client.post("/cart/add", data={"variant_id": variant_id, "quantity": 1})
    assert response.status_code == 400
    assert "Choose an option." in response.get_data(as_text=True)
    assert _items(db) == []


def test_update_quantity_checks_the_same_rules(client, db):
    product = factories.product(stock=4)
    variant_id = product.variants[0].id
    client.post("/cart/add", data={"variant_id": variant_id, "quantity": 1})
    assert client.post(f"/cart/items/{variant_id}/quantity", data={"quantity": "-1"}).status_code == 400
    assert client.post(f"/cart/items/{variant_id}/quantity", data={"quantity": "9"}).status_code == 400
    assert client.post(f"/cart/items/{variant_id}/quantity", data={"quantity": "4"}).status_code == 302
    assert [item.quantity for item in _items(db)] == [4]
    assert client.post(f"/cart/items/{variant_id}/remove").status_code == 302
    assert _items(db) == []


def test_a_seller_cannot_buy_from_their_own_storefront(client, db, login_as):
    seller = login_as("graduate")
    product = factories.product(factories.business(seller))
    db.session.commit()
    response = client.post("/cart/add", data={"variant_id": product.variants[0].id, "quantity": 1})
    assert response.status_code == 400
    assert "your own storefront" in response.get_data(as_text=True)


def test_an_archived_product_in_a_cart_blocks_checkout_until_removed(client, db):
    product = factories.product(stock=5)
    client.post("/cart/add", data={"variant_id": product.variants[0].id, "quantity": 1})
    product.status = ProductStatus.ARCHIVED.value
    db.session.commit()
    page = client.get("/cart").get_data(as_text=True)
    assert "No longer for sale" in page
    response = client.get("/checkout")
    assert response.status_code == 302 and response.headers["Location"].endswith("/cart")


def test_signing_in_merges_the_guest_cart_capped_by_stock(app, db):
    customer = factories.user("customer")
    a = factories.product(stock=3)
    b = factories.product(stock=10)
    mine = carts.cart_for_user(customer.id)
    carts.add_to_cart(mine.id, a.variants[0].id, 2, customer.id)
    with app.test_request_context("/"):
        from flask import session

        guest = carts.cart_for_token(None)
        carts.add_to_cart(guest.id, a.variants[0].id, 2, None)
        carts.add_to_cart(guest.id, b.variants[0].id, 1, None)
        session["cart_token"] = guest.token
        login_user(customer)  # flask_login's user_logged_in signal merges the carts
    quantities = {item.variant_id: item.quantity for item in _items(db)}
    assert quantities == {a.variants[0].id: 3, b.variants[0].id: 1}
    assert db.session.execute(select(Cart)).scalars().all() == [mine]


def test_the_checkout_names_each_shop_s_amount_a_subtotal_not_a_delivery_price(client, db):
    """"Delivery from Kopi Ijen Bayu (Rp 140.000)" read as a delivery costing Rp 140.000."""
    product = factories.product(stock=5, price_idr=140_000)
    client.post("/cart/add", data={"variant_id": product.variants[0].id, "quantity": 1})
    page = client.get("/checkout").get_data(as_text=True)
    assert f"Delivery from {product.business.name} <span class=\"muted\">(Subtotal: " in page
    assert "Rp 140.000" in page
