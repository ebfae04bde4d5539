"""The "Done when" journey through real requests in Indonesian (the site's default language), on the
demo world: staff change a graduate's mentor, the new mentor sets a goal and records a check-in with an
action and a private note, the graduate sees it without the private note and marks the action done, the
charts show the demo sales, the previous mentor is shut out, staff export the impact CSV with small
numbers suppressed. The same journey runs in Chromium at 360 px in tests/e2e/test_mentoring_journey.py."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db


@pytest.mark.long
def test_mentoring_journey_in_indonesian(translated_app):
    from marketplace import demo
    from marketplace.extensions import babel

    demo.seed()
    db.session.commit()
    babel.domain_instance.cache.clear()  # seeding sent mail with the test app's (empty) catalog
    people = {u.email.split("@")[0]: u for u in db.session.execute(select(User)).scalars()}
    client = translated_app.test_client()

    def sign_in(prefix):
        with client.session_transaction() as session:
            session["_user_id"] = people[prefix].get_id()
            session["_fresh"] = True

    dedi, lestari = people["dedi"], people["mentor2"]
    sign_in("staf")
    page = client.get("/mentoring/staff").get_data(as_text=True)
    assert "Beban kerja mentor" in page and "Dedi Setiawan" in page, re.search(r"<main.*?</main>", page, re.S).group(0)[:1500]
    response = client.post("/mentoring/staff/assign", data={"graduate_id": dedi.id, "mentor_id": lestari.id},
                           follow_redirects=True)
    assert "Mentor ditetapkan." in response.get_data(as_text=True)

    sign_in("mentor1")
    assert client.get(f"/mentoring/mentees/{dedi.id}").status_code == 404

    sign_in("mentor2")
    page = client.get(f"/mentoring/mentees/{dedi.id}").get_data(as_text=True)
    assert "Omzet per bulan" in page and len(re.findall(r'class="chart-bar"', page)) >= 12
    due = (date.today() + timedelta(days=60)).isoformat()
    response = client.post(f"/mentoring/mentees/{dedi.id}/goals", follow_redirects=True, data={
        "title": "Omzet Rp 500.000 sebulan", "metric": "revenue", "target": "500000", "due_on": due})
    assert "Target disimpan." in response.get_data(as_text=True)
    response = client.post(f"/mentoring/mentees/{dedi.id}/check-ins/new", follow_redirects=True, data={
        "held_on": date.today().isoformat(), "mode": "visit", "notes": "Anyaman baru laku di pasar minggu.",
        "private_notes": "Cerita soal utang keluarga.", "actions-0-description": "Foto 3 produk anyaman baru",
        "actions-0-owner": "graduate", "actions-0-due_on": (date.today() + timedelta(days=7)).isoformat()})
    page = response.get_data(as_text=True)
    assert "Pertemuan dicatat." in page and "utang keluarga" in page

    sign_in("dedi")
    page = client.get("/mentoring/me").get_data(as_text=True)
    assert "Perkembangan saya" in page and "Anyaman baru laku di pasar minggu." in page
    assert "utang keluarga" not in page and page.count("<svg") == 3  # revenue, orders, job applications
    action_id = re.search(r'action="/mentoring/actions/(\d+)/done"', page).group(1)
    page = client.post(f"/mentoring/actions/{action_id}/done", follow_redirects=True).get_data(as_text=True)
    assert f'action="/mentoring/actions/{action_id}/done"' not in page

    sign_in("staf")
    page = client.get("/mentoring/staff/impact").get_data(as_text=True)
    assert "Dampak program" in page and "&lt; 5" in page
    body = client.get("/mentoring/staff/impact.csv").get_data(as_text=True)
    rows = dict(csv.reader(io.StringIO(body)))
    assert rows["Lulusan"] == "6" and "< 5" in rows.values()
