"""What the job board gives the mentoring domain: applications and hires of a group of graduates (in total
and per Jakarta month, checked against hand-computed fixtures), the applications still in progress, and a
mentor's reference that the applicant attaches to one of them and may remove."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.jobs import privacy, queries, references
from marketplace.jobs.errors import JobsError, NotFound
from marketplace.jobs.models import ApplicationReference
from marketplace.jobs.queries import JobsMonth, JobsTotals, OpenApplication
from tests import factories
from tests.jobs.conftest import application, firm, graduate, owner_of, vacancy


def _at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def history():
    """Two graduates of one program and an outsider; days are Jakarta's (UTC+7).

    application  who     sent (UTC)         Jakarta day   stage          hire day
    a1           ana     02-28 16:59        02-28         hired          03-01 (start)
    a2           ana     02-28 17:00        03-01         hired          04-10 (start)
    a3           budi    03-15 05:00        03-15         applied        -
    a4           budi    04-30 16:59        04-30         hired          05-02 (start)
    a5           budi    04-30 17:00        05-01         not selected   -
    a6           ana     04-05 02:00        04-05         hired          04-20 (no start kept: the day of the hire)
    a7           outsider 03-10 02:00       03-10         hired          03-20
    """
    program = factories.program()
    ana, budi = graduate(program_id=program.id), graduate(program_id=program.id)
    outsider = graduate()
    apply = [
        (ana, _at(2026, 2, 28, 16, 59), "hired", {"start_on": date(2026, 3, 1)}),
        (ana, _at(2026, 2, 28, 17, 0), "hired", {"start_on": date(2026, 4, 10)}),
        (budi, _at(2026, 3, 15, 5, 0), "applied", {}),
        (budi, _at(2026, 4, 30, 16, 59), "hired", {"start_on": date(2026, 5, 2)}),
        (budi, _at(2026, 4, 30, 17, 0), "not_selected", {}),
        (ana, _at(2026, 4, 5, 2, 0), "hired", {"stage_changed_at": _at(2026, 4, 20, 3, 0)}),
        (outsider, _at(2026, 3, 10, 2, 0), "hired", {"start_on": date(2026, 3, 20)}),
    ]
    for who, sent, stage, fields in apply:
        application(vacancy(), who, stage=stage, created_at=sent, **fields)
    db.session.commit()
    return program, [ana.id, budi.id]


def test_applications_applicants_and_hires_of_a_period(history):
    _program, people = history
    # sent in March-April: a2, a3, a4, a6 by ana and budi; hires starting then: a1, a2, a6, all three ana's
    assert queries.applications_and_hires(people, date(2026, 3, 1), date(2026, 4, 30)) == JobsTotals(4, 2, 3, 1)
    assert queries.applications_and_hires(people, date(2026, 3, 1), date(2026, 3, 31)) == JobsTotals(2, 2, 1, 1)
    assert queries.applications_and_hires([], date(2026, 1, 1), date(2026, 12, 31)) == JobsTotals(0, 0, 0, 0)


def test_a_select_of_ids_counts_like_the_list(history):
    program, people = history
    of_program = select(User.id).where(User.program_id == program.id)
    assert queries.applications_and_hires(of_program, date(2026, 3, 1), date(2026, 4, 30)) == JobsTotals(4, 2, 3, 1)


def test_per_month_in_jakarta_time_with_empty_months(history):
    _program, people = history
    months = queries.applications_and_hires_by_month(people, date(2026, 1, 1), date(2026, 5, 31))
    assert months == {
        "2026-01": JobsMonth(0, 0),
        "2026-02": JobsMonth(applications=1, hires=0),   # a1 (23:59 in Jakarta)
        "2026-03": JobsMonth(applications=2, hires=1),   # a2, a3; a1 starts
        "2026-04": JobsMonth(applications=2, hires=2),   # a4, a6; a2 starts, a6 hired
        "2026-05": JobsMonth(applications=1, hires=1),   # a5 (00:00 in Jakarta); a4 starts
    }
    assert queries.applications_and_hires_by_month(people, date(2026, 4, 10), date(2026, 4, 30)) == {
        "2026-04": JobsMonth(applications=1, hires=2)}  # a4 only: a6 was sent on the 5th


def test_open_applications_are_those_in_progress_newest_first():
    ana = graduate()
    v1, v2, v3 = vacancy(firm(legal_name="PT Satu"), title="Penjahit"), vacancy(title="Kurir"), vacancy(title="Kasir")
    first = application(v1, ana, stage="interview", created_at=_at(2026, 3, 1))
    second = application(v2, ana, stage="applied", created_at=_at(2026, 3, 2))
    application(v3, ana, stage="withdrawn", created_at=_at(2026, 3, 3))
    application(v1, graduate(), stage="applied")
    db.session.commit()
    references.attach_reference(first.id, ana.id, "Bu Rahma", "Tekun dan jujur.")
    assert queries.open_applications_of(ana.id) == [
        OpenApplication(second.id, "Kurir", v2.firm.legal_name, "applied", False),
        OpenApplication(first.id, "Penjahit", "PT Satu", "interview", True),
    ]


def test_attaching_replaces_the_earlier_reference_and_removing_ends_it():
    mine = application(stage="screening")
    db.session.commit()
    references.attach_reference(mine.id, mine.applicant_id, "Bu Rahma", "Tekun.")
    references.attach_reference(mine.id, mine.applicant_id, "Pak Joko", "  Rajin dan jujur.  ")
    rows = db.session.execute(select(ApplicationReference)).scalars().all()
    assert [(r.application_id, r.author_name, r.body) for r in rows] == [(mine.id, "Pak Joko", "Rajin dan jujur.")]
    references.detach_reference(mine.id, mine.applicant_id)
    references.detach_reference(mine.id, mine.applicant_id)  # nothing left: nothing happens
    assert db.session.execute(select(ApplicationReference)).scalars().all() == []


def test_a_reference_goes_only_on_the_applicants_own_application_in_progress():
    mine, closed = application(stage="applied"), application(stage="not_selected")
    someone_else = graduate()
    db.session.commit()
    with pytest.raises(NotFound):
        references.attach_reference(mine.id, someone_else.id, "Bu Rahma", "Tekun.")
    with pytest.raises(NotFound):
        references.attach_reference(987654321, mine.applicant_id, "Bu Rahma", "Tekun.")
    with pytest.raises(JobsError) as refused:
        references.attach_reference(closed.id, closed.applicant_id, "Bu Rahma", "Tekun.")
    assert refused.value.code == "final_stage"
    with pytest.raises(JobsError) as empty:
        references.attach_reference(mine.id, mine.applicant_id, "Bu Rahma", "   ")
    assert empty.value.code == "reference_empty"
    references.attach_reference(mine.id, mine.applicant_id, "Bu Rahma", "Tekun.")
    with pytest.raises(NotFound):
        references.detach_reference(mine.id, someone_else.id)
    assert db.session.execute(select(ApplicationReference.body)).scalars().all() == ["Tekun."]


def test_the_firm_sees_the_reference_only_while_it_is_attached(client, login_as):
    sent = application(stage="interview")
    owner = owner_of(sent.vacancy.firm)
    db.session.commit()
    login_as(owner)
    page = client.get(f"/mitra/lamaran/{sent.id}").get_data(as_text=True)
    assert "Reference from the program's mentor" not in page
    references.attach_reference(sent.id, sent.applicant_id, "Bu Rahma", "Selalu **tepat waktu**.")
    page = client.get(f"/mitra/lamaran/{sent.id}").get_data(as_text=True)
    assert "Reference from the program's mentor" in page and "Bu Rahma" in page
    assert "Selalu <strong>tepat waktu</strong>." in page  # the mentor's Markdown, as the mentor saw it
    assert "Remove the reference" not in page
    references.detach_reference(sent.id, sent.applicant_id)
    assert "Selalu tepat waktu." not in client.get(f"/mitra/lamaran/{sent.id}").get_data(as_text=True)


def test_the_applicant_sees_the_reference_and_removes_it(client, login_as):
    sent = application(stage="applied")
    db.session.commit()
    references.attach_reference(sent.id, sent.applicant_id, "Bu Rahma", "Selalu tepat waktu.")
    login_as(sent.applicant)
    page = client.get(f"/kerja/lamaran/{sent.id}").get_data(as_text=True)
    assert "Selalu tepat waktu." in page and "Remove the reference" in page
    response = client.post(f"/kerja/lamaran/{sent.id}/referensi/hapus", follow_redirects=True)
    assert "The reference is removed" in response.get_data(as_text=True)
    assert db.session.execute(select(ApplicationReference)).scalars().all() == []


def test_another_graduate_cannot_remove_someone_elses_reference(client, login_as):
    sent = application(stage="applied")
    db.session.commit()
    references.attach_reference(sent.id, sent.applicant_id, "Bu Rahma", "Tekun.")
    login_as(graduate())
    assert client.post(f"/kerja/lamaran/{sent.id}/referensi/hapus").status_code == 404
    assert db.session.execute(select(ApplicationReference.body)).scalars().all() == ["Tekun."]


def test_the_reference_is_exported_and_erased_with_the_person(app):
    sent = application(stage="applied")
    db.session.commit()
    references.attach_reference(sent.id, sent.applicant_id, "Bu Rahma", "Tekun.")
    applicant = db.session.get(User, sent.applicant_id)
    exported = privacy.export_user_data(applicant)["applications"][0]["reference"]
    assert (exported["author_name"], exported["body"]) == ("Bu Rahma", "Tekun.")
    privacy.erase_user_data(applicant)
    db.session.commit()
    assert db.session.execute(select(ApplicationReference)).scalars().all() == []
