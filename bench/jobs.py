"""Job-board load benchmark: 5,000 vacancies and 50,000 applications on PostgreSQL.

    .venv/bin/python bench/jobs.py [--pg postgresql://postgres@127.0.0.1:5432] [--duration 10]

Drops and recreates the database ``pasar_bench_jobs``, builds the schema with the real migrations and
bulk-loads 50 approved firms, 5,000 open vacancies and 5,000 graduates with 10 applications each (one
vacancy gets 500). Then, like bench/catalog.py (whose helpers it uses), it serves the app with gunicorn and
measures the job listing, a search, filters, a deep page and a vacancy page with wrk against the ``/tentang``
ceiling (goals: listing and vacancy page >= 0.5 of the ceiling, search >= 0.3). Finally it times the firm's
pipeline page for the vacancy with 500 applications inside the app (server time, goal: under 50 ms at the
median). Not part of the test suite.
"""
from __future__ import annotations

import json
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import catalog, pages  # noqa: E402  (bench/pages.py: database, gunicorn, wrk and the measuring loop)

BENCH_DB = "pasar_bench_jobs"
FIRMS = 50
VACANCIES = 5_000
GRADUATES = 5_000
PER_GRADUATE = 10
PIPELINE_GOAL_MS = 50.0
GOALS = {"listing": 0.5, "vacancy": 0.5, "search": 0.3}
TITLES = ["Penjahit", "Kurir", "Kasir", "Admin Gudang", "Barista", "Juru Masak", "Desainer", "Sopir",
          "Staf Toko", "Teknisi", "Pengemas", "Pelayan"]
SKILLS = ["menjahit", "mengemudi", "kasir", "excel", "kopi", "memasak", "desain", "stok", "pelayanan",
          "listrik", "pengemasan", "sablon"]
CITIES = catalog.CITIES
TRAINING_SENT = json.dumps([{"kind": "business", "title": "Pelatihan usaha", "started_on": "2026-02-02",
                             "finished_on": "2026-04-30"}])  # what an application keeps of the training record


def load(db_url: str) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.jobs.search import rebuild_search_index

    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        titles = "ARRAY[" + ",".join(f"'{t}'" for t in TITLES) + "]"
        skills = "ARRAY[" + ",".join(f"'{s}'" for s in SKILLS) + "]"
        cities = "ARRAY[" + ",".join(f"'{c}'" for c in CITIES) + "]"
        statements = [
            "INSERT INTO programs (slug, name, institution, city, created_at) "
            "VALUES ('bench', 'Bench Program', 'Bench', 'Banyuwangi', now())",
            f"INSERT INTO users (email, password_hash, name, role, locale, approved_at, session_version, created_at) "
            f"SELECT 'firm' || g || '@bench.test', 'x', 'Owner ' || g, 'partner', 'id', now(), 1, now() "
            f"FROM generate_series(1, {FIRMS}) g",
            f"INSERT INTO firms (slug, legal_name, nib, sector, city, contact_name, pledge_accepted_at, status, "
            f"created_at) SELECT 'pt-' || g, 'PT Bench ' || g, lpad(g::text, 13, '0'), 'Umum', "
            f"({cities})[1 + g % {len(CITIES)}], 'Owner', now(), 'approved', now() FROM generate_series(1, {FIRMS}) g",
            "INSERT INTO firm_members (firm_id, user_id, role, added_at) SELECT f.id, u.id, 'owner', now() "
            "FROM firms f JOIN users u ON u.email = 'firm' || substr(f.slug, 4) || '@bench.test'",
            f"INSERT INTO vacancies (firm_id, slug, title, description, city, remote, employment_type, "
            f"salary_min_idr, salary_max_idr, skills, openings, closes_on, status, published_at, created_at, "
            f"updated_at) SELECT (SELECT min(id) FROM firms) + g % {FIRMS}, 'lowongan-' || g, "
            f"({titles})[1 + g % {len(TITLES)}] || ' ' || g, "
            f"'Kami mencari ' || lower(({titles})[1 + g % {len(TITLES)}]) || ' yang teliti di ' || "
            f"({cities})[1 + (g / 3) % {len(CITIES)}] || '. Pelatihan diberikan.', "
            f"({cities})[1 + (g / 3) % {len(CITIES)}], g % 10 = 0, "
            f"(ARRAY['full_time','part_time','contract','apprenticeship'])[1 + g % 4], "
            f"2000000 + (g * 7919) % 2000000, 4000000 + (g * 7919) % 2000000, "
            f"({skills})[1 + g % {len(SKILLS)}] || ',' || ({skills})[1 + (g / 5) % {len(SKILLS)}], "
            f"1 + g % 5, current_date + 30, 'open', now() - (g || ' minutes')::interval, now(), now() "
            f"FROM generate_series(1, {VACANCIES}) g",
            f"INSERT INTO users (email, password_hash, name, role, locale, program_id, session_version, created_at) "
            f"SELECT 'grad' || g || '@bench.test', 'x', 'Lulusan ' || g, 'graduate', 'id', "
            f"(SELECT id FROM programs LIMIT 1), 1, now() FROM generate_series(1, {GRADUATES}) g",
            # Every graduate applies to 10 different vacancies; the first 500 graduates also apply to the first
            # vacancy, which therefore gets about 500 applications.
            f"INSERT INTO applications (vacancy_id, applicant_id, name, email, city, skills, experience, "
            f"trainings, cover_note, cv_key, cv_filename, cv_bytes, stage, created_at, stage_changed_at) "
            f"SELECT DISTINCT ON (v, u.id) v, u.id, u.name, u.email, 'Banyuwangi', 'menjahit,kasir', "
            f"'Dua tahun bekerja', '{TRAINING_SENT}', 'Saya siap bekerja.', 'private/cvs/bench.pdf', 'cv.pdf', "
            f"20000, (ARRAY['applied','screening','interview','offer','hired','not_selected'])[1 + (u.id + k) % 6], "
            f"now(), now() FROM users u CROSS JOIN generate_series(1, {PER_GRADUATE}) k "
            f"CROSS JOIN LATERAL (SELECT CASE WHEN k = 1 AND u.id % {GRADUATES // 500} = 0 THEN "
            f"(SELECT min(id) FROM vacancies) ELSE (SELECT min(id) FROM vacancies) + 1 + "
            f"(u.id * 37 + k * 101) % ({VACANCIES} - 1) END AS v) pick WHERE u.role = 'graduate'",
            "INSERT INTO application_events (application_id, stage, created_at) "
            "SELECT id, stage, now() FROM applications",
        ]
        pages.bulk_load(db.engine, statements, rebuild_search_index)
        with db.engine.connect() as conn:
            counts = conn.execute(text("SELECT (SELECT count(*) FROM vacancies), (SELECT count(*) FROM applications)"
                                       )).one()
            busiest, busiest_count = conn.execute(text(
                "SELECT vacancy_id, count(*) FROM applications GROUP BY vacancy_id ORDER BY 2 DESC LIMIT 1")).one()
            owner = conn.execute(text(
                "SELECT fm.user_id FROM firm_members fm JOIN vacancies v ON v.firm_id = fm.firm_id "
                "WHERE v.id = :v"), {"v": busiest}).scalar_one()
        print(f"loaded {counts[0]} vacancies and {counts[1]} applications in {time.perf_counter() - started:.1f}s;"
              f" vacancy {busiest} has {busiest_count} applications")
    return {"vacancy": busiest, "owner": owner, "app": app}


def pipeline_server_ms(state: dict, rounds: int = 30) -> tuple[float, float]:
    """Median and worst time of the firm's pipeline page, measured inside the app (no network, no wrk)."""
    app = state["app"]
    client = app.test_client()
    with app.app_context():
        from marketplace.accounts.models import User
        from marketplace.extensions import db

        owner = db.session.get(User, state["owner"])
        with client.session_transaction() as session:
            session["_user_id"] = owner.get_id()
    times = []
    for i in range(rounds + 3):
        started = time.perf_counter()
        response = client.get(f"/mitra/lowongan/{state['vacancy']}")
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        if i >= 3:  # warm-up
            times.append(elapsed)
    return statistics.median(times), max(times)


def main() -> None:
    parser = pages.arguments(__doc__)
    parser.add_argument("--pipeline-only", action="store_true", help="only time the firm's pipeline page")
    args = parser.parse_args()
    if shutil.which("wrk") is None and not args.pipeline_only:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    db_url = pages.create_database(args.pg, BENCH_DB)
    state = load(db_url)
    failed = False
    median, worst = pipeline_server_ms(state)
    mark = "ok" if median < PIPELINE_GOAL_MS else "SLOW"
    failed |= mark == "SLOW"
    print(f"firm pipeline page, vacancy with 500 applications: median {median:.1f} ms, worst {worst:.1f} ms "
          f"(goal < {PIPELINE_GOAL_MS:.0f} ms) {mark}")
    if not args.pipeline_only:
        failed |= measure(db_url, args, state["vacancy"])
    sys.exit(1 if failed else 0)


def measure(db_url: str, args, vacancy_id: int) -> bool:
    measured = [("ceiling", "/tentang"), ("listing", "/lowongan"), ("listing", "/lowongan?page=200"),
                ("listing", "/lowongan?kota=Genteng&jenis=full_time&gaji=3000000"),
                ("listing", "/lowongan?keahlian=kasir"), ("search", "/lowongan?q=penjahit"),
                ("search", "/lowongan?q=kurir+teliti&kota=Jember"), ("vacancy", f"/lowongan/{vacancy_id}")]
    return pages.measure_pages(db_url, BENCH_DB, measured, GOALS, args, True, args.pg)


if __name__ == "__main__":
    main()
