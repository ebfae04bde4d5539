"""The firm's pipeline: stages, interviews with an .ics file, notes only the firm reads, bulk moves, hires."""
from datetime import datetime, timedelta

from babel.dates import format_date
from sqlalchemy import func, select

from marketplace.core.timeutil import JAKARTA, as_utc, jakarta_today
from marketplace.extensions import db
from marketplace.jobs.models import ApplicationNote
from tests.jobs.conftest import application, firm, graduate, member, owner_of, vacancy


def _in_jakarta(days: int = 3) -> datetime:
    return (datetime.now(JAKARTA) + timedelta(days=days)).replace(hour=10, minute=0, second=0,
                                                                           microsecond=0, tzinfo=None)


def test_interview_then_hire_each_step_in_history_and_emailed_in_the_applicants_language(client, login_as, outbox):
    applicant = graduate(locale="en")
    a = application(applicant=applicant)
    db.session.commit()
    login_as(owner_of(a.vacancy.firm))
    assert client.post(f"/mitra/lamaran/{a.id}/pindah", data={"stage": "interview"}).status_code == 400
    when = _in_jakarta()
    response = client.post(f"/mitra/lamaran/{a.id}/pindah", data={
        "stage": "interview", "interview_at": when.strftime("%Y-%m-%dT%H:%M"), "interview_place": "Kantor, Jl. Ahmad Yani 1"})
    assert response.status_code == 302
    db.session.refresh(a)
    assert a.stage == "interview"
    assert a.interview_at.astimezone(JAKARTA).hour == 10  # typed as Jakarta time, stored in UTC
    mail = outbox(applicant.email)[-1]
    assert "interview" in mail.body.lower() and "Kantor, Jl. Ahmad Yani 1" in mail.body
    assert mail.attachment_name == "interview.ics" and "BEGIN:VEVENT" in mail.attachment
    utc_start = a.interview_at.strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{utc_start}" in mail.attachment and utc_start.endswith("T030000Z")  # 10:00 WIB = 03:00 UTC

    assert client.post(f"/mitra/lamaran/{a.id}/pindah", data={"stage": "hired"}).status_code == 400
    start = jakarta_today() + timedelta(days=14)
    client.post(f"/mitra/lamaran/{a.id}/pindah", data={"stage": "hired", "start_on": start.isoformat()})
    db.session.refresh(a)
    assert (a.stage, a.start_on) == ("hired", start)
    assert [e.stage for e in a.events] == ["applied", "interview", "hired"]
    assert "Congratulations" in outbox(applicant.email)[-1].body
    # A final stage does not move again.
    client.post(f"/mitra/lamaran/{a.id}/pindah", data={"stage": "screening"})
    db.session.refresh(a)
    assert a.stage == "hired"
    # The graduate sees each step.
    login_as(applicant)
    page = client.get(f"/kerja/lamaran/{a.id}").get_data(as_text=True)
    assert "Interview" in page and "Hired" in page and f"{start:%b} {start.day}, {start.year}" in page


def test_emails_follow_the_applicants_language(client, login_as, outbox, translated_app):
    applicant = graduate(locale="id")
    a = application(applicant=applicant)
    db.session.commit()
    translated = translated_app.test_client()
    with translated.session_transaction() as session:
        session["_user_id"] = owner_of(a.vacancy.firm).get_id()
    translated.post(f"/mitra/lamaran/{a.id}/pindah", data={"stage": "screening"})
    assert "sedang meninjau lamaran Anda" in outbox(applicant.email)[-1].body


def test_bad_interview_and_start_dates_change_nothing(client, login_as):
    a = application()
    db.session.commit()
    login_as(owner_of(a.vacancy.firm))
    past = (datetime.now(JAKARTA) - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    for data in ({"stage": "interview", "interview_at": past, "interview_place": "x"},
                 {"stage": "interview", "interview_at": "2026-13-45T99:99", "interview_place": "x"},
                 {"stage": "hired", "start_on": "1999-01-01"}, {"stage": "withdrawn"}, {"stage": "applied"}):
        assert client.post(f"/mitra/lamaran/{a.id}/pindah", data=data).status_code == 400, data
    db.session.refresh(a)
    assert a.stage == "applied" and len(a.events) == 1


def test_notes_are_for_the_firms_members_only(client, login_as):
    a = application()
    colleague = member(a.vacancy.firm)
    db.session.commit()
    login_as(owner_of(a.vacancy.firm))
    client.post(f"/mitra/lamaran/{a.id}/catatan", data={"body": "Kuat di pola; tanya soal shift malam"})
    login_as(colleague)
    assert "tanya soal shift malam" in client.get(f"/mitra/lamaran/{a.id}").get_data(as_text=True)
    login_as(a.applicant)
    assert "shift malam" not in client.get(f"/kerja/lamaran/{a.id}").get_data(as_text=True)
    login_as(owner_of(firm()))
    assert client.post(f"/mitra/lamaran/{a.id}/catatan", data={"body": "Masuk"}).status_code == 404
    assert db.session.execute(select(func.count()).select_from(ApplicationNote)).scalar_one() == 1


def test_bulk_moves_touch_only_the_firms_own_open_applications(client, login_as, outbox):
    v = vacancy()
    first, second = application(v), application(v)
    done = application(v, stage="hired")
    theirs = application()  # another firm's vacancy
    db.session.commit()
    login_as(owner_of(v.firm))
    response = client.post(f"/mitra/lowongan/{v.id}/pindah", data={
        "stage": "screening", "application_ids": [first.id, second.id, done.id, theirs.id]})
    assert response.status_code == 302
    db.session.expire_all()
    assert [x.stage for x in (first, second, done, theirs)] == ["screening", "screening", "hired", "applied"]
    assert len(outbox(first.email)) == 1 and len(outbox(theirs.email)) == 0
    assert client.post(f"/mitra/lowongan/{theirs.vacancy_id}/pindah", data={
        "stage": "not_selected", "application_ids": [theirs.id]}).status_code == 404
    assert client.post(f"/mitra/lowongan/{v.id}/pindah", data={
        "stage": "hired", "application_ids": [first.id]}).status_code == 302  # hired needs a start date: refused
    db.session.refresh(first)
    assert first.stage == "screening"


def test_firm_a_never_reaches_firm_b_applicants_notes_or_cvs(client, login_as):
    b_application = application()
    db.session.add(ApplicationNote(application_id=b_application.id, author_id=owner_of(b_application.vacancy.firm).id,
                                   body="Catatan B"))
    a = firm()
    db.session.commit()
    login_as(owner_of(a))
    b = b_application
    for url in (f"/mitra/lamaran/{b.id}", f"/mitra/lamaran/{b.id}/cv", f"/mitra/lowongan/{b.vacancy_id}"):
        assert client.get(url).status_code == 404, url
    for url, data in ((f"/mitra/lamaran/{b.id}/pindah", {"stage": "not_selected"}),
                      (f"/mitra/lamaran/{b.id}/catatan", {"body": "x"})):
        assert client.post(url, data=data).status_code == 404, url
    db.session.refresh(b)
    assert b.stage == "applied"


def test_the_firm_sees_only_what_the_application_contains(client, login_as):
    applicant = graduate()
    a = application(applicant=applicant, cover_note="Halo")
    other_firm_application = application(applicant=applicant)
    db.session.commit()
    login_as(owner_of(a.vacancy.firm))
    page = client.get(f"/mitra/lamaran/{a.id}").get_data(as_text=True)
    assert "Halo" in page and applicant.name in page
    assert other_firm_application.vacancy.title not in page  # other applications stay private
    assert applicant.program.name not in page and "cohort" not in page.lower()


def test_the_pipeline_page_lists_the_vacancys_applications(client, login_as):
    v = vacancy()
    first = application(v)
    db.session.commit()
    login_as(owner_of(v.firm))
    page = client.get(f"/mitra/lowongan/{v.id}").get_data(as_text=True)
    assert first.name in page and f'value="{first.id}"' in page
    # The day it came, as every day on the site reads ("30 Nov 2026"), not "30-11-2026".
    applied = as_utc(first.created_at).astimezone(JAKARTA).date()
    assert format_date(applied, "medium", locale="id") in page
    assert applied.strftime("%d-%m-%Y") not in page


def test_the_pipeline_pages_by_50_and_filters_by_stage(client, login_as):
    v = vacancy()
    for i in range(55):
        application(v, stage="screening" if i < 5 else "applied")
    db.session.commit()
    login_as(owner_of(v.firm))
    first = client.get(f"/mitra/lowongan/{v.id}").get_data(as_text=True)
    assert first.count('name="application_ids"') == 50 and 'rel="next"' in first
    assert "(55)" in first and "(5)" in first
    second = client.get(f"/mitra/lowongan/{v.id}?page=2").get_data(as_text=True)
    assert second.count('name="application_ids"') == 5
    screening = client.get(f"/mitra/lowongan/{v.id}?tahap=screening").get_data(as_text=True)
    assert screening.count('name="application_ids"') == 5
    assert client.get(f"/mitra/lowongan/{v.id}?tahap=%27&page=abc").status_code == 200
