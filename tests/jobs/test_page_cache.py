"""The job board's guest pages (the listing, its searches, each vacancy) come from the guest cache
(``jobs/pagecache.py``), and every change to a vacancy or a firm shows on the next request. How the cache
itself works is tested once, in tests/core/test_page_cache.py."""
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from tests.core.test_page_cache import served_from_cache
from tests.jobs.conftest import firm, vacancy


def test_publishing_suspending_and_a_suspended_firm_show_on_the_next_request(client):
    owner_firm = firm()
    v = vacancy(owner_firm, title="Penjahit Ijen", status="draft")
    db.session.commit()
    assert b"Penjahit Ijen" not in served_from_cache(client, "/lowongan")
    v.status = "open"
    db.session.commit()
    assert b"Penjahit Ijen" in served_from_cache(client, "/lowongan")
    assert b"Penjahit Ijen" in served_from_cache(client, "/lowongan?q=penjahit")
    assert b"Penjahit Ijen" in served_from_cache(client, f"/lowongan/{v.id}")
    v.suspended_at = utcnow()
    db.session.commit()
    assert b"Penjahit Ijen" not in client.get("/lowongan").data and client.get(f"/lowongan/{v.id}").status_code == 404
    v.suspended_at = None
    owner_firm.status = "suspended"
    db.session.commit()
    assert b"Penjahit Ijen" not in client.get("/lowongan?q=penjahit").data
    assert client.get(f"/lowongan/{v.id}").status_code == 404
