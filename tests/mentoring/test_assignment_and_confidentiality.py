"""Assignment by staff (workload, history, change of mentor) and who may read what (issue 9, items 1 and 9)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.core.timeutil import jakarta_today
from marketplace.core.audit import AuditLog
from marketplace.extensions import db
from marketplace.mentoring import assignments, check_ins, records
from marketplace.mentoring.errors import MentoringError, NotFound
from marketplace.mentoring.models import Assignment, CheckIn


def _check_in(world, mentor=None, **fields):
    return check_ins.record_check_in(
        mentor or world.mentor, world.graduate.id, held_on=jakarta_today(), mode="visit",
        notes=fields.get("notes", "Membahas harga."), private_notes=fields.get("private_notes", "Rahasia mentor."),
        needs_support=fields.get("needs_support", False),
        actions=[check_ins.ActionInput("Foto ulang produk", "graduate", jakarta_today() + timedelta(days=7))])


def test_staff_assign_and_change_mentor_keeps_history(assigned, client, login_as):
    w = assigned
    assignments.assign_mentor(w.staff, w.graduate2.id, w.mentor.id)
    people = assignments.program_people(w.program.id)
    assert [(x.mentor.id, x.mentees) for x in people.workload] == [(w.mentor.id, 2), (w.mentor2.id, 0)]

    assignments.assign_mentor(w.staff, w.graduate.id, w.mentor2.id)
    history = assignments.assignment_history(w.graduate.id)
    assert [(a.mentor_id, a.ended_at is None) for a in history] == [(w.mentor2.id, True), (w.mentor.id, False)]
    assert assignments.current_assignment(w.graduate.id).mentor_id == w.mentor2.id
    people = assignments.program_people(w.program.id)
    assert {x.mentor.id: x.mentees for x in people.workload} == {w.mentor.id: 1, w.mentor2.id: 1}

    login_as(w.staff)
    page = client.get("/mentoring/staff").get_data(as_text=True)
    assert "Mentor Dua" in page and "Lulusan Satu" in page


def test_assigning_through_the_page(world, client, login_as):
    login_as(world.staff)
    response = client.post("/mentoring/staff/assign", data={"graduate_id": world.graduate.id,
                                                            "mentor_id": world.mentor.id})
    assert response.status_code == 302
    assert assignments.current_assignment(world.graduate.id).mentor_id == world.mentor.id
    # The same mentor again: a clear message, nothing added
    client.post("/mentoring/staff/assign", data={"graduate_id": world.graduate.id, "mentor_id": world.mentor.id})
    assert db.session.execute(select(func.count()).select_from(Assignment)).scalar_one() == 1


@pytest.mark.parametrize("who", ["other_staff", "mentor"])
def test_only_the_programs_staff_assign(world, who):
    with pytest.raises(MentoringError):
        assignments.assign_mentor(getattr(world, who), world.graduate.id, world.mentor.id)
    with pytest.raises(MentoringError):  # a mentor of another program
        assignments.assign_mentor(world.staff, world.graduate.id, world.other_mentor.id)
    assert db.session.execute(select(func.count()).select_from(Assignment)).scalar_one() == 0


def test_the_assigned_mentor_reads_notes_the_graduate_not_the_private_ones(assigned, client, login_as):
    w = assigned
    _check_in(w)
    login_as(w.mentor)
    page = client.get(f"/mentoring/mentees/{w.graduate.id}").get_data(as_text=True)
    assert "Membahas harga." in page and "Rahasia mentor." in page

    login_as(w.graduate)
    page = client.get("/mentoring/me").get_data(as_text=True)
    assert "Membahas harga." in page and "Foto ulang produk" in page
    assert "Rahasia mentor." not in page


def test_a_previous_mentor_loses_access_at_once(assigned, client, login_as):
    w = assigned
    _check_in(w)
    assignments.assign_mentor(w.staff, w.graduate.id, w.mentor2.id)
    login_as(w.mentor)
    assert client.get(f"/mentoring/mentees/{w.graduate.id}").status_code == 404
    assert client.get(f"/mentoring/mentees/{w.graduate.id}/check-ins/new").status_code == 404
    assert client.post(f"/mentoring/mentees/{w.graduate.id}/goals", data={}).status_code == 404
    with pytest.raises(NotFound):
        _check_in(w)
    login_as(w.mentor2)
    page = client.get(f"/mentoring/mentees/{w.graduate.id}").get_data(as_text=True)
    assert "Rahasia mentor." in page  # the new mentor reads the record they now hold


def test_other_mentors_staff_of_other_programs_and_other_graduates_see_nothing(assigned, client, login_as):
    w = assigned
    _check_in(w)
    for user in (w.mentor2, w.other_mentor, w.other_staff, w.graduate2):
        login_as(user)
        assert client.get(f"/mentoring/mentees/{w.graduate.id}").status_code in (403, 404), user
        assert client.get(f"/mentoring/staff/graduates/{w.graduate.id}/notes").status_code in (403, 404), user
    assert db.session.execute(select(func.count()).select_from(AuditLog)
                              .where(AuditLog.action == "mentor_note.read")).scalar_one() == 0


def test_staff_see_the_record_without_notes_and_each_read_of_notes_is_audited(assigned, client, login_as):
    w = assigned
    _check_in(w, needs_support=True)
    login_as(w.staff)
    home = client.get("/mentoring/staff").get_data(as_text=True)
    assert "Lulusan Satu" in home and "Membahas harga." not in home and "Rahasia mentor." not in home
    record = client.get(f"/mentoring/mentees/{w.graduate.id}").get_data(as_text=True)
    assert "Membahas harga." not in record and "Rahasia mentor." not in record
    for _ in range(2):
        notes = client.get(f"/mentoring/staff/graduates/{w.graduate.id}/notes").get_data(as_text=True)
        assert "Membahas harga." in notes and "Rahasia mentor." in notes
    reads = db.session.execute(select(AuditLog).where(AuditLog.action == "mentor_note.read")).scalars().all()
    assert [(r.actor_id, r.subject_id, r.program_id) for r in reads] == [(w.staff.id, w.graduate.id, w.program.id)] * 2


def test_needs_support_reaches_staff_and_can_be_marked_handled(assigned, client, login_as):
    w = assigned
    flagged = _check_in(w, needs_support=True)
    people = assignments.program_people(w.program.id)
    assert [c.id for c in people.needs_support] == [flagged.id]
    login_as(w.other_staff)
    assert client.post(f"/mentoring/staff/check-ins/{flagged.id}/resolve").status_code == 404
    login_as(w.staff)
    client.post(f"/mentoring/staff/check-ins/{flagged.id}/resolve")
    assert assignments.program_people(w.program.id).needs_support == []


def test_end_an_assignment(assigned, client, login_as):
    login_as(assigned.staff)
    client.post(f"/mentoring/staff/graduates/{assigned.graduate.id}/end")
    assert assignments.current_assignment(assigned.graduate.id) is None
    login_as(assigned.mentor)
    assert client.get(f"/mentoring/mentees/{assigned.graduate.id}").status_code == 404


def test_a_check_in_stays_with_the_graduate_after_a_change(assigned):
    w = assigned
    _check_in(w)
    assignments.assign_mentor(w.staff, w.graduate.id, w.mentor2.id)
    record = records.record_for(w.mentor2, w.graduate.id)
    assert [c.mentor_id for c in record.check_ins] == [w.mentor.id]
    assert db.session.execute(select(func.count()).select_from(CheckIn)).scalar_one() == 1
