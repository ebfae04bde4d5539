"""Search: words in Indonesian or English, filters, sorting; any query text answers with a page."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.extensions import db
from tests import factories


def _titles(client, url) -> list[str]:
    import re

    page = client.get(url)
    assert page.status_code == 200
    return re.findall(r'<span class="card-title">([^<]*)</span>', page.data.decode())


def test_search_matches_words_in_title_and_description_in_both_languages(client):
    factories.product(title="Kemeja Batik Tulis", description="Handmade cotton shirt")
    factories.product(title="Kopi Arabika", description="Biji kopi dari lereng Ijen")
    factories.product(title="Keripik Pisang", description="Camilan renyah")
    db.session.commit()
    assert _titles(client, "/cari?q=batik") == ["Kemeja Batik Tulis"]
    assert _titles(client, "/cari?q=cotton") == ["Kemeja Batik Tulis"]
    assert _titles(client, "/cari?q=KOPI ijen") == ["Kopi Arabika"]
    assert _titles(client, "/cari?q=kerip") == ["Keripik Pisang"]  # prefix: results while typing
    assert _titles(client, "/cari?q=sepatu") == []


def test_the_index_follows_edits_and_ignores_hidden_products(client):
    product = factories.product(title="Tas Anyaman")
    db.session.commit()
    assert _titles(client, "/cari?q=anyaman") == ["Tas Anyaman"]
    product.title = "Keranjang Bambu"
    db.session.commit()
    assert _titles(client, "/cari?q=anyaman") == []
    assert _titles(client, "/cari?q=bambu") == ["Keranjang Bambu"]
    product.hidden_at = factories.utcnow()
    db.session.commit()
    assert _titles(client, "/cari?q=bambu") == []


def test_filters_by_category_price_and_city_and_sorts(client):
    batik = factories.category(slug="batik")
    genteng = factories.business(city="Genteng")
    factories.product(title="Batik A", price_idr=100_000, category_id=batik.id)
    factories.product(title="Batik B", price_idr=300_000, category_id=batik.id)
    factories.product(genteng, title="Batik C", price_idr=200_000, category_id=batik.id)
    factories.product(title="Kopi", price_idr=50_000)
    db.session.commit()
    assert _titles(client, "/cari?kategori=batik&sort=price_asc") == ["Batik A", "Batik C", "Batik B"]
    assert _titles(client, "/cari?q=batik&sort=price_desc") == ["Batik B", "Batik C", "Batik A"]
    assert _titles(client, "/cari?min=150000&max=250000") == ["Batik C"]
    assert _titles(client, "/cari?kota=genteng") == ["Batik C"]
    assert _titles(client, "/cari?sort=newest")[0] == "Kopi"


def test_price_bounds_beyond_any_price_mean_none_or_all(client):
    """A bound no INTEGER price column can hold (PostgreSQL refused the comparison with a 500)."""
    factories.product(title="Batik", price_idr=100_000)
    db.session.commit()
    assert _titles(client, "/cari?max=999999999999") == ["Batik"]
    assert _titles(client, "/cari?min=999999999999") == []
    assert _titles(client, "/cari?min=2147483648&max=2147483648") == []


def test_relevance_puts_title_matches_first(client):
    factories.product(title="Tas Kanvas", description="Cocok untuk batik")
    factories.product(title="Batik Gajah Oling", description="Kain")
    db.session.commit()
    assert _titles(client, "/cari?q=batik")[0] == "Batik Gajah Oling"


def test_relevance_pages_from_the_best_candidates_equal_the_pages_of_all_matches(app, client, monkeypatch):
    """Relevance pages join only the best RANKED_CANDIDATES matches and ask again when those cannot fill
    the page (filters, deep pages, no results): the pages are those of ranking every match."""
    from marketplace.catalog import browse as catalog
    from marketplace.catalog import pagecache

    genteng, jember = factories.business(city="Genteng"), factories.business(city="Jember")
    for i in range(13):
        factories.product(genteng if i % 4 == 0 else jember, title=f"Batik {'batik ' * (i % 3)}{i}",
                          description="kain batik" if i % 2 else "kain")
    factories.product(jember, title="Kopi")
    db.session.commit()
    monkeypatch.setitem(app.config, "CATALOG_PAGE_SIZE", 3)
    urls = ["/cari?q=batik", "/cari?q=batik&page=2", "/cari?q=batik&page=5", "/cari?q=batik&kota=genteng",
            "/cari?q=batik&kota=genteng&page=2", "/cari?q=batik&kota=surabaya", "/cari?q=batik&min=1&max=2",
            "/cari?q=batik+kain&page=2", "/cari?q=kopi"]
    ranked_all = {url: _titles(client, url) for url in urls}
    assert ranked_all["/cari?q=batik"] and ranked_all["/cari?q=batik&kota=genteng&page=2"]
    monkeypatch.setattr(catalog, "RANKED_CANDIDATES", 4)
    pagecache.PAGES.clear()
    assert {url: _titles(client, url) for url in urls} == ranked_all


ODD_QUERIES = ['"', "'", '"unclosed', "a AND", "OR OR", "NOT", "NEAR(", "*", "-", "a:*", "!!", "&|", "()",
               "\\", "%", "_", "؟", "🙂", "é", "ß", "中文", "title:batik", "^batik", "a" * 1000,
               "batik'; DROP TABLE products; --", "<script>", "{{ 7*7 }}"]


def test_odd_queries_answer_a_page(client):
    factories.product(title="Batik")
    db.session.commit()
    for q in ODD_QUERIES:
        response = client.get("/cari", query_string={"q": q, "min": "x", "max": "-5", "page": "-1",
                                                      "sort": "bogus", "kategori": q, "kota": q})
        assert response.status_code == 200, q


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=200))
def test_any_text_at_all_answers_a_page(client, q):
    response = client.get("/cari", query_string={"q": q})
    # A NUL character is refused site-wide before any view (marketplace.core.safety.refuse_nul_bytes).
    assert response.status_code == (400 if "\x00" in q else 200)


def test_nul_characters_in_urls_answer_400_not_500(client):
    for url in ("/toko/a%00b", "/toko/a%00/b%00", "/kategori/%00", "/media/%00", "/cari?q=%00"):
        assert client.get(url).status_code == 400, url
