"""Guests get the public job pages from a cache that any change to a vacancy or a firm invalidates at once."""
from sqlalchemy import text

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.jobs.pagecache import PAGES
from tests.catalog.test_query_counts import counting_queries
from tests.jobs.conftest import firm, vacancy


def test_a_repeated_page_is_served_with_one_query_and_a_real_csrf_token(client):
    v = vacancy(title="Penjahit Ijen")
    db.session.commit()
    for url in ("/lowongan", "/lowongan?q=penjahit", f"/lowongan/{v.id}"):
        first = client.get(url).data
        with counting_queries() as statements:
            second = client.get(url).data
        assert len(statements) == 1, url  # the jobs token
        assert first == second and b"Penjahit Ijen" in second
        assert PAGES.placeholder.encode() not in second and b'name="csrf_token" value="' in second


def test_publishing_suspending_and_a_suspended_firm_show_on_the_next_request(client):
    owner_firm = firm()
    v = vacancy(owner_firm, title="Penjahit Ijen", status="draft")
    db.session.commit()
    assert b"Penjahit Ijen" not in client.get("/lowongan").data
    v.status = "open"
    db.session.commit()
    assert b"Penjahit Ijen" in client.get("/lowongan").data and client.get(f"/lowongan/{v.id}").status_code == 200
    v.suspended_at = utcnow()
    db.session.commit()
    assert b"Penjahit Ijen" not in client.get("/lowongan").data and client.get(f"/lowongan/{v.id}").status_code == 404
    v.suspended_at = None
    owner_firm.status = "suspended"
    db.session.commit()
    assert b"Penjahit Ijen" not in client.get("/lowongan?q=penjahit").data
    assert client.get(f"/lowongan/{v.id}").status_code == 404


def test_changes_made_with_plain_sql_expire_with_the_time_limit(client, app):
    vacancy(title="Penjahit Ijen")
    db.session.commit()
    client.get("/lowongan")
    db.session.execute(text("UPDATE vacancies SET title = 'Kurir Jember'"))
    db.session.commit()
    assert b"Penjahit Ijen" in client.get("/lowongan").data  # cached: plain SQL does not change the token
    app.config["JOBS_CACHE_SECONDS"] = 0
    try:
        assert b"Kurir Jember" in client.get("/lowongan").data
    finally:
        app.config.pop("JOBS_CACHE_SECONDS")


def test_signed_in_visitors_get_fresh_pages(client, login_as):
    v = vacancy()
    db.session.commit()
    login_as("graduate")
    client.get(f"/lowongan/{v.id}")
    with counting_queries() as statements:
        client.get(f"/lowongan/{v.id}")
    assert len(statements) > 1
