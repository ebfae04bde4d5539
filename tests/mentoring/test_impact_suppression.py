"""The impact report's "< 5" counts people, never events: a figure is hidden when it is about 1 to 4
distinct graduates, however many applications, hires, check-ins or sales they made; and a part shown
beside its whole never gives away the 1 to 4 left out. Hand-computed fixtures, January to March 2026, on
the page's figures and in the CSV."""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from marketplace.extensions import db
from marketplace.mentoring import assignments, impact, support
from marketplace.mentoring.models import CheckIn
from tests import factories
from tests.jobs import conftest as jobs_fixtures
from tests.orders.test_queries import sale

FIRST, LAST = date(2026, 1, 1), date(2026, 3, 31)


def at(y, m, d, h=3):
    return datetime(y, m, d, h, tzinfo=UTC)


def hire(graduate, start_on: date):
    """A hire starting in the period, of an application sent before it (so it is not an application of
    the period)."""
    jobs_fixtures.application(jobs_fixtures.vacancy(), graduate, stage="hired", created_at=at(2025, 11, 3),
                              start_on=start_on)


@pytest.fixture
def cohort_of_twelve(world):
    """Twelve graduates in the world's cohort, the first two with the world's storefronts."""
    extra = [factories.user("graduate", program_id=world.program.id, cohort_id=world.cohort.id) for _ in range(10)]
    db.session.commit()
    return [world.graduate, world.graduate2, *extra]


def report(world):
    return impact.impact_report(world.program.id, world.cohort.id, FIRST, LAST)


def csv_rows(world, client, login_as) -> dict[str, str]:
    login_as(world.staff)
    body = client.get(f"/mentoring/staff/impact.csv?first=2026-01&last=2026-03&cohort_id={world.cohort.id}")
    return dict(csv.reader(io.StringIO(body.get_data(as_text=True))))


def test_five_hires_of_four_people_are_hidden(world, cohort_of_twelve, client, login_as):
    g = cohort_of_twelve
    hire(g[0], date(2026, 1, 5))
    hire(g[0], date(2026, 3, 2))      # the same person, a second job
    for person, day in ((g[1], 10), (g[2], 11), (g[3], 12)):
        hire(person, date(2026, 2, day))
    db.session.commit()
    hires = report(world).jobs.hires
    assert (hires.value, hires.people, hires.shown()) == (5, 4, "< 5")
    assert csv_rows(world, client, login_as)["Hires"] == "< 5"

    hire(g[4], date(2026, 3, 20))     # a fifth person
    db.session.commit()
    hires = report(world).jobs.hires
    assert (hires.value, hires.people, hires.shown()) == (6, 5, 6)
    assert csv_rows(world, client, login_as)["Hires"] == "6"


def test_applications_count_the_people_who_sent_them(world, cohort_of_twelve, client, login_as):
    g = cohort_of_twelve
    for person, day in ((g[0], 5), (g[0], 6), (g[0], 7), (g[1], 8), (g[2], 9), (g[3], 10)):
        jobs_fixtures.application(jobs_fixtures.vacancy(), person, created_at=at(2026, 1, day))
    db.session.commit()
    applications = report(world).jobs.applications
    assert (applications.value, applications.people, applications.shown()) == (6, 4, "< 5")
    assert csv_rows(world, client, login_as)["Job applications"] == "< 5"


def test_revenue_of_the_supported_is_about_those_who_sold(world, cohort_of_twelve, client, login_as):
    """Five graduates received a grant (shown); only the two with storefronts sold, so the revenue of the
    supported is about two people (hidden)."""
    g = cohort_of_twelve
    for person in g[:5]:
        support.record_support(world.staff, person.id, kind="capital_grant", description="Modal",
                               amount_idr=1_000_000, given_on=date(2025, 12, 1))
    sale(world.business, paid_at=at(2026, 1, 10), total=300_000, status="completed")
    sale(world.business2, paid_at=at(2026, 2, 10), total=400_000, status="completed")
    db.session.commit()
    grant = next(s for s in report(world).support if s.kind == "capital_grant")
    assert (grant.graduates.shown(), grant.amount_idr.shown()) == (5, 5_000_000)
    assert (grant.revenue_idr.value, grant.revenue_idr.people, grant.revenue_idr.shown()) == (700_000, 2, "< 5")
    rows = csv_rows(world, client, login_as)
    assert rows["Their revenue in the period (Rp): Capital grant"] == "< 5"
    assert rows["Support given (Rp): Capital grant"] == "5000000"


def test_check_ins_of_few_people_stay_hidden_in_the_rate_per_mentee(world, cohort_of_twelve, client, login_as):
    """Six graduates are mentored (shown); six check-ins were held with two of them: the count and the
    rate per mentee and month (which would give the count back) are both hidden."""
    g = cohort_of_twelve
    for person in g[:6]:
        assignments.assign_mentor(world.staff, person.id, world.mentor.id)
    for person, month, day in ((g[0], 1, 5), (g[0], 1, 20), (g[0], 2, 9), (g[1], 1, 6), (g[1], 1, 21), (g[1], 2, 10)):
        db.session.add(CheckIn(graduate_id=person.id, mentor_id=world.mentor.id, mode="call", notes="Baik",
                               held_on=date(2026, month, day)))
    db.session.commit()
    figures = report(world)
    assert (figures.mentored.shown(), figures.check_ins.value, figures.check_ins.people) == (6, 6, 2)
    assert (figures.check_ins.shown(), figures.check_ins_per_mentee_month) == ("< 5", "< 5")
    rows = csv_rows(world, client, login_as)
    assert (rows["Graduates with a mentor now"], rows["Check-ins in the period"]) == ("6", "< 5")


def test_a_part_beside_its_whole_does_not_give_away_the_few_left_out(world, cohort_of_twelve, client, login_as):
    """Twelve graduates, nine with a mentor: "9" beside "12" would say that three have none, so it is
    "> 7" (as is the coverage); with seven mentored, five have none and both are exact again."""
    g = cohort_of_twelve
    for person in g[:9]:
        assignments.assign_mentor(world.staff, person.id, world.mentor.id)
    db.session.commit()
    figures = report(world)
    assert (figures.graduates.shown(), figures.mentored.shown(), figures.coverage_percent) == (12, "> 7", "> 58%")
    rows = csv_rows(world, client, login_as)
    assert (rows["Graduates"], rows["Graduates with a mentor now"]) == ("12", "> 7")
    login_as(world.staff)
    page = client.get(f"/mentoring/staff/impact?first=2026-01&last=2026-03&cohort_id={world.cohort.id}")
    assert "&gt; 7 (&gt; 58%)" in page.get_data(as_text=True)

    for person in g[7:9]:
        assignments.end_assignment(world.staff, person.id)
    db.session.commit()
    figures = report(world)
    assert (figures.mentored.shown(), figures.coverage_percent) == (7, "58%")
