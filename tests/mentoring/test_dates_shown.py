"""Days on the mentoring pages read as people here write them ("18 Agu 2026"), not as ISO codes."""
from __future__ import annotations

from datetime import date, timedelta

from marketplace.core.timeutil import jakarta_today
from marketplace.mentoring import check_ins, goals
from marketplace.mentoring.check_ins import ActionInput


def test_a_mentee_s_page_writes_days_in_the_reader_s_language(assigned, client, login_as):
    w = assigned
    held = jakarta_today() - timedelta(days=3)
    due = date(held.year + 1, 8, 18)
    check_ins.record_check_in(w.mentor, w.graduate.id, held_on=held, mode="visit", notes="Stok cukup.",
                              actions=[ActionInput(description="Daftar NIB", owner="graduate", due_on=due)])
    goals.add_goal(w.mentor, w.graduate.id, metric="orders", title="10 pesanan", target=10, due_on=due)
    w.mentor.locale = "id"
    login_as(w.mentor)

    page = client.get(f"/mentoring/mentees/{w.graduate.id}").get_data(as_text=True)

    assert f"18 Agu {due.year}" in page and due.isoformat() not in page
    assert held.isoformat() not in page
