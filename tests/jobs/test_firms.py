"""Partner firms: registration with the pledge, staff approval with a reason, colleagues, suspension."""
import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.jobs.models import Firm, FirmInvitation, FirmMember
from tests import factories
from tests.jobs.conftest import firm, member, owner_of, vacancy

FIRM_FORM = {"legal_name": "PT Maju Bersama", "nib": "1234567890123", "sector": "Logistik", "city": "Banyuwangi",
             "contact_name": "Budi Santoso", "contact_phone": "0812 3456 7890", "pledge": "y"}


def test_an_approved_partner_registers_the_firm_and_staff_approve_it(client, login_as, outbox):
    partner = login_as("partner")
    assert client.get("/mitra/").headers["Location"].endswith("/mitra/profil")
    page = client.get("/mitra/profil")
    assert b"fair-chance" in page.data.lower()
    response = client.post("/mitra/profil", data=FIRM_FORM)
    assert response.status_code == 302
    found = db.session.execute(select(Firm)).scalar_one()
    assert (found.status, found.nib, found.contact_phone) == ("pending", "1234567890123", "+6281234567890")
    assert [m.user_id for m in found.members] == [partner.id]

    staff = login_as("staff")
    assert b"PT Maju Bersama" in client.get("/staff/jobs/").data
    assert client.post(f"/staff/jobs/firms/{found.id}/reject", data={"reason": ""}).status_code == 400
    client.post(f"/staff/jobs/firms/{found.id}/reject", data={"reason": "NIB tidak cocok dengan OSS"})
    db.session.refresh(found)
    assert found.status == "rejected" and found.decision_reason == "NIB tidak cocok dengan OSS"
    assert "NIB tidak cocok dengan OSS" in outbox(partner.email)[-1].body
    client.post(f"/staff/jobs/firms/{found.id}/approve", data={})
    db.session.refresh(found)
    assert found.status == "approved" and staff.role == "staff"
    assert len(outbox(partner.email)) == 2


def test_the_firm_sees_the_rejection_reason_and_may_send_again(client, login_as):
    owner = factories.user("partner")
    f = firm(owner, status="rejected", decision_reason="Alamat usaha kosong")
    login_as(owner)
    assert "Alamat usaha kosong" in client.get("/mitra/").get_data(as_text=True)
    client.post("/mitra/profil", data={**FIRM_FORM, "nib": f.nib})
    db.session.refresh(f)
    assert f.status == "pending"


def test_bad_firm_input_is_refused_and_nothing_is_stored(client, login_as):
    login_as("partner")
    for change in ({"nib": "12345"}, {"nib": "abcdefghijklm"}, {"pledge": ""}, {"contact_phone": "12"},
                   {"legal_name": ""}):
        data = {k: v for k, v in {**FIRM_FORM, **change}.items() if v != ""}
        assert client.post("/mitra/profil", data=data).status_code == 400, change
    assert db.session.execute(select(func.count()).select_from(Firm)).scalar_one() == 0
    other = firm()
    response = client.post("/mitra/profil", data={**FIRM_FORM, "nib": other.nib})
    assert response.status_code == 400 and b"already registered" in response.data


def test_the_form_asks_nothing_about_rehabilitation_health_or_records(client, login_as):
    login_as("partner")
    text = client.get("/mitra/profil").get_data(as_text=True).lower()
    graduate = login_as("graduate")
    text += client.get("/kerja/profil").get_data(as_text=True).lower()
    v = vacancy()
    db.session.commit()
    text += client.get(f"/kerja/lamar/{v.id}").get_data(as_text=True).lower()
    for word in ("criminal", "health", "medical", "conviction", "narkoba", "rehabilitasi"):
        assert f'name="{word}' not in text and f"id=\"{word}" not in text
    assert graduate


def test_owner_invites_a_colleague_who_joins_and_is_removed_at_once(client, login_as, outbox):
    f = firm()
    owner = owner_of(f)
    login_as(owner)
    client.post("/mitra/tim/undang", data={"name": "Rina", "email": "rina@example.com", "language": "en"})
    invitation = db.session.execute(select(FirmInvitation)).scalar_one()
    message = outbox("rina@example.com")[-1]
    link = next(line for line in message.body.splitlines() if "/mitra/gabung/" in line)
    client.post("/account/logout")
    path = link.split("localhost", 1)[1]
    assert client.get(path).status_code == 200
    response = client.post(path, data={"name": "Rina Dewi", "password": "kuat-sekali-123",
                                       "confirm": "kuat-sekali-123", "language": "en"})
    assert response.status_code == 302
    colleague = db.session.execute(select(FirmMember).where(FirmMember.role == "member")).scalar_one()
    assert colleague.user.approved_at is not None and invitation.id
    assert client.get("/mitra/").status_code == 200
    # The link works once.
    client.post("/account/logout")
    assert client.get(path).status_code == 400

    # The colleague's session is still signed in when the owner removes them: the next request is refused.
    colleague_client = client.application.test_client()
    with colleague_client.session_transaction() as session:
        session["_user_id"] = colleague.user.get_id()
    v = vacancy(f)
    db.session.commit()
    assert colleague_client.get(f"/mitra/lowongan/{v.id}").status_code == 200
    login_as(owner)
    assert client.post(f"/mitra/tim/{colleague.id}/hapus").status_code == 302
    assert colleague_client.get(f"/mitra/lowongan/{v.id}").status_code == 404
    assert colleague_client.get("/mitra/tim").status_code == 404


def test_only_the_owner_manages_colleagues(client, login_as):
    f = firm()
    colleague = member(f)
    db.session.commit()
    login_as(colleague)
    owner_member = next(m for m in f.members if m.role == "owner")
    assert client.post(f"/mitra/tim/{owner_member.id}/hapus").status_code == 404
    assert client.post("/mitra/tim/undang", data={"name": "X", "email": "x@example.com", "language": "id"}).status_code == 404
    assert client.get("/mitra/profil").status_code == 404


def test_staff_suspend_a_firm_its_vacancies_vanish_and_it_cannot_post(client, login_as):
    f = firm()
    v = vacancy(f, title="Penjahit")
    db.session.commit()
    assert client.get(f"/lowongan/{v.id}").status_code == 200
    login_as("staff")
    assert client.post(f"/staff/jobs/firms/{f.id}/suspend", data={"reason": ""}).status_code == 400
    client.post(f"/staff/jobs/firms/{f.id}/suspend", data={"reason": "Laporan lowongan palsu"})
    client.post("/account/logout")
    assert client.get(f"/lowongan/{v.id}").status_code == 404
    assert b"Penjahit" not in client.get("/lowongan").data
    login_as(owner_of(f))
    assert "Laporan lowongan palsu" in client.get("/mitra/").get_data(as_text=True)
    before = db.session.execute(select(func.count()).select_from(firm.__globals__["Vacancy"])).scalar_one()
    response = client.post("/mitra/lowongan/baru", data={"title": "Baru", "employment_type": "full_time",
                                                         "city": "Banyuwangi", "openings": "1",
                                                         "closes_on": "2099-01-01"})
    assert response.status_code == 400
    assert db.session.execute(select(func.count()).select_from(firm.__globals__["Vacancy"])).scalar_one() == before


@pytest.mark.long
def test_demo_seed_gives_every_board_page_something_real(client, login_as):
    from marketplace import demo
    from marketplace.jobs.models import Application, Vacancy

    demo.seed()
    db.session.commit()
    demo.seed()
    db.session.commit()
    firms = db.session.execute(select(Firm)).scalars().all()
    assert len(firms) == 2 and all(f.status == "approved" for f in firms)
    statuses = {v.status for v in db.session.execute(select(Vacancy)).scalars()}
    assert {"open", "closed"} <= statuses
    stages = {a.stage for a in db.session.execute(select(Application)).scalars()}
    assert stages == {"applied", "screening", "interview", "offer", "hired", "not_selected", "withdrawn"}
    assert client.get("/lowongan").status_code == 200
    owner = owner_of(firms[0])
    login_as(owner)
    first = db.session.execute(select(Vacancy).where(Vacancy.firm_id == firms[0].id)).scalars().first()
    assert client.get(f"/mitra/lowongan/{first.id}").status_code == 200
