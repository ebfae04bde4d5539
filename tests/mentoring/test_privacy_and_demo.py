"""Export and erase cover every mentoring table; the demo seeds mentoring that shows on every page."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.core.timeutil import jakarta_today
from marketplace.extensions import db
from marketplace.mentoring import alerts, check_ins, goals, privacy, references, support
from marketplace.mentoring.models import Action, Assignment, CheckIn, Goal, Milestone, Reference, SignIn, Support


def _fill(w):
    today = jakarta_today()
    check_ins.record_check_in(w.mentor, w.graduate.id, held_on=today, mode="visit", notes="Catatan bersama",
                             private_notes="Catatan pribadi",
                             actions=[check_ins.ActionInput("Daftar NIB", "graduate", today + timedelta(days=3))])
    goals.add_goal(w.mentor, w.graduate.id, metric="orders", title="10 pesanan", target=10,
                      due_on=today + timedelta(days=30))
    goals.record_milestone(w.mentor, w.graduate.id, "bank_account", today)
    support.record_support(w.staff, w.graduate.id, kind="training", description="Pelatihan", amount_idr=0,
                            given_on=today)
    references.request_reference(w.graduate, "Untuk lamaran kasir")
    references.write_reference(w.mentor, w.graduate.id, "Rajin dan jujur.")
    db.session.add(SignIn(user_id=w.graduate.id))
    db.session.commit()


def test_export_gives_the_graduate_their_record_without_private_notes(assigned):
    _fill(assigned)
    data = privacy.export_user_data(assigned.graduate)
    assert data["check_ins"][0]["notes"] == "Catatan bersama"
    assert "Catatan pribadi" not in str(data)
    assert (len(data["goals"]), len(data["milestones"]), len(data["support"]), len(data["mentors"])) == (1, 1, 1, 1)
    assert [(r["note"], r["reference"], r["author"]) for r in data["references"]] == [
        ("Untuk lamaran kasir", "Rajin dan jujur.", "Mentor Satu")]
    assert privacy.export_user_data(assigned.mentor)["as_mentor"] == {
        "check_ins_recorded": 1, "graduates_followed": 1, "references_written": 1}


def test_erasing_the_graduate_removes_every_row_about_them(assigned):
    _fill(assigned)
    privacy.erase_user_data(assigned.graduate)
    db.session.commit()
    for model in (Action, Assignment, CheckIn, Goal, Milestone, SignIn, Support, Reference):
        assert db.session.execute(select(func.count()).select_from(model)).scalar_one() == 0, model


def test_erasing_the_mentor_keeps_the_graduates_record_without_their_name(assigned):
    _fill(assigned)
    privacy.erase_user_data(assigned.mentor)
    privacy.erase_user_data(assigned.staff)
    db.session.commit()
    check_in = db.session.execute(select(CheckIn)).scalar_one()
    assert check_in.mentor_id is None and check_in.notes == "Catatan bersama"
    assert db.session.execute(select(Goal.created_by_id)).scalar_one() is None
    assert db.session.execute(select(Support.recorded_by_id)).scalar_one() is None
    reference = db.session.execute(select(Reference)).scalar_one()
    assert (reference.mentor_id, reference.author_name, reference.body) == (None, "", "Rajin dan jujur.")


@pytest.mark.long
def test_the_demo_has_mentoring_and_months_of_sales(client, login_as):
    from marketplace import demo
    from marketplace.accounts.models import User

    demo.seed()
    demo.seed()  # idempotent
    db.session.commit()
    mentor = db.session.execute(select(User).where(User.email == "mentor1@pasarbangkit.id")).scalar_one()
    rows = alerts.mentor_dashboard(mentor)
    assert len(rows) == 4 and {a.kind for r in rows for a in r.alerts} >= {"no_check_in", "revenue_drop",
                                                                             "overdue_actions", "not_signed_in"}
    assert sum(1 for r in rows for m in r.months if m.orders) >= 20
    assert db.session.execute(select(func.count()).select_from(Assignment)).scalar_one() == 7
