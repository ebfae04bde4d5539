"""Sellers manage products, stock, prices and variants; bad input is a form error, never a 500."""
import re

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Product, Variant
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from tests import factories


def _product_form(**overrides):
    data = {"title": "Kain Batik", "description": "Motif gajah oling", "price_idr": "150000", "stock": "5",
            "weight_grams": "300", "category_id": "0", "status": "active"}
    data.update(overrides)
    return data


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_new_product_gets_one_default_variant_with_its_stock(client, seller):
    response = client.post("/seller/products/new", data=_product_form())
    assert response.status_code == 302
    product = db.session.execute(select(Product)).scalar_one()
    assert [(v.label, v.stock) for v in product.variants] == [("", 5)]
    assert product.slug == "kain-batik"
    assert client.get(f"/toko/{seller.slug}/kain-batik").status_code == 200


def test_the_same_title_twice_gets_distinct_slugs(client, seller):
    client.post("/seller/products/new", data=_product_form())
    client.post("/seller/products/new", data=_product_form())
    slugs = sorted(db.session.execute(select(Product.slug)).scalars())
    assert slugs == ["kain-batik", "kain-batik-2"]


@pytest.mark.parametrize("field, value", [
    ("price_idr", "-1"), ("price_idr", "999999999999999"), ("price_idr", "abc"), ("price_idr", ""),
    ("stock", "-5"), ("stock", "10000000"), ("weight_grams", "-1"), ("category_id", "987654"),
    ("status", "published"), ("title", ""), ("title", "x" * 500),
])
def test_bad_values_are_form_errors_and_nothing_is_stored(client, seller, field, value):
    response = client.post("/seller/products/new", data=_product_form(**{field: value}))
    assert response.status_code == 400
    assert _count(Product) == 0 and _count(Variant) == 0


def test_html_and_script_in_descriptions_are_sanitised(client, seller):
    product = factories.product(seller, title="<img src=x onerror=alert(1)>",
                                description="**bold** <script>alert(1)</script> [x](javascript:alert(1))")
    db.session.commit()
    page = client.get(f"/toko/{seller.slug}/{product.slug}").data.decode()
    assert "<strong>bold</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert 'href="javascript:' not in page
    assert "<img src=x onerror" not in page


def test_another_sellers_product_answers_404_on_every_seller_route(client, seller):
    other = factories.product()
    variant_id = other.variants[0].id
    db.session.commit()
    base = f"/seller/products/{other.id}"
    assert client.get(base).status_code == 404
    assert client.get(base + "/preview").status_code == 404
    assert client.post(base, data=_product_form()).status_code == 404
    assert client.post(base + "/quick", data={"price_idr": "1"}).status_code == 404
    assert client.post(base + "/duplicate").status_code == 404
    assert client.post(base + f"/variants/{variant_id}", data={"stock": "1"}).status_code == 404
    assert client.post(base + "/photos").status_code == 404
    db.session.refresh(other)
    assert other.price_idr == 25_000 and other.title != "Kain Batik"


def test_quick_edit_changes_price_and_stock(client, seller):
    product = factories.product(seller, stock=10)
    db.session.commit()
    response = client.post(f"/seller/products/{product.id}/quick", data={"price_idr": "30000", "stock": "2"})
    assert response.status_code == 302
    db.session.refresh(product)
    assert product.price_idr == 30_000 and product.variants[0].stock == 2
    assert b"Low stock" in client.get("/seller/").data


def test_quick_edit_refuses_a_negative_stock(client, seller):
    product = factories.product(seller, stock=10)
    db.session.commit()
    response = client.post(f"/seller/products/{product.id}/quick", data={"price_idr": "30000", "stock": "-3"})
    assert response.status_code == 400
    db.session.refresh(product)
    assert product.variants[0].stock == 10


def test_duplicating_makes_a_draft_copy_with_variants(client, seller):
    product = factories.product(seller, variants=[{"label": "M", "stock": 2}, {"label": "L", "stock": 3}])
    db.session.commit()
    client.post(f"/seller/products/{product.id}/duplicate")
    copy = db.session.execute(select(Product).where(Product.id != product.id)).scalar_one()
    assert copy.status == "draft" and copy.slug != product.slug
    assert [(v.label, v.stock) for v in copy.variants] == [("M", 2), ("L", 3)]


def test_bulk_archive_touches_only_the_sellers_own_products(client, seller):
    mine = [factories.product(seller) for _ in range(2)]
    theirs = factories.product()
    db.session.commit()
    client.post("/seller/products/archive", data={"product_id": [str(p.id) for p in mine] + [str(theirs.id), "x"]})
    for p in mine + [theirs]:
        db.session.refresh(p)
    assert [p.status for p in mine] == ["archived", "archived"]
    assert theirs.status == "active"


def test_bulk_archive_skips_ids_no_id_column_can_hold(client, seller):
    mine = factories.product(seller)
    db.session.commit()
    response = client.post("/seller/products/archive",
                           data={"product_id": [str(mine.id), "2147483648", "99999999999", "-1"]})
    assert response.status_code == 302
    db.session.refresh(mine)
    assert mine.status == "archived"


def test_variants_can_be_added_edited_and_removed_but_not_the_last(client, seller):
    product = factories.product(seller, stock=4)
    db.session.commit()
    base = f"/seller/products/{product.id}/variants"
    assert client.post(base, data={"size": "M", "stock": "3"}).status_code == 302
    red_l = {"size": "L", "colour": "Merah", "stock": "1", "price_idr": "30000"}
    assert client.post(base, data=red_l).status_code == 302
    db.session.refresh(product)
    assert [(v.label, v.stock, v.price_idr) for v in product.variants] == [("M", 3, None), ("L / Merah", 1, 30000)]
    m, large = product.variants
    assert client.post(f"{base}/{m.id}", data={"size": "M", "stock": "-1"}).status_code == 400
    assert client.post(f"{base}/{m.id}", data={"size": "M", "stock": "7"}).status_code == 302
    assert client.post(f"{base}/{large.id}/delete").status_code == 302
    assert client.post(f"{base}/{m.id}/delete").status_code == 400  # the last variant stays
    db.session.refresh(product)
    assert [(v.label, v.stock) for v in product.variants] == [("M", 7)]


def test_variants_show_on_the_product_page_with_their_own_price(client, seller):
    product = factories.product(seller, variants=[{"label": "S", "stock": 0}, {"label": "XL", "stock": 2,
                                                                              "price_idr": 40_000}])
    db.session.commit()
    page = client.get(f"/toko/{seller.slug}/{product.slug}").data
    assert b"Rp 40.000" in page and b"Sold out" in page


def test_an_archived_or_draft_product_answers_404_but_the_owner_can_preview_it(client, seller):
    product = factories.product(seller, status="draft")
    db.session.commit()
    assert client.get(f"/toko/{seller.slug}/{product.slug}").status_code == 404
    assert client.get(f"/seller/products/{product.id}/preview").status_code == 200


def test_seller_pages_render_for_a_product_with_variants_and_photos(client, seller):
    from marketplace.catalog import products

    product = factories.product(seller, variants=[{"label": "M", "stock": 1}, {"label": "L", "stock": 0}])
    products.add_photos(product, [factories.image_bytes(), factories.image_bytes(colour=(0, 0, 255))])
    db.session.commit()
    for url in ("/seller/", "/seller/storefront", "/seller/products/new", f"/seller/products/{product.id}",
                f"/seller/products/{product.id}/preview", "/seller/preview"):
        assert client.get(url).status_code == 200, url
    edit = client.get(f"/seller/products/{product.id}").data
    assert b"Move down" in edit and b"Add variant" in edit


def test_the_first_variant_says_what_becomes_of_the_stock_typed_on_the_product(client, seller):
    """25 typed on the product, then a first variant "M" with 20: the seller is told, before and after."""
    product = factories.product(seller, stock=25)
    db.session.commit()
    page = client.get(f"/seller/products/{product.id}").get_data(as_text=True)
    assert "This product has one stock count now (25). The first variant you add takes it over" in page
    assert re.search(r'id="new-variant-stock"[^>]*value="25"', page)  # the add form starts from that stock

    client.post(f"/seller/products/{product.id}/variants", data={"size": "M", "stock": "20"})
    page = client.get(f"/seller/products/{product.id}").get_data(as_text=True)
    assert "The stock typed on the product (25) is now the stock of M (20)." in page
    assert "takes it over" not in page  # the next variants add to it
    db.session.refresh(product)
    assert [(v.label, v.stock) for v in product.variants] == [("M", 20)]


def test_a_product_hidden_by_staff_shows_one_status(client, seller):
    factories.product(seller, title="Kain Ikat", hidden_at=utcnow(), hidden_reason="Foto tidak sesuai")
    db.session.commit()
    item = client.get("/seller/").get_data(as_text=True).split("Kain Ikat", 1)[1].split("</li>", 1)[0]
    tags = re.findall(r'<span class="tag[^"]*">([^<]*)</span>', item)
    assert tags == ["Hidden by staff"] and "Foto tidak sesuai" in item
