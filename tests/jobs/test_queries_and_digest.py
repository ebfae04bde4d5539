"""jobs/queries.py (read by the impact report), the staff's placement page and the weekly digest."""
from datetime import timedelta

from marketplace.core.timeutil import jakarta_today, utcnow
from marketplace.extensions import db
from marketplace.jobs import queries
from marketplace.jobs.models import WorkProfile
from tests import factories
from tests.jobs.conftest import application, firm, graduate, vacancy


def test_jobs_by_cohort_placements_and_per_person_counts():
    program = factories.program()
    early, late = factories.cohort(program, name="Angkatan 1"), factories.cohort(program, name="Angkatan 2")
    ana = graduate(program_id=program.id, cohort_id=early.id)
    budi = graduate(program_id=program.id, cohort_id=early.id)
    cici = graduate(program_id=program.id, cohort_id=late.id)
    outsider = graduate()  # another program
    v1, v2 = vacancy(firm(legal_name="PT Satu"), title="Penjahit"), vacancy(title="Kurir")
    start = jakarta_today() + timedelta(days=7)
    application(v1, ana, stage="hired", start_on=start)
    application(v2, ana, stage="not_selected")
    application(v1, budi, stage="interview")
    application(v2, cici, stage="applied")
    application(v1, outsider, stage="hired", start_on=start)
    db.session.commit()

    rows = {r.cohort_name: r for r in queries.jobs_by_cohort(program.id)}
    assert rows["Angkatan 1"][2:] == (2, 3, 2, 1, 2)  # applying, applications, interviews, hires, vacancies
    assert rows["Angkatan 2"][2:] == (1, 1, 0, 0, 1)
    hires = queries.placements(program.id)
    assert [(p.graduate_name, p.firm_name, p.vacancy_title, p.start_on) for p in hires] == [
        (ana.name, "PT Satu", "Penjahit", start)]
    assert queries.placements(program.id, cohort_id=late.id) == []
    assert queries.placements(program.id, since=start + timedelta(days=1)) == []
    per_person = queries.jobs_per_person([ana.id, budi.id, cici.id, outsider.id, 999])
    assert per_person[ana.id][1:] == (2, 1, 1, start)
    assert per_person[budi.id][1:] == (1, 1, 0, None)
    assert 999 not in per_person and queries.jobs_per_person([]) == {}
    totals = queries.board_totals(jakarta_today())
    assert totals.open_vacancies == 2 and totals.approved_firms == 2


def test_staff_read_placements_of_their_own_program_only(client, login_as):
    program = factories.program()
    mine = graduate(program_id=program.id, name="Ana Lulusan")
    theirs = graduate(name="Orang Lain")
    start = jakarta_today()
    application(applicant=mine, stage="hired", start_on=start)
    application(applicant=theirs, stage="hired", start_on=start)
    db.session.commit()
    login_as("staff", program_id=program.id)
    page = client.get("/staff/jobs/placements").get_data(as_text=True)
    assert "Ana Lulusan" in page and "Orang Lain" not in page
    login_as("admin")
    assert "Choose a program" in client.get("/staff/jobs/placements").get_data(as_text=True)
    assert "Ana Lulusan" in client.get(f"/staff/jobs/placements?program_id={program.id}").get_data(as_text=True)


def test_weekly_digest_matches_skills_or_city_once_and_stops_in_one_click(client, app, outbox):
    sewing = vacancy(title="Penjahit", skills="menjahit", city="Jember")
    local = vacancy(title="Kasir Banyuwangi", skills="kasir", city="Banyuwangi")
    vacancy(title="Lama", skills="menjahit", published_at=utcnow() - timedelta(days=9))
    vacancy(title="Draf", skills="menjahit", status="draft")
    fan = graduate()
    fan_profile = db.session.query(WorkProfile).filter_by(user_id=fan.id).one()
    fan_profile.skills, fan_profile.city = "menjahit", "Surabaya"
    quiet = graduate()
    db.session.query(WorkProfile).filter_by(user_id=quiet.id).one().digest_opt_in = False
    db.session.commit()

    runner = app.test_cli_runner()
    assert "1 digest email(s) sent" in runner.invoke(args=["jobs", "digest"]).output
    mail = outbox(fan.email)[-1]
    assert "Penjahit" in mail.body and "Kasir Banyuwangi" not in mail.body and "Lama" not in mail.body
    assert outbox(quiet.email) == [] and local.id
    assert "0 digest email(s) sent" in runner.invoke(args=["jobs", "digest"]).output  # nothing new
    stop = next(word for word in mail.body.split() if "/lowongan/berhenti/" in word)
    assert client.get(stop.split("localhost", 1)[1]).status_code == 200
    db.session.refresh(fan_profile)
    assert fan_profile.digest_opt_in is False
    assert client.get("/lowongan/berhenti/forged").status_code == 400
    assert sewing.id
