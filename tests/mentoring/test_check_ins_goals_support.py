"""Check-ins with actions, goals and milestones, support, and bad input (issue 9, items 2, 3, 4)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.core.timeutil import jakarta_today
from marketplace.extensions import db
from marketplace.mentoring import check_ins, goals, records
from marketplace.mentoring.errors import MentoringError
from marketplace.mentoring.models import Action, CheckIn, Goal, Milestone, Support


def today():
    return jakarta_today()


def test_record_a_check_in_with_actions_through_the_form(assigned, client, login_as):
    w = assigned
    login_as(w.mentor)
    due = (today() + timedelta(days=7)).isoformat()
    response = client.post(f"/mentoring/mentees/{w.graduate.id}/check-ins/new", data={
        "held_on": today().isoformat(), "mode": "whatsapp", "notes": "Omzet naik.", "private_notes": "",
        "actions-0-description": "Daftar NIB", "actions-0-owner": "graduate", "actions-0-due_on": due,
        "actions-1-description": "Cari supplier", "actions-1-owner": "mentor", "actions-1-due_on": due,
        "actions-2-description": "", "actions-2-owner": "graduate", "actions-2-due_on": ""})
    assert response.status_code == 302
    check_in = db.session.execute(select(CheckIn)).scalar_one()
    assert (check_in.mode, check_in.notes, [a.description for a in check_in.actions]) == (
        "whatsapp", "Omzet naik.", ["Daftar NIB", "Cari supplier"])


def test_the_graduate_marks_their_own_action_done_not_the_mentors(assigned, client, login_as):
    w = assigned
    c = check_ins.record_check_in(w.mentor, w.graduate.id, held_on=today(), mode="call", notes="x", actions=[
        check_ins.ActionInput("Daftar NIB", "graduate", today() + timedelta(days=3)),
        check_ins.ActionInput("Cari supplier", "mentor", today() + timedelta(days=3))])
    mine, theirs = c.actions
    login_as(w.graduate)
    assert client.post(f"/mentoring/actions/{mine.id}/done").status_code == 302
    client.post(f"/mentoring/actions/{theirs.id}/done")
    login_as(w.graduate2)
    assert client.post(f"/mentoring/actions/{mine.id}/done").status_code == 404
    db.session.expire_all()
    assert db.session.get(Action, mine.id).done_by_id == w.graduate.id
    assert db.session.get(Action, theirs.id).done_at is None
    with pytest.raises(MentoringError, match="already_done"):
        check_ins.mark_action_done(w.graduate, mine.id)


@pytest.mark.parametrize("fields", [
    {"held_on": date(2000, 1, 1)},                        # long ago
    {"held_on": date.today() + timedelta(days=40)},       # the future
    {"mode": "telepathy"},
    {"notes": "", "private_notes": "", "actions": []},
    {"actions": [check_ins.ActionInput("x", "boss", date.today() + timedelta(days=2))]},
    {"actions": [check_ins.ActionInput("x", "graduate", None)]},
    {"held_on": None},
])
def test_bad_check_ins_change_nothing(assigned, fields):
    values = {"held_on": today(), "mode": "visit", "notes": "ok", "private_notes": "", "actions": []} | fields
    with pytest.raises(MentoringError):
        check_ins.record_check_in(assigned.mentor, assigned.graduate.id, **values)
    assert db.session.execute(select(func.count()).select_from(CheckIn)).scalar_one() == 0


@pytest.mark.parametrize("metric,target,due", [
    ("revenue", 0, 30), ("revenue", -5, 30), ("revenue", 10**13, 30), ("orders", 5, -1), ("orders", 5, 365 * 6),
    ("nonsense", 5, 30), ("orders", True, 30), ("orders", 5, None),
])
def test_goals_with_nonsense_targets_or_dates_are_refused(assigned, metric, target, due):
    due_on = None if due is None else today() + timedelta(days=due)
    with pytest.raises(MentoringError):
        goals.add_goal(assigned.mentor, assigned.graduate.id, metric=metric, title="t", target=target, due_on=due_on)
    assert db.session.execute(select(func.count()).select_from(Goal)).scalar_one() == 0


def test_goal_form_errors_answer_400_and_save_nothing(assigned, client, login_as):
    login_as(assigned.mentor)
    for data in ({"metric": "revenue", "title": "t", "target": "abc", "due_on": "2026-13-45"},
                 {"metric": "revenue", "title": "t", "target": "5", "due_on": "1999-01-01"}):
        assert client.post(f"/mentoring/mentees/{assigned.graduate.id}/goals", data=data).status_code == 400
    assert db.session.execute(select(func.count()).select_from(Goal)).scalar_one() == 0


def test_goal_progress_reads_real_figures_and_hand_kept_numbers(assigned):
    w = assigned
    goals.add_goal(w.mentor, w.graduate.id, metric="active_products", title="5 produk", target=5,
                      due_on=today() + timedelta(days=30))
    manual = goals.add_goal(w.mentor, w.graduate.id, metric="manual", title="2 sekolah", target=2,
                               due_on=today() + timedelta(days=30))
    from tests import factories

    factories.product(w.business)
    factories.product(w.business)
    db.session.commit()
    goals.set_goal_value(w.graduate, manual.id, 1)
    with pytest.raises(MentoringError):
        goals.set_goal_value(w.graduate, manual.id, -1)
    progress = {p.goal.title: (p.value, p.percent) for p in records.record_for(w.mentor, w.graduate.id).goals}
    assert progress == {"5 produk": (2, 40), "2 sekolah": (1, 50)}


def test_milestones_once_each_and_not_in_the_future(assigned):
    w = assigned
    goals.record_milestone(w.mentor, w.graduate.id, "business_licence", today())
    with pytest.raises(MentoringError, match="milestone_exists"):
        goals.record_milestone(w.mentor, w.graduate.id, "business_licence", today())
    with pytest.raises(MentoringError):
        goals.record_milestone(w.mentor, w.graduate.id, "bank_account", today() + timedelta(days=1))
    with pytest.raises(MentoringError):
        goals.record_milestone(w.mentor, w.graduate.id, "moon_landing", today())
    assert db.session.execute(select(func.count()).select_from(Milestone)).scalar_one() == 1


def test_staff_record_support_for_their_program_only(assigned, client, login_as):
    w = assigned
    login_as(w.staff)
    response = client.post(f"/mentoring/staff/graduates/{w.graduate.id}/support", data={
        "kind": "capital_grant", "description": "Modal kain", "amount_idr": "2500000",
        "given_on": today().isoformat()})
    assert response.status_code == 302
    assert client.post(f"/mentoring/staff/graduates/{w.graduate.id}/support", data={
        "kind": "capital_grant", "description": "Modal", "amount_idr": "-1",
        "given_on": today().isoformat()}).status_code == 400
    login_as(w.other_staff)
    assert client.post(f"/mentoring/staff/graduates/{w.graduate.id}/support", data={
        "kind": "capital_grant", "description": "Modal", "amount_idr": "1",
        "given_on": today().isoformat()}).status_code == 404
    rows = db.session.execute(select(Support)).scalars().all()
    assert [(s.kind, s.amount_idr) for s in rows] == [("capital_grant", 2_500_000)]
    login_as(w.mentor)
    assert "Modal kain" in client.get(f"/mentoring/mentees/{w.graduate.id}").get_data(as_text=True)
