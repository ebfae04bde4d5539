"""References for jobs (issue 9, item 7), the mentoring side: the graduate asks their mentor, the mentor
sees the request among their alerts and writes it, the graduate is told by email in their language and
reads it on their own page; nobody else reads it, and a previous mentor cannot write it."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.jobs.models import ApplicationReference
from marketplace.mentoring import alerts, assignments, privacy, references
from marketplace.mentoring.errors import MentoringError, NotFound
from marketplace.mentoring.models import Reference
from tests.jobs import conftest as jobs_fixtures


def count_references() -> int:
    return db.session.execute(select(func.count()).select_from(Reference)).scalar_one()


def attached_references() -> list[tuple[int, str, str]]:
    """What the job board shows firms: (application id, author, text) of every attached reference."""
    return [tuple(row) for row in db.session.execute(
        select(ApplicationReference.application_id, ApplicationReference.author_name, ApplicationReference.body))]


def test_the_graduate_asks_the_mentor_writes_and_the_graduate_reads_it(assigned, client, login_as, outbox):
    w = assigned
    login_as(w.graduate)
    page = client.get("/mentoring/me").get_data(as_text=True)
    assert 'id="references"' in page and 'action="/mentoring/references"' in page
    response = client.post("/mentoring/references", data={"note": "Untuk lamaran kasir di toko roti"})
    assert response.status_code == 302 and response.location.endswith("/mentoring/me#references")
    page = client.get("/mentoring/me").get_data(as_text=True)
    assert "waiting for your mentor" in page and 'action="/mentoring/references"' not in page

    login_as(w.mentor)
    dashboard = client.get("/mentoring/").get_data(as_text=True)
    assert "Asks you for a reference" in dashboard
    assert f'href="/mentoring/mentees/{w.graduate.id}/reference"' in dashboard
    form = client.get(f"/mentoring/mentees/{w.graduate.id}/reference").get_data(as_text=True)
    assert "Untuk lamaran kasir di toko roti" in form
    response = client.post(f"/mentoring/mentees/{w.graduate.id}/reference", data={
        "body": "Lulusan Satu **selalu tepat waktu** dan jujur.\n\n- mengelola stok\n- melayani pembeli"
                "\n\n<script>alert(1)</script>"})
    assert response.status_code == 302
    assert "Asks you for a reference" not in client.get("/mentoring/").get_data(as_text=True)

    [message] = outbox(to=w.graduate.email)
    assert "Mentor Satu" in message.subject and "/mentoring/me#references" in message.body
    assert "tepat waktu" not in message.body  # the email says it is ready; the text is read on the site

    login_as(w.graduate)
    page = client.get("/mentoring/me").get_data(as_text=True)
    assert "<strong>selalu tepat waktu</strong>" in page and "<li>mengelola stok</li>" in page
    assert "<script>alert(1)</script>" not in page
    assert 'action="/mentoring/references"' in page  # another one may be asked for


def test_only_the_graduate_reads_a_written_reference(assigned, client, login_as):
    w = assigned
    references.request_reference(w.graduate, "")
    references.write_reference(w.mentor, w.graduate.id, "Rekomendasi rahasia untuk lamaran.")
    for reader in (w.mentor, w.staff):
        login_as(reader)
        page = client.get(f"/mentoring/mentees/{w.graduate.id}").get_data(as_text=True)
        assert page and "Rekomendasi rahasia" not in page
    login_as(w.graduate2)
    assert "Rekomendasi rahasia" not in client.get("/mentoring/me").get_data(as_text=True)


def test_a_previous_mentor_cannot_write_after_a_change_and_the_new_one_can(assigned, client, login_as):
    w = assigned
    references.request_reference(w.graduate, "Untuk lamaran gudang")
    assignments.assign_mentor(w.staff, w.graduate.id, w.mentor2.id)
    login_as(w.mentor)
    assert client.get(f"/mentoring/mentees/{w.graduate.id}/reference").status_code == 404
    assert client.post(f"/mentoring/mentees/{w.graduate.id}/reference",
                       data={"body": "Saya masih menulis."}).status_code == 404
    assert "reference" not in client.get("/mentoring/").get_data(as_text=True).lower()
    with pytest.raises(NotFound):
        references.write_reference(w.mentor, w.graduate.id, "Saya masih menulis.")
    assert db.session.execute(select(Reference.written_at)).scalar_one() is None

    login_as(w.mentor2)
    assert "Asks you for a reference" in client.get("/mentoring/").get_data(as_text=True)
    page = client.get(f"/mentoring/mentees/{w.graduate.id}").get_data(as_text=True)
    assert f'href="/mentoring/mentees/{w.graduate.id}/reference"' in page
    client.post(f"/mentoring/mentees/{w.graduate.id}/reference", data={"body": "Pekerja keras."})
    reference = db.session.execute(select(Reference)).scalar_one()
    assert (reference.mentor_id, reference.author_name, reference.body) == (w.mentor2.id, "Mentor Dua",
                                                                            "Pekerja keras.")


def test_bad_requests_and_references_change_nothing(world, client, login_as):
    w = world
    with pytest.raises(MentoringError) as refused:
        references.request_reference(w.graduate, "")  # no mentor yet
    assert refused.value.code == "no_mentor"
    assignments.assign_mentor(w.staff, w.graduate.id, w.mentor.id)
    with pytest.raises(MentoringError) as refused:
        references.request_reference(w.graduate, "x" * 501)
    assert refused.value.code == "bad_note" and count_references() == 0
    references.request_reference(w.graduate, "")
    with pytest.raises(MentoringError) as refused:
        references.request_reference(w.graduate, "lagi")
    assert refused.value.code == "reference_requested" and count_references() == 1
    for body in ("", "   ", "x" * 1501):
        with pytest.raises(MentoringError) as refused:
            references.write_reference(w.mentor, w.graduate.id, body)
        assert refused.value.code == "bad_reference"
    for stranger in (w.mentor2, w.other_mentor, w.staff, w.graduate2):
        with pytest.raises(NotFound):
            references.write_reference(stranger, w.graduate.id, "Baik.")
    assert db.session.execute(select(Reference.written_at)).scalar_one() is None

    login_as(w.mentor)
    response = client.post(f"/mentoring/mentees/{w.graduate.id}/reference", data={"body": "x" * 1501})
    assert response.status_code == 400 and "1,500" in response.get_data(as_text=True)
    assert client.get(f"/mentoring/mentees/{w.graduate2.id}/reference").status_code == 404  # nothing asked
    login_as(w.graduate)
    assert client.post(f"/mentoring/mentees/{w.graduate.id}/reference", data={"body": "Saya hebat."}).status_code == 403
    references.write_reference(w.mentor, w.graduate.id, "Baik.")
    with pytest.raises(NotFound):  # written: no request waits any more
        references.write_reference(w.mentor, w.graduate.id, "Ditulis ulang.")


def test_the_graduate_withdraws_a_request_not_yet_written(assigned, client, login_as):
    w = assigned
    request = references.request_reference(w.graduate, "")
    login_as(w.graduate2)
    assert client.post(f"/mentoring/references/{request.id}/withdraw").status_code == 404
    login_as(w.graduate)
    page = client.get("/mentoring/me").get_data(as_text=True)
    assert f'action="/mentoring/references/{request.id}/withdraw"' in page
    assert client.post(f"/mentoring/references/{request.id}/withdraw").status_code == 302
    assert count_references() == 0
    assert all(a.kind != "reference_requested" for row in alerts.mentor_dashboard(w.mentor) for a in row.alerts)


def test_the_email_is_in_the_graduates_language(assigned, translated_app, outbox):
    w = assigned
    w.graduate.locale = "id"
    db.session.commit()
    references.request_reference(w.graduate, "")
    with translated_app.test_request_context():
        references.write_reference(w.mentor, w.graduate.id, "Baik.")
    [message] = outbox(to=w.graduate.email)
    assert message.subject == "Referensi dari Mentor Satu sudah siap", message.subject


def test_nothing_reaches_a_firm_until_the_graduate_attaches_it_and_it_can_be_removed(assigned, client, login_as):
    w = assigned
    job = jobs_fixtures.vacancy(title="Kasir Toko Roti")
    in_progress = jobs_fixtures.application(job, w.graduate, stage="interview")
    finished = jobs_fixtures.application(jobs_fixtures.vacancy(title="Penjahit"), w.graduate, stage="not_selected")
    someone_elses = jobs_fixtures.application(job, w.graduate2)
    references.request_reference(w.graduate, "Untuk kasir")
    reference = references.write_reference(w.mentor, w.graduate.id, "Jujur dan **teliti**.")
    db.session.commit()
    assert attached_references() == []  # written and read by the graduate: still nothing at the firm

    login_as(w.graduate)
    page = client.get("/mentoring/me").get_data(as_text=True)
    assert f'<option value="{in_progress.id}">Kasir Toko Roti' in page
    assert f'value="{finished.id}"' not in page and f'value="{someone_elses.id}"' not in page
    for application_id in (finished.id, someone_elses.id, 0):
        response = client.post(f"/mentoring/references/{reference.id}/attach", data={"application_id": application_id})
        assert response.status_code == 302
    assert attached_references() == []
    login_as(w.graduate2)
    assert client.post(f"/mentoring/references/{reference.id}/attach",
                       data={"application_id": someone_elses.id}).status_code == 404

    login_as(w.graduate)
    client.post(f"/mentoring/references/{reference.id}/attach", data={"application_id": in_progress.id})
    assert attached_references() == [(in_progress.id, "Mentor Satu", "Jujur dan **teliti**.")]
    page = client.get("/mentoring/me").get_data(as_text=True)
    assert f'action="/mentoring/applications/{in_progress.id}/reference/remove"' in page

    assert client.post(f"/mentoring/applications/{someone_elses.id}/reference/remove").status_code == 404
    client.post(f"/mentoring/applications/{in_progress.id}/reference/remove")
    assert attached_references() == []


def test_a_reference_whose_mentor_left_still_attaches_without_their_name(assigned):
    w = assigned
    application = jobs_fixtures.application(jobs_fixtures.vacancy(), w.graduate)
    references.request_reference(w.graduate, "")
    reference = references.write_reference(w.mentor, w.graduate.id, "Cekatan.")
    privacy.erase_user_data(w.mentor)
    db.session.commit()
    references.attach_to_application(w.graduate, reference.id, application.id)
    assert attached_references() == [(application.id, "Mentor", "Cekatan.")]
