"""The admin creates programs, cohorts and staff accounts, and reads the development outbox."""
from datetime import date

import pytest
from sqlalchemy import select

from marketplace.accounts import services as accounts
from marketplace.notifications.services import send_email
from marketplace.programs import services
from marketplace.programs.models import Cohort, Program
from tests import factories
from tests.accounts.helpers import link_path


def test_admin_creates_a_program_and_a_cohort(client, login_as):
    login_as("admin")
    response = client.post("/admin/programs", data={"name": "Bina Usaha", "institution": "IPWL Banyuwangi",
                                                    "city": "Banyuwangi"})
    assert response.status_code == 302
    program = factories.db.session.execute(select(Program)).scalar_one()
    assert program.slug == "bina-usaha"

    response = client.post(f"/admin/programs/{program.id}/cohorts", data={"name": "Angkatan 2026",
                                                                          "started_on": "2026-02-02"})
    assert response.status_code == 302
    again = client.post(f"/admin/programs/{program.id}/cohorts", data={"name": "angkatan 2026",
                                                                       "started_on": "2026-02-02"})
    assert again.status_code == 400 and b"already has a cohort" in again.data
    assert len(factories.db.session.execute(select(Cohort)).scalars().all()) == 1
    assert b"Angkatan 2026" in client.get("/admin/").data


def test_bad_admin_forms_are_400(client, login_as):
    login_as("admin")
    program = factories.program()
    factories.db.session.commit()
    assert client.post("/admin/programs", data={"name": ""}).status_code == 400
    assert client.post(f"/admin/programs/{program.id}/cohorts", data={"name": "X", "started_on": "not a date"}
                       ).status_code == 400
    assert client.post(f"/admin/programs/{program.id}/staff", data={"name": "X", "email": "bad"}).status_code == 400
    assert client.post("/admin/programs/987654/cohorts", data={"name": "X", "started_on": "2026-01-01"}
                       ).status_code == 404


def test_a_new_staff_member_sets_a_password_by_the_emailed_link(client, login_as, outbox):
    program = factories.program(name="Bina Usaha")
    login_as("admin")
    response = client.post(f"/admin/programs/{program.id}/staff", data={
        "name": "Nur Aini", "email": "nur@example.com", "language": "en"})
    assert response.status_code == 302
    staff = accounts.find_user_by_email("nur@example.com")
    assert staff.role == "staff" and staff.program_id == program.id
    [message] = outbox("nur@example.com")
    assert "Bina Usaha" in message.body

    client.post("/account/logout")
    path = link_path(message)
    assert client.post(path, data={"password": "staf program baru", "confirm": "staf program baru"}).status_code == 302
    login = client.post("/account/login", data={"email": "nur@example.com", "password": "staf program baru"})
    assert login.status_code == 302
    assert client.get("/staff/").status_code == 200
    # The link dies once used.
    assert client.get(path).status_code == 400


def test_the_outbox_lists_newest_first_and_pages_by_id(client, login_as):
    from marketplace.notifications import services as notifications

    user = factories.user("customer")
    for _ in range(3):
        send_email(user.email, "account_password_reset", "id", user=user, link="http://localhost/x")
    factories.db.session.commit()
    ids = [m.id for m in notifications.outbox_page(size=10).messages]
    assert ids == sorted(ids, reverse=True)

    login_as("admin")
    first = client.get("/admin/outbox")
    assert first.status_code == 200 and b"Choose a new password" in first.data
    page = notifications.outbox_page(size=2)
    assert page.older_than == ids[1]
    older = client.get(f"/admin/outbox?before={page.older_than}")
    assert older.status_code == 200
    assert notifications.outbox_page(before_id=page.older_than, size=2).messages[0].id == ids[2]

    read = client.get(f"/admin/outbox/{ids[0]}")
    assert read.status_code == 200 and b"http://localhost/x" in read.data
    assert client.get("/admin/outbox/987654").status_code == 404


def test_only_the_admin_reaches_the_admin_area(client, login_as):
    for role in ("staff", "customer", "graduate", "partner"):
        login_as(role)
        assert client.get("/admin/").status_code == 403
        assert client.get("/admin/outbox").status_code == 403


@pytest.mark.parametrize("value", ["99999999999999999999", "-99999999999999999999", "2147483648", "abc"])
def test_paging_and_program_choice_ignore_ids_no_column_can_hold(client, login_as, value):
    login_as("admin")
    assert client.get(f"/admin/outbox?before={value}").status_code == 200
    assert client.get(f"/staff/?program_id={value}").status_code == 200


def test_a_cohort_cannot_graduate_before_it_started(client, login_as):
    admin = login_as("admin")
    program = factories.program()
    factories.db.session.commit()
    response = client.post(f"/admin/programs/{program.id}/cohorts", data={
        "name": "Angkatan 2026", "started_on": "2026-06-01", "graduated_on": "2026-05-31"})
    assert response.status_code == 400
    assert b"The graduation date cannot be before the start date." in response.data
    assert factories.db.session.execute(select(Cohort)).scalars().all() == []
    with pytest.raises(services.GraduationBeforeStart):  # the rule lives in the service, for every caller
        services.create_cohort(admin, program.id, name="B", started_on=date(2026, 6, 1), graduated_on=date(2026, 1, 1))
    same_day = client.post(f"/admin/programs/{program.id}/cohorts", data={
        "name": "Angkatan 2026", "started_on": "2026-06-01", "graduated_on": "2026-06-01"})
    assert same_day.status_code == 302
