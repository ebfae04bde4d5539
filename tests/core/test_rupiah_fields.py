"""Every rupiah field takes amounts as Indonesians type them ("18.500", "Rp 18.500") and says how."""
import re

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Product
from marketplace.core.forms import parse_rupiah
from marketplace.extensions import db
from marketplace.orders import delivery
from tests import factories


@pytest.mark.parametrize("typed, amount", [
    ("18500", 18_500), ("18.500", 18_500), ("Rp 18.500", 18_500), ("Rp18.500", 18_500), ("rp. 18.500", 18_500),
    ("Rp 18.500,-", 18_500), ("18.500,00", 18_500), ("1.250.000", 1_250_000), ("18 500", 18_500), ("0", 0),
    ("", None), ("  ", None),
])
def test_amounts_typed_the_indonesian_way_are_read(typed, amount):
    assert parse_rupiah(typed) == amount


@pytest.mark.parametrize("typed", ["18.5", "18,500", "18,5", "-5", "Rp", "abc", "1.0000", "1e5", "Rp -18.500"])
def test_ambiguous_or_wrong_amounts_are_refused_not_guessed(typed):
    with pytest.raises(ValueError):
        parse_rupiah(typed)


def _new_product(client, price: str):
    return client.post("/seller/products/new", data={
        "title": "Kain Batik", "price_idr": price, "stock": "5", "weight_grams": "300", "category_id": "0",
        "status": "active"})


def test_the_product_form_takes_rp_18_500_and_shows_how_to_type_prices(client, login_as):
    seller = login_as("graduate")
    factories.business(seller)
    db.session.commit()
    form = client.get("/seller/products/new").get_data(as_text=True)
    assert "In rupiah, e.g. 18.500 or Rp 18.500." in form
    assert re.search(r'<input aria-describedby="price_idr-hint" [^>]*inputmode="decimal" name="price_idr" [^>]*type="text"',
                     form)
    assert _new_product(client, "Rp 18.500").status_code == 302
    product = db.session.execute(select(Product)).scalar_one()
    assert product.price_idr == 18_500
    page = client.get(f"/seller/products/{product.id}").get_data(as_text=True)
    assert 'value="18.500"' in page  # shown again as it is typed

    refused = _new_product(client, "18,5")
    assert refused.status_code == 400
    assert "Type an amount in whole rupiah, e.g. 18.500 or Rp 18.500." in refused.get_data(as_text=True)
    assert "Not a valid integer value" not in refused.get_data(as_text=True)


def test_quick_edit_variants_delivery_rates_and_payouts_take_dotted_amounts(client, login_as):
    seller = login_as("graduate")
    business = factories.business(seller)
    product = factories.product(business, variants=[{"label": "S", "stock": 2}, {"label": "M", "stock": 3}])
    db.session.commit()
    assert client.post(f"/seller/products/{product.id}/quick", data={"price_idr": "Rp 21.000"}).status_code == 302
    assert client.post(f"/seller/products/{product.id}/variants/{product.variants[0].id}", data={
        "size": "S", "stock": "2", "price_idr": "22.500"}).status_code == 302
    assert client.post("/seller/orders/delivery", data={
        "same_city_idr": "Rp 8.000", "same_province_idr": "15.000",
        "java_idr": "25000", "outside_java_idr": "Rp 50.000,-", "delivery_enabled": "y"}).status_code == 302
    db.session.expire_all()
    assert product.price_idr == 21_000 and product.variants[0].price_idr == 22_500
    rates = delivery.delivery_settings(business.id)
    assert (rates.same_city_idr, rates.same_province_idr, rates.outside_java_idr) == (8_000, 15_000, 50_000)


def test_the_price_filter_reads_dotted_amounts(client):
    cheap = factories.product(title="Gantungan Kunci", price_idr=15_000)
    dear = factories.product(title="Tas Anyaman", price_idr=180_000)
    db.session.commit()
    page = client.get("/cari", query_string={"min": "Rp 100.000"}).get_data(as_text=True)
    assert dear.title in page and cheap.title not in page
    assert 'value="100.000"' in page
