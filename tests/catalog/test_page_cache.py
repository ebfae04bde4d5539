"""The catalog's guest pages come from the guest cache (``catalog/pagecache.py``), and a change to a
product or a storefront shows on the next request. How the cache itself works is tested once, in
tests/core/test_page_cache.py."""
from marketplace.extensions import db
from tests import factories
from tests.core.test_page_cache import served_from_cache


def test_hiding_a_product_or_suspending_a_shop_shows_on_the_next_request(client):
    product = factories.product(title="Kopi Ijen")
    db.session.commit()
    url = f"/toko/{product.business.slug}/{product.slug}"
    assert b"Kopi Ijen" in served_from_cache(client, "/") and b"Kopi Ijen" in served_from_cache(client, url)
    assert b"Kopi Ijen" in served_from_cache(client, f"/toko/{product.business.slug}")
    product.hidden_at = factories.utcnow()
    db.session.commit()
    assert b"Kopi Ijen" not in client.get("/").data and client.get(url).status_code == 404
    product.hidden_at = None
    product.business.status = "suspended"
    db.session.commit()
    assert client.get(f"/toko/{product.business.slug}").status_code == 404
