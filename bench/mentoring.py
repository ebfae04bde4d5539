"""Benchmark: the mentor dashboard and the program impact page on PostgreSQL (issue 9, "Speed").

Run by hand, never inside pytest:

    .venv/bin/python bench/mentoring.py [--pg postgresql://postgres@127.0.0.1:5432] [--runs 15]

It drops and recreates the database ``pasar_bench_mentoring``, builds the schema with the real
migrations, bulk-loads one program with 1,000 graduates and storefronts, 34 mentors (about 30 mentees
each), 300,000 orders over two years (one part each: 86% completed with a "shipped" event, 5% refunded,
5% cancelled before payment, 4% paid and waiting), 20,000 check-ins with an action each, goals and support;
runs ``VACUUM ANALYZE``; then, through the Flask test client (the full request: routing, policy, service,
template), asks for the mentor dashboard and the impact page ``--runs`` times each after two warm-ups and
prints the median and p90 server time. Goals: impact page < 300 ms, mentor dashboard (30 mentees) < 100 ms.
The exit status is 1 when a goal is missed.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCH_DB = "pasar_bench_mentoring"
GRADUATES = 1_000
MENTORS = 34
ORDERS = 300_000
CHECK_INS = 20_000
GOALS_MS = {"/mentoring/": 100.0, "/mentoring/staff/impact": 300.0}


def create_database(admin_url: str) -> str:
    import psycopg

    with psycopg.connect(admin_url + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return f"{admin_url}/{BENCH_DB}".replace("postgresql://", "postgresql+psycopg://", 1)


LOAD = [
    "INSERT INTO programs (slug, name, institution, city, created_at) VALUES ('bench', 'Bench', 'IPWL', 'Banyuwangi', now())",
    "INSERT INTO cohorts (program_id, name, started_on) SELECT id, 'Angkatan ' || g, date '2024-01-01' + g * 90 "
    "FROM programs, generate_series(1, 4) g",
    "INSERT INTO users (email, password_hash, name, role, locale, program_id, session_version, created_at) "
    "SELECT 'staf@bench.test', 'x', 'Staf', 'staff', 'id', id, 1, now() FROM programs",
    f"INSERT INTO users (email, password_hash, name, role, locale, program_id, session_version, created_at) "
    f"SELECT 'mentor' || g || '@bench.test', 'x', 'Mentor ' || g, 'mentor', 'id', (SELECT id FROM programs), 1, now() "
    f"FROM generate_series(1, {MENTORS}) g",
    f"INSERT INTO users (email, password_hash, name, role, locale, program_id, cohort_id, session_version, created_at) "
    f"SELECT 'lulusan' || g || '@bench.test', 'x', 'Lulusan ' || g, 'graduate', 'id', (SELECT id FROM programs), "
    f"(SELECT min(id) FROM cohorts) + g % 4, 1, now() - interval '800 days' FROM generate_series(1, {GRADUATES}) g",
    "INSERT INTO businesses (owner_id, slug, name, description, story, story_opt_in, city, status, created_at, updated_at) "
    "SELECT id, 'toko-' || id, 'Toko ' || id, '', '', false, 'Banyuwangi', 'open', now(), now() FROM users WHERE role = 'graduate'",
    # Orders over two years; the part's business spreads evenly, customers repeat (20,000 emails).
    f"INSERT INTO orders (public_id, idempotency_key, email, locale, recipient, phone, street, kelurahan, kecamatan, city, "
    f"province, postal_code, payment_method, status, items_idr, delivery_idr, total_idr, expires_at, paid_at, created_at) "
    f"SELECT md5('o' || g), 'k' || g, 'c' || (g::bigint * 7919) % 20000 || '@bench.test', 'id', 'Pembeli', '+6281', 'Jl', 'K', 'K', "
    f"'Banyuwangi', 'Jawa Timur', '68416', 'bank_transfer', 'paid', 40000 + (g % 50) * 1000, 10000, "
    f"50000 + (g % 50) * 1000, now(), now() - ((g % 730) || ' days')::interval + interval '1 hour', "
    f"now() - ((g % 730) || ' days')::interval FROM generate_series(1, {ORDERS}) g",
    "INSERT INTO order_parts (order_id, business_id, status, delivery_zone, items_idr, delivery_idr, total_idr, paid_at, "
    "created_at, updated_at) SELECT o.id, (SELECT min(id) FROM businesses) + o.id % 1000, "
    "CASE WHEN o.id % 100 < 86 THEN 'completed' WHEN o.id % 100 < 91 THEN 'refunded' "
    "WHEN o.id % 100 < 96 THEN 'cancelled' ELSE 'paid' END, 'same_city', o.items_idr, o.delivery_idr, o.total_idr, "
    "CASE WHEN o.id % 100 BETWEEN 91 AND 95 THEN NULL ELSE o.paid_at END, o.created_at, o.created_at FROM orders o",
    "INSERT INTO order_events (order_id, part_id, status, created_at) SELECT order_id, id, 'shipped', "
    "paid_at + ((id % 72) || ' hours')::interval FROM order_parts WHERE status = 'completed'",
    "INSERT INTO mentor_assignments (program_id, graduate_id, mentor_id, started_at) "
    "SELECT g.program_id, g.id, (SELECT min(id) FROM users WHERE role = 'mentor') + g.id % " + str(MENTORS) + ", "
    "now() - interval '400 days' FROM users g WHERE g.role = 'graduate'",
    f"INSERT INTO mentoring_check_ins (graduate_id, mentor_id, held_on, mode, notes, private_notes, needs_support, created_at) "
    f"SELECT a.graduate_id, a.mentor_id, current_date - (g % 700), 'visit', 'Catatan', '', g % 97 = 0, now() "
    f"FROM generate_series(1, {CHECK_INS}) g JOIN mentor_assignments a ON a.id = (SELECT min(id) FROM mentor_assignments) + g % 1000",
    "INSERT INTO mentoring_actions (check_in_id, graduate_id, description, owner, due_on) "
    "SELECT id, graduate_id, 'Tindakan', 'graduate', held_on + 14 FROM mentoring_check_ins",
    "INSERT INTO mentoring_goals (graduate_id, metric, title, target, due_on, created_at) "
    "SELECT id, 'revenue', 'Omzet', 1000000, current_date + 30, now() FROM users WHERE role = 'graduate'",
    "INSERT INTO mentoring_support (program_id, graduate_id, kind, description, amount_idr, given_on, created_at) "
    "SELECT program_id, id, (ARRAY['equipment', 'capital_grant', 'training'])[1 + id % 3], 'Bantuan', 1000000, "
    "current_date - 300, now() FROM users WHERE role = 'graduate' AND id % 2 = 0",
]


def load(app) -> None:
    from sqlalchemy import text

    from marketplace.extensions import db

    started = time.perf_counter()
    with db.engine.begin() as connection:
        for statement in LOAD:
            connection.execute(text(statement))
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    print(f"loaded in {time.perf_counter() - started:.1f} s")


def measure(app, runs: int) -> bool:
    from sqlalchemy import select

    from marketplace.accounts.models import User
    from marketplace.extensions import db

    def fresh_globals():  # one app context serves every request here: forget the previous user
        from flask import g

        for key in list(g):
            g.pop(key)

    app.before_request_funcs.setdefault(None, []).insert(0, fresh_globals)
    client = app.test_client()
    ok = True
    for path, email in (("/mentoring/", "mentor1@bench.test"), ("/mentoring/staff/impact", "staf@bench.test")):
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        times = []
        for i in range(runs + 2):
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (path, response.status_code)
            if i >= 2:
                times.append(elapsed)
        times.sort()
        median, p90 = statistics.median(times), times[int(len(times) * 0.9) - 1]
        goal = GOALS_MS[path]
        verdict = "ok" if median < goal else "MISSED"
        ok = ok and median < goal
        print(f"{path:28} median {median:7.1f} ms   p90 {p90:7.1f} ms   goal < {goal:.0f} ms   {verdict}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the loaded database (skip the drop and load)")
    args = parser.parse_args()
    from flask_migrate import upgrade

    from marketplace import create_app

    url = (f"{args.pg}/{BENCH_DB}".replace("postgresql://", "postgresql+psycopg://", 1) if args.keep
           else create_database(args.pg))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "MAIL_SERVER": None, "REDIS_URL": None})
    with app.app_context():
        if not args.keep:
            upgrade()
            load(app)
        ok = measure(app, args.runs)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
