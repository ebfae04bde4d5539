"""Guests get public pages from a cache that any catalog change invalidates at once."""
from sqlalchemy import text

from marketplace.catalog.pagecache import PAGES
from marketplace.extensions import db
from tests import factories
from tests.catalog.test_query_counts import counting_queries


def test_a_repeated_page_is_served_with_one_query_and_a_real_csrf_token(client):
    product = factories.product(title="Kopi Ijen")
    db.session.commit()
    url = f"/toko/{product.business.slug}/{product.slug}"
    first = client.get(url).data
    with counting_queries() as statements:
        second = client.get(url).data
    assert len(statements) == 1  # the catalog token
    assert first == second and b"Kopi Ijen" in second
    assert PAGES.placeholder.encode() not in second and b'name="csrf_token" value="' in second


def test_hiding_a_product_or_suspending_a_shop_shows_on_the_next_request(client):
    product = factories.product(title="Kopi Ijen")
    db.session.commit()
    url = f"/toko/{product.business.slug}/{product.slug}"
    assert b"Kopi Ijen" in client.get("/").data and client.get(url).status_code == 200
    product.hidden_at = factories.utcnow()
    db.session.commit()
    assert b"Kopi Ijen" not in client.get("/").data and client.get(url).status_code == 404
    product.hidden_at = None
    product.business.status = "suspended"
    db.session.commit()
    assert client.get(f"/toko/{product.business.slug}").status_code == 404


def test_changes_made_with_plain_sql_expire_with_the_time_limit(client, app):
    factories.product(title="Kopi Ijen")
    db.session.commit()
    client.get("/")
    db.session.execute(text("UPDATE products SET title = 'Teh Hijau'"))
    db.session.commit()
    assert b"Kopi Ijen" in client.get("/").data  # cached: plain SQL does not change the token
    app.config["CATALOG_CACHE_SECONDS"] = 0
    try:
        assert b"Teh Hijau" in client.get("/").data
    finally:
        app.config.pop("CATALOG_CACHE_SECONDS")


def test_signed_in_visitors_get_fresh_pages(client, login_as):
    factories.product(title="Kopi Ijen")
    db.session.commit()
    login_as("customer")
    client.get("/")
    with counting_queries() as statements:
        client.get("/")
    assert len(statements) > 1
