"""Applying: the work profile, the preview of exactly what the firm sees, the CV, withdrawing, statuses."""
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.core.timeutil import jakarta_today
from marketplace.extensions import db
from marketplace.jobs import privacy
from marketplace.jobs.models import Application, WorkProfile
from tests import factories
from tests.jobs.conftest import application, firm, graduate, member, owner_of, vacancy


def _apply(client, vacancy_id, pdf, note="Saya siap bekerja.", filename="cv-sari.pdf", **extra):
    return client.post(f"/kerja/lamar/{vacancy_id}", data={
        "cover_note": note, "cv": (io.BytesIO(pdf), filename), **extra}, content_type="multipart/form-data")


def _token(html: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)


def test_the_work_profile_shows_the_programs_training_record_and_is_saved(client, login_as):
    user = login_as(graduate())
    page = client.get("/kerja/profil").get_data(as_text=True)
    assert "Pelatihan usaha" in page and "2 Feb 2026" in page and "30 Apr 2026" in page
    assert 'name="training' not in page  # the program keeps the record: the graduate does not type it
    client.post("/kerja/profil", data={"city": "Banyuwangi", "skills": "Menjahit, kasir", "experience": "Dua tahun"})
    profile = db.session.execute(select(WorkProfile).where(WorkProfile.user_id == user.id)).scalar_one()
    assert profile.skills == "menjahit,kasir" and not profile.digest_opt_in


def test_apply_shows_the_preview_then_sends_exactly_that(client, login_as, pdf, outbox, stored_files):
    v = vacancy(firm(legal_name="PT Osing"), title="Penjahit")
    applicant = graduate(phone="+6281234567890")
    business = factories.business(applicant)
    db.session.commit()
    login_as(applicant)
    preview = _apply(client, v.id, pdf, share_phone="y", share_training="y")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "exactly what PT Osing will see" in html
    for shown in (applicant.name, applicant.email, "+6281234567890", "Saya siap bekerja.", "cv-sari.pdf",
                  "Dua tahun menjahit", "Pelatihan usaha"):
        assert shown in html
    assert business.slug not in html  # the shop is linked only when the graduate chose it
    assert db.session.execute(select(func.count()).select_from(Application)).scalar_one() == 0
    assert stored_files() == {f"private/cv-pending/u{applicant.id}.pdf"}

    response = client.post(f"/kerja/lamar/{v.id}/kirim", data={"token": _token(html)})
    assert response.status_code == 302
    sent = db.session.execute(select(Application)).scalar_one()
    assert (sent.name, sent.phone, sent.cover_note, sent.stage) == (applicant.name, "+6281234567890",
                                                                    "Saya siap bekerja.", "applied")
    assert sent.trainings == [{"kind": "business", "title": "Pelatihan usaha", "started_on": "2026-02-02",
                               "finished_on": "2026-04-30"}]
    assert sent.cv_key.startswith("private/cvs/") and stored_files() == {sent.cv_key}
    assert "Penjahit" in outbox(applicant.email)[-1].subject
    assert client.get(f"/kerja/lamaran/{sent.id}/cv").data == pdf
    # Twice: refused, nothing more stored.
    assert client.post(f"/kerja/lamar/{v.id}/kirim", data={"token": _token(html)}).status_code == 302
    assert _apply(client, v.id, pdf).status_code == 302
    assert db.session.execute(select(func.count()).select_from(Application)).scalar_one() == 1
    assert stored_files() == {sent.cv_key}


def test_a_cv_that_is_not_a_pdf_or_too_large_is_refused_and_nothing_is_left(client, login_as, app, stored_files):
    v = vacancy()
    login_as(graduate())
    db.session.commit()
    for data, name in ((b"\x89PNG\r\n\x1a\n" + b"0" * 100, "cv.pdf"), (b"%PDF-1.4 but cut short", "cv.pdf"),
                       (b"", "cv.pdf"), (b"MZ\x90\x00 %PDF-1.4 obj %%EOF", "cv.exe")):
        response = _apply(client, v.id, data, filename=name)
        assert response.status_code == 400, name
    app.config["JOBS_CV_MAX_BYTES"] = 2000
    try:
        response = _apply(client, v.id, b"%PDF-1.4\n" + b"1 0 obj\n" + b"x" * 5000 + b"\n%%EOF\n")
        assert response.status_code == 400 and b"too large" in response.data
    finally:
        app.config.pop("JOBS_CV_MAX_BYTES")
    assert stored_files() == set()
    assert db.session.execute(select(func.count()).select_from(Application)).scalar_one() == 0


def test_no_applying_after_the_closing_date_or_to_a_closed_vacancy(client, login_as, pdf):
    closed = vacancy(status="closed")
    past = vacancy(closes_on=jakarta_today() - timedelta(days=1))
    login_as(graduate())
    db.session.commit()
    for v in (closed, past):
        assert client.get(f"/kerja/lamar/{v.id}").status_code == 404
        assert _apply(client, v.id, pdf).status_code == 404


def test_a_forged_or_foreign_preview_token_sends_nothing(client, login_as, pdf):
    v, other = vacancy(), vacancy()
    login_as(graduate())
    db.session.commit()
    html = _apply(client, v.id, pdf).get_data(as_text=True)
    assert client.post(f"/kerja/lamar/{other.id}/kirim", data={"token": _token(html)}).status_code == 302
    assert client.post(f"/kerja/lamar/{v.id}/kirim", data={"token": "forged"}).status_code == 302
    assert db.session.execute(select(func.count()).select_from(Application)).scalar_one() == 0


def test_the_graduate_sees_statuses_and_withdraws(client, login_as):
    applicant = graduate()
    mine = application(applicant=applicant)
    hired = application(applicant=applicant, stage="hired")
    db.session.commit()
    login_as(applicant)
    page = client.get("/kerja/").get_data(as_text=True)
    assert mine.vacancy.title in page and "Hired" in page
    client.post(f"/kerja/lamaran/{mine.id}/tarik")
    db.session.refresh(mine)
    assert mine.stage == "withdrawn" and [e.stage for e in mine.events] == ["applied", "withdrawn"]
    client.post(f"/kerja/lamaran/{hired.id}/tarik")
    db.session.refresh(hired)
    assert hired.stage == "hired"


def test_nobody_else_reads_an_application_or_its_cv(client, login_as):
    a = application()
    db.session.commit()
    login_as(graduate())
    for url in (f"/kerja/lamaran/{a.id}", f"/kerja/lamaran/{a.id}/cv"):
        assert client.get(url).status_code == 404
    assert client.post(f"/kerja/lamaran/{a.id}/tarik").status_code == 404
    login_as(owner_of(firm()))  # another firm
    for url in (f"/mitra/lamaran/{a.id}", f"/mitra/lamaran/{a.id}/cv"):
        assert client.get(url).status_code == 404
    client.post("/account/logout")
    assert client.get(f"/media/{a.cv_key}").status_code == 404  # never public
    login_as(member(a.vacancy.firm))
    assert client.get(f"/mitra/lamaran/{a.id}/cv").headers["Content-Type"] == "application/pdf"


def test_export_and_erase_cover_profiles_applications_and_cvs(client, stored_files):
    applicant = graduate()
    a = application(applicant=applicant, cover_note="Rahasia")
    db.session.commit()
    data = privacy.export_user_data(applicant)
    assert data["work_profile"]["skills"] == ["menjahit", "kasir"]
    assert data["applications"][0]["cover_note"] == "Rahasia"
    assert stored_files() == {a.cv_key}
    privacy.erase_user_data(applicant)
    db.session.commit()
    db.session.refresh(a)
    assert a.cover_note == "" and a.cv_key is None and a.name == "Deleted user" and a.stage == "applied"
    assert stored_files() == set()
    assert db.session.execute(select(func.count()).select_from(WorkProfile)).scalar_one() == 0
    owner = owner_of(a.vacancy.firm)
    assert privacy.export_user_data(owner)["firm"]["role"] == "owner"


def test_an_application_sent_from_two_tabs_at_once_is_kept_once_and_the_loser_leaves_no_file(
        app, pdf, stored_files, monkeypatch):
    from marketplace.jobs import applications as service
    from marketplace.jobs.errors import JobsError

    v, applicant = vacancy(), graduate()
    db.session.commit()
    _preview, token = service.prepare_application(applicant, v.id, cover_note="", share_phone=False, cv=pdf,
                                                  cv_filename="cv.pdf")
    winner = application(v, applicant)  # the other tab's, committed while this one was past its checks
    db.session.commit()
    monkeypatch.setattr(service, "already_applied", lambda user, vacancy_id: False)
    with pytest.raises(JobsError) as refused:
        service.submit_application(applicant, v.id, token)
    assert refused.value.code == "already_applied"
    assert db.session.execute(select(Application.id)).scalars().all() == [winner.id]
    assert stored_files() == {winner.cv_key, f"private/cv-pending/u{applicant.id}.pdf"}
