"""What visitors see: home, categories, storefronts, product pages, sharing tags, sitemap."""
import json
import re

from marketplace.extensions import db
from tests import factories


def test_home_shows_new_and_featured_products_and_categories(client):
    category = factories.category(name_en="Batik & Fabric", name_id="Batik & Kain")
    factories.product(title="Kemeja Batik", featured=True, category_id=category.id)
    factories.product(title="Kopi Ijen")
    db.session.commit()
    page = client.get("/").data.decode()
    assert "Featured" in page or "Unggulan" in page
    assert "Kemeja Batik" in page and "Kopi Ijen" in page
    assert f"/kategori/{category.slug}" in page


def test_home_and_search_have_friendly_empty_states(client):
    assert b"No products yet" in client.get("/").data
    assert b"No products found" in client.get("/cari?q=zzzz").data


def test_category_pages_list_only_their_public_products(client):
    batik = factories.category()
    food = factories.category()
    factories.product(title="Kain Batik", category_id=batik.id)
    factories.product(title="Keripik", category_id=food.id)
    factories.product(title="Draft Batik", category_id=batik.id, status="draft")
    db.session.commit()
    page = client.get(f"/kategori/{batik.slug}").data
    assert b"Kain Batik" in page and b"Keripik" not in page and b"Draft Batik" not in page
    assert client.get("/kategori/no-such-category").status_code == 404


def test_hidden_products_and_products_of_suspended_shops_answer_404(client):
    hidden = factories.product(hidden_at=factories.utcnow(), hidden_reason="spam")
    suspended = factories.product(factories.business(status="suspended"))
    db.session.commit()
    assert client.get(f"/toko/{hidden.business.slug}/{hidden.slug}").status_code == 404
    assert client.get(f"/toko/{suspended.business.slug}/{suspended.slug}").status_code == 404
    assert b"spam" not in client.get(f"/toko/{hidden.business.slug}").data


def test_the_product_page_has_seo_tags_json_ld_and_a_whatsapp_share_link(client):
    business = factories.business(whatsapp="+6281234567890")
    product = factories.product(business, title='Batik "</script><script>alert(1)</script>',
                                description="Kain **batik** tulis", price_idr=150_000)
    db.session.commit()
    response = client.get(f"/toko/{business.slug}/{product.slug}")
    page = response.data.decode()
    assert "<title>" in page and 'name="description" content="Kain batik tulis"' in page
    assert 'property="og:title"' in page and 'property="og:type" content="product"' in page
    assert f'href="http://localhost/toko/{business.slug}/{product.slug}"' in page  # canonical
    assert "https://wa.me/?text=" in page and "https://wa.me/6281234567890" in page

    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1  # the title's </script> did not end the block early
    data = json.loads(blocks[0])
    assert data["@type"] == "Product" and data["name"] == product.title
    assert data["offers"]["price"] == 150_000 and data["offers"]["priceCurrency"] == "IDR"
    assert "<script>alert(1)</script>" not in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_product_page_offers_the_orders_add_to_cart_form(client):
    product = factories.product()
    db.session.commit()
    page = client.get(f"/toko/{product.business.slug}/{product.slug}").get_data(as_text=True)
    assert 'action="/cart/add"' in page
    assert f'value="{product.variants[0].id}"' in page


def test_storefront_pages_paginate(client, app):
    business = factories.business()
    for i in range(5):
        factories.product(business, title=f"Produk {i}")
    db.session.commit()
    app.config["CATALOG_PAGE_SIZE"] = 2
    try:
        first = client.get(f"/toko/{business.slug}").data.decode()
        assert 'rel="next"' in first and 'rel="prev"' not in first
        last = client.get(f"/toko/{business.slug}?page=3").data.decode()
        assert 'rel="prev"' in last and 'rel="next"' not in last
        assert client.get(f"/toko/{business.slug}?page=99999999999999").status_code == 200
    finally:
        app.config.pop("CATALOG_PAGE_SIZE")


def test_sitemap_lists_public_pages_only(client):
    category = factories.category()
    visible = factories.product()
    draft = factories.product(status="draft")
    closed = factories.business(status="draft")
    db.session.commit()
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    body = response.data.decode()
    assert f"/toko/{visible.business.slug}/{visible.slug}</loc>" in body
    assert f"/kategori/{category.slug}</loc>" in body
    assert draft.slug not in body and closed.slug not in body


def test_about_page_renders(client):
    assert client.get("/tentang").status_code == 200


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_private_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    rules = response.data.decode().splitlines()
    assert "Sitemap: http://localhost/sitemap.xml" in rules
    assert "User-agent: *" in rules
    for private in ("/cart", "/checkout", "/orders", "/account/", "/seller/", "/staff/", "/admin/", "/pay/"):
        assert f"Disallow: {private}" in rules, private
    assert "Disallow: /cari?" in rules and "Allow: /cari$" in rules  # searches no, "All products" yes


def test_all_products_is_indexable_but_searches_are_not(client):
    factories.product()
    db.session.commit()
    assert 'name="robots"' not in client.get("/cari").data.decode()
    assert '<meta name="robots" content="noindex, follow">' in client.get("/cari?q=kopi").data.decode()
    assert '<meta name="robots" content="noindex, follow">' in client.get("/cari?kategori=x").data.decode()


def test_about_page_is_linked_from_every_footer_and_listed_in_the_sitemap(client):
    assert 'href="/tentang"' in client.get("/").data.decode()
    assert 'href="/tentang"' in client.get("/account/login").data.decode()
    body = client.get("/sitemap.xml").data.decode()
    assert "<loc>http://localhost/tentang</loc>" in body
    assert "<loc>http://localhost/cari</loc>" in body


def _product_page(client, product) -> str:
    return client.get(f"/toko/{product.business.slug}/{product.slug}").data.decode()


def test_a_product_with_variants_asks_the_buyer_to_choose_one(client):
    product = factories.product(variants=[{"label": "S", "stock": 4}, {"label": "M", "stock": 5}])
    db.session.commit()
    select = re.search(r'<select id="variant_id" name="variant_id" required>(.*?)</select>', _product_page(client, product), re.S)
    first = re.search(r"<option([^>]*)>(.*?)</option>", select.group(1), re.S)
    assert first.group(1).strip() == 'value=""' and first.group(2).strip() == "Choose an option"


def test_product_pages_say_only_n_left_when_stock_is_low(client):
    low = factories.product(stock=2)
    plenty = factories.product(stock=40)
    variants = factories.product(variants=[{"label": "S", "stock": 1}, {"label": "M", "stock": 30}])
    db.session.commit()
    assert "Only 2 left" in _product_page(client, low)
    assert "left" not in _product_page(client, plenty)
    page = _product_page(client, variants)
    assert "Only 1 left" in page and "Only 30 left" not in page and "In stock" in page
