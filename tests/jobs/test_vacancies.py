"""Vacancies: posting, the public listing with search and filters, the vacancy page, closing by date."""
import json
import re
from datetime import timedelta

from sqlalchemy import func, select

from marketplace.core.timeutil import jakarta_today, utcnow
from marketplace.extensions import db
from marketplace.jobs.models import Vacancy
from marketplace.jobs.pagecache import PAGES
from tests.jobs.conftest import firm, owner_of, vacancy

TODAY = jakarta_today


def _form(**changes):
    data = {"title": "Penjahit Produksi", "description": "Menjahit **batik**.\n\n<script>alert(1)</script>",
            "employment_type": "full_time", "city": "Banyuwangi", "salary_min_idr": "2800000",
            "salary_max_idr": "3500000", "skills": "Menjahit, Obras , menjahit", "openings": "2",
            "closes_on": (TODAY() + timedelta(days=30)).isoformat()}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_member_posts_a_draft_then_publishes_it(client, login_as):
    f = firm()
    login_as(owner_of(f))
    response = client.post("/mitra/lowongan/baru", data=_form())
    assert response.status_code == 302
    v = db.session.execute(select(Vacancy)).scalar_one()
    assert (v.status, v.skills, v.salary_min_idr, v.openings) == ("draft", "menjahit,obras", 2_800_000, 2)
    assert client.get(f"/lowongan/{v.id}").status_code == 404  # a draft is not public
    client.post(f"/mitra/lowongan/{v.id}/status/open")
    db.session.refresh(v)
    assert v.status == "open" and v.published_at is not None
    page = client.get(f"/lowongan/{v.id}").get_data(as_text=True)
    assert "<strong>batik</strong>" in page and "<script>alert" not in page


def test_a_firm_not_yet_approved_prepares_drafts_but_cannot_publish(client, login_as):
    f = firm(status="pending")
    login_as(owner_of(f))
    client.post("/mitra/lowongan/baru", data=_form())
    v = db.session.execute(select(Vacancy)).scalar_one()
    response = client.post(f"/mitra/lowongan/{v.id}/status/open", follow_redirects=True)
    assert b"once the program staff approve" in response.data
    db.session.refresh(v)
    assert v.status == "draft"


def test_nonsense_salaries_dates_and_numbers_are_refused_and_nothing_is_stored(client, login_as):
    login_as(owner_of(firm()))
    for change in ({"salary_min_idr": "5000000", "salary_max_idr": "1000000"}, {"salary_min_idr": "-1"},
                   {"salary_max_idr": "99999999999999"}, {"openings": "0"}, {"openings": "abc"},
                   {"closes_on": (TODAY() - timedelta(days=1)).isoformat()}, {"closes_on": "2026-13-45"},
                   {"closes_on": (TODAY() + timedelta(days=800)).isoformat()}, {"employment_type": "slave"},
                   {"city": "", "remote": None}, {"title": ""}):
        assert client.post("/mitra/lowongan/baru", data=_form(**change)).status_code == 400, change
    assert db.session.execute(select(func.count()).select_from(Vacancy)).scalar_one() == 0


def test_listing_search_filters_pagination_and_empty_state(client, app):
    a, b = firm(legal_name="PT Alfa"), firm(legal_name="CV Beta")
    vacancy(a, title="Penjahit Batik", skills="menjahit,obras", city="Banyuwangi", salary_min_idr=3_000_000,
            salary_max_idr=3_500_000, employment_type="full_time")
    vacancy(b, title="Kurir Motor", skills="mengemudi", city="Jember", salary_min_idr=2_000_000,
            employment_type="contract", description="Antar paket")
    vacancy(b, title="Desainer Remote", skills="desain", city="", remote=True, employment_type="part_time")
    vacancy(a, title="Draft Tersembunyi", status="draft")
    vacancy(a, title="Sudah Tutup", status="closed")
    vacancy(a, title="Lewat Tanggal", closes_on=TODAY() - timedelta(days=1))
    vacancy(firm(status="suspended"), title="Firma Ditangguhkan")
    vacancy(a, title="Ditangguhkan Staf", suspended_at=utcnow(), suspended_reason="x")
    db.session.commit()

    def titles(query=""):
        html = client.get("/lowongan" + query).get_data(as_text=True)
        return re.findall(r'class="card-title"><a href="/lowongan/\d+">([^<]+)</a>', html)

    assert sorted(titles()) == ["Desainer Remote", "Kurir Motor", "Penjahit Batik"]
    assert titles("?q=penjahit") == ["Penjahit Batik"]
    assert titles("?q=pake") == ["Kurir Motor"]  # description, prefix match
    assert titles("?q=obras") == ["Penjahit Batik"]  # skills are searched too
    assert sorted(titles("?kota=jember")) == ["Desainer Remote", "Kurir Motor"]  # remote work fits every city
    assert titles("?jenis=contract") == ["Kurir Motor"]
    assert titles("?keahlian=Menjahit") == ["Penjahit Batik"]
    assert titles("?gaji=2500000") == ["Penjahit Batik"]
    assert titles("?jarak_jauh=1") == ["Desainer Remote"]
    empty = client.get("/lowongan?q=astronot").get_data(as_text=True)
    assert "No vacancies found" in empty
    for hostile in ("?q=%22%27)(*", "?gaji=99999999999999999999", "?page=-1", "?page=abc", "?jenis=%00",
                    "?kota=%00", "?q=" + "x" * 3000, "?keahlian=%00"):
        assert client.get("/lowongan" + hostile).status_code in (200, 400), hostile  # NUL bytes: 400 site-wide

    app.config["JOBS_PAGE_SIZE"] = 2
    PAGES.clear()  # a setting changed, not the data: the guest cache does not know
    try:
        first = client.get("/lowongan").get_data(as_text=True)
        assert 'rel="next"' in first and first.count('class="card vacancy-card"') == 2
        second = client.get("/lowongan?page=2").get_data(as_text=True)
        assert 'rel="prev"' in second and second.count('class="card vacancy-card"') == 1
    finally:
        app.config.pop("JOBS_PAGE_SIZE")


def test_the_vacancy_page_has_job_posting_json_ld_and_a_whatsapp_link(client):
    v = vacancy(firm(legal_name="PT Osing"), title="Kurir", salary_min_idr=2_500_000, salary_max_idr=3_000_000,
                remote=True, employment_type="apprenticeship")
    db.session.commit()
    html = client.get(f"/lowongan/{v.id}").get_data(as_text=True)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "JobPosting" and data["title"] == "Kurir"
    assert data["hiringOrganization"]["name"] == "PT Osing"
    assert data["employmentType"] == "INTERN" and data["jobLocationType"] == "TELECOMMUTE"
    assert data["baseSalary"]["currency"] == "IDR" and data["baseSalary"]["value"]["minValue"] == 2_500_000
    assert data["validThrough"].startswith(v.closes_on.isoformat())
    assert data["jobLocation"]["address"]["addressLocality"] == "Banyuwangi"
    assert "https://wa.me/?text=Kurir" in html


def test_close_expired_closes_past_vacancies_and_is_safe_twice(app):
    past = vacancy(closes_on=TODAY() - timedelta(days=1))
    today = vacancy(closes_on=TODAY())
    draft = vacancy(closes_on=TODAY() - timedelta(days=3), status="draft")
    db.session.commit()
    runner = app.test_cli_runner()
    assert "1 vacancy(ies) closed" in runner.invoke(args=["jobs", "close-expired"]).output
    assert "0 vacancy(ies) closed" in runner.invoke(args=["jobs", "close-expired"]).output
    db.session.expire_all()
    assert (past.status, today.status, draft.status) == ("closed", "open", "draft")


def test_staff_suspend_a_vacancy_with_a_reason_the_firm_sees(client, login_as):
    f = firm()
    v = vacancy(f, title="Penjahit")
    db.session.commit()
    login_as("staff")
    client.post(f"/staff/jobs/vacancies/{v.id}/suspend", data={"reason": "Gaji di bawah UMK"})
    client.post("/account/logout")
    assert client.get(f"/lowongan/{v.id}").status_code == 404
    login_as(owner_of(f))
    assert "Gaji di bawah UMK" in client.get(f"/mitra/lowongan/{v.id}/ubah").get_data(as_text=True)
    client.post(f"/mitra/lowongan/{v.id}/status/open")
    db.session.refresh(v)
    assert v.suspended_at is not None
    login_as("admin")
    client.post(f"/staff/jobs/vacancies/{v.id}/reinstate")
    client.post("/account/logout")
    assert client.get(f"/lowongan/{v.id}").status_code == 200


def test_firm_a_never_reaches_firm_b_vacancies(client, login_as):
    a, b = firm(), firm()
    theirs = vacancy(b, status="draft", title="Rahasia B")
    db.session.commit()
    login_as(owner_of(a))
    for url in (f"/mitra/lowongan/{theirs.id}", f"/mitra/lowongan/{theirs.id}/ubah"):
        assert client.get(url).status_code == 404
    assert client.post(f"/mitra/lowongan/{theirs.id}/ubah", data=_form(title="Diubah A")).status_code == 404
    assert client.post(f"/mitra/lowongan/{theirs.id}/status/open").status_code == 404
    assert b"Rahasia B" not in client.get("/mitra/").data
    db.session.refresh(theirs)
    assert (theirs.title, theirs.status) == ("Rahasia B", "draft")


def test_a_refused_vacancy_says_so_before_the_pledge(client, login_as):
    """On a phone the fair-chance pledge fills a screen: the error summary comes first."""
    login_as(owner_of(firm()))
    page = client.post("/mitra/lowongan/baru", data=_form(title="")).get_data(as_text=True)
    assert 0 < page.index('class="form-errors"') < page.index('class="pledge card"')
