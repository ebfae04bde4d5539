"""The program's training record (issue 8, item 3): a list of business and life-skills trainings with dates,
kept by the program's staff, read by the graduate on their work profile, and carried by an application only
when the applicant chooses to; the firm then sees it in the application, as the preview showed."""
import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.jobs import privacy, training
from marketplace.jobs.errors import InvalidInput, NotFound
from marketplace.jobs.models import Application, TrainingRecord
from marketplace.jobs.training import TrainingData
from tests import factories
from tests.jobs.conftest import firm, graduate, owner_of, vacancy

BUSINESS = TrainingData("business", "Bina Usaha: pembukuan", date(2026, 5, 4), date(2026, 6, 26))


def _titles(user_id: int) -> list[str]:
    return [t.title for t in training.trainings_of(user_id)]


@pytest.fixture
def program_people():
    program = factories.program()
    cohort = factories.cohort(program, name="Angkatan 3")
    ana = graduate(program_id=program.id, cohort_id=cohort.id, name="Ana")
    budi = graduate(program_id=program.id, cohort_id=cohort.id, name="Budi")
    cici = graduate(program_id=program.id, name="Cici")  # no cohort
    staff = factories.user("staff", program_id=program.id)
    db.session.commit()
    return program, cohort, (ana, budi, cici), staff


def test_staff_record_a_cohorts_training_for_each_of_its_graduates(program_people):
    program, cohort, (ana, budi, cici), staff = program_people
    assert training.record_training(staff, program, BUSINESS, cohort_id=cohort.id) == 2
    life = TrainingData("life_skills", "Keterampilan hidup", date(2026, 7, 6), None)
    assert training.record_training(staff, program, life, graduate_id=cici.id) == 1
    assert _titles(ana.id) == _titles(budi.id) == ["Pelatihan usaha", "Bina Usaha: pembukuan"]
    assert _titles(cici.id) == ["Pelatihan usaha", "Keterampilan hidup"]
    recorded = training.trainings_of(cici.id)[-1]
    assert (recorded.kind, recorded.started_on, recorded.finished_on, recorded.recorded_by_id) == (
        "life_skills", date(2026, 7, 6), None, staff.id)


@pytest.mark.parametrize(("data", "code"), [
    (TrainingData("criminal_record", "x", date(2026, 1, 5)), "training_kind"),
    (TrainingData("business", "   ", date(2026, 1, 5)), "training_title"),
    (TrainingData("business", "Bina Usaha", date(2026, 3, 1), date(2026, 2, 1)), "training_dates"),
    (TrainingData("business", "Bina Usaha", date(1990, 3, 1)), "training_period"),
])
def test_nonsense_trainings_are_refused_and_nothing_is_stored(program_people, data, code):
    program, cohort, _people, staff = program_people
    before = db.session.execute(select(TrainingRecord.id)).scalars().all()
    with pytest.raises(InvalidInput) as refused:
        training.record_training(staff, program, data, cohort_id=cohort.id)
    assert refused.value.code == code
    assert db.session.execute(select(TrainingRecord.id)).scalars().all() == before


def test_staff_of_another_program_neither_read_nor_change_the_record(program_people):
    program, cohort, (ana, _budi, _cici), _staff = program_people
    other_program = factories.program()
    outsider = factories.user("staff", program_id=other_program.id)
    other_cohort = factories.cohort(other_program)
    stranger = graduate(program_id=other_program.id)
    db.session.commit()
    with pytest.raises(NotFound):
        training.program_trainings(outsider, program)
    with pytest.raises(NotFound):
        training.record_training(outsider, program, BUSINESS, cohort_id=cohort.id)
    with pytest.raises(NotFound):  # their own program, someone else's graduate
        training.record_training(outsider, other_program, BUSINESS, graduate_id=ana.id)
    with pytest.raises(NotFound):  # a cohort of another program
        training.record_training(_staff, program, BUSINESS, cohort_id=other_cohort.id)
    with pytest.raises(NotFound):
        training.remove_training(outsider, training.trainings_of(ana.id)[0].id)
    assert _titles(ana.id) == ["Pelatihan usaha"] and stranger.id


def test_staff_page_records_for_a_cohort_and_removes_a_training(client, login_as, program_people):
    program, cohort, (ana, budi, _cici), staff = program_people
    login_as(staff)
    page = client.get("/staff/jobs/pelatihan").get_data(as_text=True)
    assert "Ana" in page and "Angkatan 3" in page and "Pelatihan usaha" in page
    # Each remove button shows one short word on a phone; the training it removes is in its hidden text.
    assert '>Remove<span class="visually-hidden"> Pelatihan usaha</span></button>' in page
    response = client.post("/staff/jobs/pelatihan", data={
        "recipient": f"c{cohort.id}", "kind": "life_skills", "title": "Keterampilan hidup",
        "started_on": "2026-03-02", "finished_on": "2026-02-01"})
    assert response.status_code == 400 and "cannot finish before it started" in response.get_data(as_text=True)
    response = client.post("/staff/jobs/pelatihan", data={
        "recipient": f"c{cohort.id}", "kind": "life_skills", "title": "Keterampilan hidup",
        "started_on": "2026-03-02", "finished_on": "2026-04-24"}, follow_redirects=True)
    assert "recorded for 2 graduate(s)" in response.get_data(as_text=True)
    assert _titles(budi.id) == ["Pelatihan usaha", "Keterampilan hidup"]
    mistake = training.trainings_of(ana.id)[-1]
    client.post(f"/staff/jobs/pelatihan/{mistake.id}/hapus")
    assert _titles(ana.id) == ["Pelatihan usaha"]
    assert client.post("/staff/jobs/pelatihan", data={
        "recipient": "g987654321", "kind": "business", "title": "x", "started_on": "2026-03-02"}).status_code == 400


def test_the_firm_sees_the_training_record_only_when_the_applicant_sends_it(client, login_as, pdf):
    v = vacancy(firm(legal_name="PT Osing"))
    applicant = graduate()
    db.session.add(TrainingRecord(user_id=applicant.id, kind="life_skills", title="Keterampilan hidup",
                                  started_on=date(2026, 5, 4)))
    db.session.commit()
    login_as(applicant)
    apply_page = client.get(f"/kerja/lamar/{v.id}").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="share_training"[^>]*>', apply_page).group(0)
    assert "checked" in box  # sent unless the applicant unticks it

    def send(**choice):
        html = client.post(f"/kerja/lamar/{v.id}", data={"cover_note": "Siap.", "cv": (io.BytesIO(pdf), "cv.pdf"),
                                                           **choice}, content_type="multipart/form-data"
                           ).get_data(as_text=True)
        token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
        client.post(f"/kerja/lamar/{v.id}/kirim", data={"token": token})
        return html

    preview = send()  # the box unticked
    assert "Keterampilan hidup" not in preview and "Pelatihan usaha" not in preview
    sent = db.session.execute(select(Application).where(Application.applicant_id == applicant.id)).scalar_one()
    assert sent.trainings == []
    db.session.delete(sent)
    db.session.commit()

    preview = send(share_training="y")
    assert "Business training" in preview and "Life-skills training" in preview and "Keterampilan hidup" in preview
    sent = db.session.execute(select(Application).where(Application.applicant_id == applicant.id)).scalar_one()
    login_as(owner_of(v.firm))
    firm_page = client.get(f"/mitra/lamaran/{sent.id}").get_data(as_text=True)
    assert "Pelatihan usaha" in firm_page and "Keterampilan hidup" in firm_page and "4 Mei 2026" in firm_page


def test_the_training_record_is_exported_and_erased_with_the_person(program_people):
    program, cohort, (ana, _budi, _cici), staff = program_people
    training.record_training(staff, program, BUSINESS, graduate_id=ana.id)
    assert [t["title"] for t in privacy.export_user_data(ana)["trainings"]] == [
        "Pelatihan usaha", "Bina Usaha: pembukuan"]
    privacy.erase_user_data(staff)
    assert training.trainings_of(ana.id)[-1].recorded_by_id is None
    privacy.erase_user_data(ana)
    assert training.trainings_of(ana.id) == []
