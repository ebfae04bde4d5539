"""Job pages run a fixed number of SQL queries, whatever the number of vacancies or applications."""
import pytest

from marketplace.extensions import db
from marketplace.jobs.pagecache import PAGES
from tests.catalog.test_query_counts import counting_queries
from tests.jobs.conftest import application, firm, graduate, owner_of, vacancy


def _queries(client, url) -> int:
    db.session.expire_all()
    client.application.extensions.pop("jobs_cities", None)
    PAGES.clear()  # the page as rendered, not as the guest cache hands it back (one query: its token)
    with counting_queries() as statements:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(statements)


def _board(n: int, state: dict):
    """``n`` more vacancies over two firms, each with one application by the same graduate."""
    if not state:
        state.update(firms=[firm(legal_name="PT A"), firm(legal_name="PT B")], graduate=graduate())
    for i in range(n):
        v = vacancy(state["firms"][i % 2], title=f"Penjahit {len(state.setdefault('v', []))}",
                    skills="menjahit,kasir")
        state["v"].append(v)
        a = application(v, state["graduate"], stage="interview" if i % 2 else "applied")
        state.setdefault("a", []).append(a)
    db.session.commit()
    return state


PUBLIC_PAGES = ["/lowongan", "/lowongan?q=penjahit", "/lowongan?kota=Banyuwangi&jenis=full_time&keahlian=kasir&gaji=1",
                "/lowongan?page=2"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_listing_pages_use_the_same_number_of_queries_for_3_or_30_vacancies(client, url):
    state = _board(3, {})
    few = _queries(client, url)
    _board(27, state)
    many = _queries(client, url)
    assert few == many <= 3  # the cache's token, the page of vacancies, the cities of the filter (kept a minute)


def test_the_city_menu_is_kept_a_minute(client):
    _board(3, {})
    client.get("/lowongan")
    PAGES.clear()
    with counting_queries() as statements:
        client.get("/lowongan")
    assert len(statements) == 2  # the cache's token and the page of vacancies: no cities


def test_the_vacancy_page_is_one_query_besides_the_cache_token(client):
    v = _board(3, {})["v"][0]
    assert _queries(client, f"/lowongan/{v.id}") == 2  # the cache's token, the vacancy with its firm


def test_firm_and_graduate_pages_use_fixed_queries(client, login_as):
    state = _board(3, {})
    owner = owner_of(state["firms"][0])
    first_vacancy = state["v"][0]
    login_as(owner)
    pipeline_few = _queries(client, f"/mitra/lowongan/{first_vacancy.id}")
    dashboard_few = _queries(client, "/mitra/")
    login_as(state["graduate"])
    mine_few = _queries(client, "/kerja/")
    for _ in range(20):  # 20 more applications to the same vacancy
        application(first_vacancy, graduate())
    _board(27, state)
    login_as(owner)
    # A firm's pages: one of these asks for the header whether they have bought something (orders/views/public.py).
    assert _queries(client, f"/mitra/lowongan/{first_vacancy.id}") == pipeline_few <= 6
    assert _queries(client, "/mitra/") == dashboard_few <= 6
    login_as(state["graduate"])
    assert _queries(client, "/kerja/") == mine_few <= 4
    application_page = state["a"][0]
    login_as(owner)
    assert _queries(client, f"/mitra/lamaran/{application_page.id}") <= 7
