"""Figures, alerts, the digest and the impact report against hand-computed fixtures (issue 9, items
5, 6, 8): months with no sales, a refunded sale, a cancelled part, a business that changed mentor,
and "< 5" for small numbers."""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event

from marketplace.core.timeutil import jakarta_today
from marketplace.catalog.models import BusinessStatus
from marketplace.extensions import db
from marketplace.mentoring import alerts, assignments, check_ins, dates, impact, records, support
from marketplace.mentoring.models import SignIn
from tests import factories
from tests.jobs import conftest as jobs_fixtures
from tests.orders.test_queries import sale


def at(y, m, d, h=3):
    return datetime(y, m, d, h, tzinfo=UTC)


NOW = at(2026, 4, 15)  # 10:00 in Jakarta on 15 April 2026


def test_mentor_alerts_say_why(assigned):
    w = assigned
    # February 300.000 (two sales), March 100.000 plus a refunded 500.000 and a cancelled part: down sharply.
    sale(w.business, paid_at=at(2026, 2, 3), total=200_000, status="completed")
    sale(w.business, paid_at=at(2026, 2, 20), total=100_000, status="completed")
    sale(w.business, paid_at=at(2026, 3, 5), total=100_000, status="completed")
    sale(w.business, paid_at=at(2026, 3, 6), total=500_000, status="refunded")
    sale(w.business, created_at=at(2026, 3, 7), total=80_000, status="cancelled")
    sale(w.business, paid_at=at(2026, 4, 10), total=50_000, status="paid")  # waiting 5 days to ship
    check_ins.record_check_in(w.mentor, w.graduate.id, held_on=jakarta_today(), mode="call", notes="x",
                             actions=[check_ins.ActionInput("a", "graduate", jakarta_today())])
    db.session.get(type(w.business), w.business.id).status = BusinessStatus.HOLIDAY.value
    db.session.add(SignIn(user_id=w.graduate.id, signed_in_at=NOW - timedelta(days=31)))
    db.session.commit()
    row = alerts.mentor_dashboard(w.mentor, now=NOW)[0]
    kinds = {a.kind: a for a in row.alerts}
    assert kinds["revenue_drop"].before_idr == 300_000 and kinds["revenue_drop"].after_idr == 100_000
    assert kinds["waiting_to_ship"].count == 1
    assert kinds["not_signed_in"].count == 31
    assert "holiday" not in kinds  # it went on holiday just now
    assert [m.revenue_idr for m in row.months[-3:]] == [300_000, 100_000, 50_000]
    # The check-in is dated today (real time), so at NOW (the past) it is not yet "overdue"...
    later = alerts.mentor_dashboard(w.mentor, now=datetime.now(UTC) + timedelta(days=40))[0]
    later_kinds = {a.kind: a for a in later.alerts}
    assert later_kinds["no_check_in"].count >= 40 and later_kinds["overdue_actions"].count == 1
    assert later_kinds["holiday"].count >= 40


def test_weekly_digest_goes_to_mentors_with_alerts(assigned, outbox):
    w = assigned
    db.session.add(SignIn(user_id=w.graduate.id, signed_in_at=datetime.now(UTC) - timedelta(days=45)))
    db.session.commit()
    assert alerts.send_weekly_digests() == 1
    [message] = outbox(to=w.mentor.email)
    assert "Lulusan Satu" in message.body and "45" in message.body and "/mentoring/" in message.body


def test_charts_on_the_graduates_page_have_a_data_table(assigned, client, login_as):
    w = assigned
    today = jakarta_today()
    sale(w.business, paid_at=datetime.now(UTC) - timedelta(hours=3), total=125_000, status="completed")
    db.session.commit()
    login_as(w.graduate)
    page = client.get("/mentoring/me").get_data(as_text=True)
    assert page.count("<svg") == 2 and 'role="img"' in page and "<table" in page
    assert "Rp 125.000" in page
    assert f"{today.year}" in page


def test_job_applications_and_hires_per_month_on_the_record(assigned, client, login_as):
    """Last month (Jakarta): an application still open and one whose hire starts this month; this month:
    one not selected, and one sent at 23:30 on the last evening of last month in Jakarta (16:30 UTC)."""
    w = assigned
    today = jakarta_today()
    this_month, last_month = date(today.year, today.month, 1), dates.add_months(today, -1)
    jobs_fixtures.application(jobs_fixtures.vacancy(), w.graduate, created_at=at(last_month.year, last_month.month, 15))
    jobs_fixtures.application(jobs_fixtures.vacancy(), w.graduate, stage="hired", created_at=at(last_month.year, last_month.month, 20),
                              start_on=this_month)
    jobs_fixtures.application(jobs_fixtures.vacancy(), w.graduate, stage="not_selected", created_at=at(today.year, today.month, 1, 0))
    evening = datetime(this_month.year, this_month.month, 1, tzinfo=UTC) - timedelta(minutes=30 + 7 * 60)
    jobs_fixtures.application(jobs_fixtures.vacancy(), w.graduate, created_at=evening)  # 23:30 in Jakarta, last month
    jobs_fixtures.application(jobs_fixtures.vacancy(), w.graduate2, stage="hired", created_at=at(today.year, today.month, 1, 0),
                              start_on=this_month)  # someone else's
    db.session.commit()
    login_as(w.mentor)
    record = records.record_for(w.mentor, w.graduate.id)
    assert [(j.applications, j.hires) for j in record.jobs_months[-3:]] == [(0, 0), (3, 0), (1, 1)]
    assert sum(j.applications for j in record.jobs_months) == 4
    page = client.get(f"/mentoring/mentees/{w.graduate.id}").get_data(as_text=True)
    assert 'id="chart-jobs-title"' in page and page.count("<svg") == 1  # no sales yet: only the jobs chart
    login_as(w.graduate)
    page = client.get("/mentoring/me").get_data(as_text=True)
    assert "Job applications per month" in page and page.count("<svg") == 1


def _impact_world(world):
    """Program A: 6 graduates in the cohort, 5 with a storefront; plus one graduate of another cohort.
    January 2026: 5 businesses sell (one sale each, 100.000 .. 500.000) -> 1.500.000, 5 sellers.
    February: 2 businesses sell (200.000 + a refunded 900.000 and a cancelled part) -> 200.000, < 5."""
    w = world
    graduates = [w.graduate, w.graduate2] + [factories.user("graduate", program_id=w.program.id,
                                                            cohort_id=w.cohort.id) for _ in range(4)]
    businesses = [w.business, w.business2] + [factories.business(g) for g in graduates[2:5]]
    other_cohort = factories.cohort(w.program)
    outsider = factories.user("graduate", program_id=w.program.id, cohort_id=other_cohort.id)
    outsider_shop = factories.business(outsider)
    for i, b in enumerate(businesses):
        sale(b, paid_at=at(2026, 1, 10 + i), total=(i + 1) * 100_000, status="completed")
    sale(businesses[0], paid_at=at(2026, 2, 2), total=200_000, status="completed")
    sale(businesses[1], paid_at=at(2026, 2, 3), total=900_000, status="refunded")
    sale(businesses[2], created_at=at(2026, 2, 4), total=70_000, status="cancelled")
    sale(outsider_shop, paid_at=at(2026, 1, 5), total=1_000_000, status="completed")
    db.session.commit()
    # The first graduate changed mentor: counted once, as mentored now.
    assignments.assign_mentor(w.staff, graduates[0].id, w.mentor.id)
    assignments.assign_mentor(w.staff, graduates[0].id, w.mentor2.id)
    support.record_support(w.staff, graduates[0].id, kind="capital_grant", description="Modal",
                            amount_idr=2_000_000, given_on=date(2025, 12, 1))
    # Jobs, January-March 2026: 6 applications by 5 of the cohort's graduates, 2 hires starting in the
    # period; outside it an application in April, a hire starting in April, and the other cohort's one.
    for i, g in enumerate(graduates[:5]):
        jobs_fixtures.application(jobs_fixtures.vacancy(), g, created_at=at(2026, 1, 5 + i))
    jobs_fixtures.application(jobs_fixtures.vacancy(), graduates[0], stage="hired", created_at=at(2026, 2, 1), start_on=date(2026, 3, 2))
    jobs_fixtures.application(jobs_fixtures.vacancy(), graduates[1], stage="hired", created_at=at(2025, 12, 1), start_on=date(2026, 1, 5))
    jobs_fixtures.application(jobs_fixtures.vacancy(), graduates[2], stage="hired", created_at=at(2026, 3, 1), start_on=date(2026, 4, 1))
    jobs_fixtures.application(jobs_fixtures.vacancy(), outsider, created_at=at(2026, 2, 1))
    db.session.commit()
    return graduates, other_cohort


def test_impact_report_by_hand(world):
    _graduates, other_cohort = _impact_world(world)
    report = impact.impact_report(world.program.id, world.cohort.id, date(2026, 1, 1), date(2026, 3, 31))
    assert (report.graduates.value, report.with_business.value, report.active_businesses.value) == (6, 5, 5)
    assert [(m.month, m.sellers.value, m.orders.value, m.revenue_idr.value) for m in report.months] == [
        ("2026-01", 5, 5, 1_500_000), ("2026-02", 1, 1, 200_000), ("2026-03", 0, 0, 0)]
    assert [m.revenue_idr.shown() for m in report.months] == [1_500_000, "< 5", 0]
    assert (report.orders.value, report.revenue_idr.value) == (6, 1_700_000)
    assert (report.mentored.value, report.mentored.shown()) == (1, "< 5")
    grant = next(s for s in report.support if s.kind == "capital_grant")
    # The supported business sold 100.000 in January and 200.000 in February
    assert (grant.graduates.value, grant.amount_idr.value, grant.revenue_idr.value) == (1, 2_000_000, 300_000)
    assert grant.amount_idr.shown() == "< 5"
    # Sent in the period: 5 + the hire of February + the one of March (starting in April) = 7, by 5 people;
    # hires starting in the period: January's (sent in December) and March's.
    assert (report.jobs.applications.value, report.jobs.applications.people) == (7, 5)
    assert (report.jobs.applications.shown(), report.jobs.hires.value, report.jobs.hires.shown()) == (7, 2, "< 5")
    whole = impact.impact_report(world.program.id, None, date(2026, 1, 1), date(2026, 1, 31))
    assert (whole.graduates.value, whole.months[0].revenue_idr.value) == (7, 2_500_000)
    cohort_b = impact.impact_report(world.program.id, other_cohort.id, date(2026, 1, 1), date(2026, 1, 31))
    assert (cohort_b.graduates.shown(), cohort_b.months[0].revenue_idr.shown()) == ("< 5", "< 5")


def test_impact_csv_suppresses_small_numbers_and_stays_in_the_program(world, client, login_as):
    _impact_world(world)
    login_as(world.staff)
    response = client.get(f"/mentoring/staff/impact.csv?first=2026-01&last=2026-03&cohort_id={world.cohort.id}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = dict(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows["Graduates"] == "6" and rows["Revenue (Rp) 2026-01"] == "1500000"
    assert rows["Revenue (Rp) 2026-02"] == "< 5" and rows["Graduates with a mentor now"] == "< 5"
    assert (rows["Job applications"], rows["Hires"]) == ("7", "< 5")
    page = client.get("/mentoring/staff/impact?first=2026-01&last=2026-03").get_data(as_text=True)
    assert "&lt; 5" in page and "Rp 2.500.000" in page  # the whole program: both cohorts
    # Another program's cohort, a nonsense period: 404 / 400, never a 500
    other_cohort = factories.cohort(factories.program())
    db.session.commit()
    assert client.get(f"/mentoring/staff/impact.csv?cohort_id={other_cohort.id}").status_code == 404
    assert client.get("/mentoring/staff/impact.csv?first=2026-05&last=2026-01").status_code == 400
    assert client.get("/mentoring/staff/impact?first=abc&last=2026-01").status_code == 400
    login_as(world.other_staff)
    other = dict(csv.reader(io.StringIO(client.get("/mentoring/staff/impact.csv").get_data(as_text=True))))
    assert other["Graduates"] == "0"
    login_as(world.mentor)
    assert client.get("/mentoring/staff/impact.csv").status_code == 403


def _count_queries(fn):
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_fixed_query_counts(world):
    _impact_world(world)
    mentor_id, program_id = world.mentor2.id, world.program.id

    def counts():
        db.session.expire_all()
        mentor = db.session.get(type(world.mentor2), mentor_id)
        _ = mentor.name  # loaded before counting
        return (_count_queries(lambda: alerts.mentor_dashboard(mentor)),
                _count_queries(lambda: impact.impact_report(program_id, None, date(2026, 1, 1), date(2026, 3, 31))))

    few = counts()
    for _ in range(3):
        g = factories.user("graduate", program_id=world.program.id)
        b = factories.business(g)
        sale(b, paid_at=at(2026, 1, 3), total=10_000, status="completed")
        db.session.commit()
        assignments.assign_mentor(world.staff, g.id, world.mentor2.id)
        support.record_support(world.staff, g.id, kind="equipment", description="Alat", amount_idr=1,
                                given_on=date(2026, 1, 1))
    assert counts() == few
    assert few[0] <= 12 and few[1] <= 20
