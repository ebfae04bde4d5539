"""A storefront cannot open without a province, and the delivery zone shown is the one really applied
(issue 11 item 10: a seller with no province was charged the outside-Java rate, labelled "Luar Pulau
Jawa", for a buyer in the next town of the same province)."""
import re

import pytest
from sqlalchemy import select

from marketplace import demo
from marketplace.catalog import storefronts as catalog
from marketplace.catalog.errors import ProvinceRequired
from marketplace.catalog.models import Business, BusinessStatus
from marketplace.orders import cart as carts
from marketplace.orders.errors import ProductUnavailable
from marketplace.orders.models import Order
from tests import factories


def test_a_shop_cannot_open_without_a_province(db):
    owner = factories.user("graduate")
    db.session.commit()  # a refused save rolls its transaction back, and would take an unsaved owner with it
    with pytest.raises(ProvinceRequired):
        catalog.save_business(owner.id, catalog.BusinessData(name="Toko Tanpa Provinsi", city="Genteng",
                                                             status=BusinessStatus.OPEN.value))
    draft = catalog.save_business(owner.id, catalog.BusinessData(name="Toko Draf", city="Genteng"))
    assert draft.status == BusinessStatus.DRAFT.value and draft.province is None
    opened = catalog.save_business(owner.id, catalog.BusinessData(
        name="Toko Draf", city="Genteng", province="Jawa Timur", status=BusinessStatus.OPEN.value))
    assert (opened.status, opened.province) == (BusinessStatus.OPEN.value, "Jawa Timur")


def test_the_shop_form_says_why_it_does_not_open(client, db, login_as):
    graduate = login_as("graduate")
    response = client.post("/seller/storefront", data={"name": "Camilan Genteng", "city": "Genteng",
                                                      "status": "open"})
    assert response.status_code == 400
    assert 'id="province-error"' in response.get_data(as_text=True)
    assert db.session.execute(select(Business).where(Business.owner_id == graduate.id)).scalar_one_or_none() is None


def test_an_open_shop_left_without_a_province_takes_no_orders(db):
    product = factories.product(factories.business(province=None), stock=5)
    cart = carts.cart_for_token(None)
    with pytest.raises(ProductUnavailable):
        carts.add_to_cart(cart.id, product.variants[0].id, 1, None)


def test_the_zone_shown_and_charged_is_the_one_applied(client, db, checkout_fields):
    # The seller is in Genteng, the buyer in Banyuwangi: both in Jawa Timur, so "Same province".
    product = factories.product(factories.business(city="Genteng", province="Jawa Timur"), stock=5, price_idr=18_000)
    db.session.commit()
    client.post("/cart/add", data={"variant_id": product.variants[0].id, "quantity": 1})
    client.post("/checkout", data={**checkout_fields, f"delivery_{product.business_id}": "delivery"})
    page = client.get("/checkout/review").get_data(as_text=True)
    assert "Delivery: Same province" in page and "Outside Java" not in page
    assert "Rp 38.000" in page  # 18.000 + the same-province rate, 20.000
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/checkout/review", data={"idempotency_key": key}).status_code == 302
    part = db.session.execute(select(Order)).scalar_one().parts[0]
    assert (part.delivery_zone, part.delivery_idr) == ("same_province", 20_000)
    assert "Same province" in client.get(f"/orders/{part.order.public_id}").get_data(as_text=True)


@pytest.mark.long
def test_every_demo_shop_has_a_province(db):
    demo.seed()
    shops = db.session.execute(select(Business)).scalars().all()
    assert shops and all(shop.province == "Jawa Timur" for shop in shops)
