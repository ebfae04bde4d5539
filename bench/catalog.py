"""Catalog load benchmark: 20,000 products from 1,000 sellers on PostgreSQL, served by gunicorn, loaded by wrk.

    .venv/bin/python bench/catalog.py [--pg postgresql://postgres@127.0.0.1:5432] [--duration 10]

Creates (drops and recreates) the database ``pasar_bench``, builds the schema with the real migrations,
bulk-loads the data in a few INSERT ... SELECT statements, starts gunicorn on 127.0.0.1, and measures each
page with wrk against a trivial template page of the same app (``/tentang``) measured in the same run.
Prints requests per second, the ratio to that ceiling, p50/p99 latency, and the CPU time per request of
the gunicorn workers and their PostgreSQL backends (steadier than requests/s on a shared machine). Not part
of the test suite.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "pasar_bench"
SELLERS = 1_000
PRODUCTS = 20_000
GOALS = {"catalog": 0.5, "product": 0.5, "search": 0.3}

WORDS = ["batik", "kopi", "keripik", "anyaman", "kebaya", "kaos", "tas", "kain", "tulis", "cap", "arabika",
         "robusta", "pisang", "bambu", "rotan", "sablon", "seragam", "kue", "sambal", "madu", "gula", "aren",
         "handmade", "cotton", "coffee", "snack", "basket", "shirt", "bag", "honey"]
CITIES = ["Banyuwangi", "Genteng", "Rogojampi", "Srono", "Jember", "Situbondo", "Bondowoso", "Malang"]


def create_database(admin_url: str) -> str:
    import psycopg

    with psycopg.connect(admin_url + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return f"{admin_url}/{BENCH_DB}".replace("postgresql://", "postgresql+psycopg://", 1)


def build_schema_and_load(db_url: str, sellers: int = SELLERS, products: int = PRODUCTS,
                          migrate: bool = True) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from marketplace import create_app
    from marketplace.catalog.search import rebuild_search_index
    from marketplace.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": "bench"})
    with app.app_context():
        if migrate:
            upgrade()
        started = time.perf_counter()
        words = "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]"
        cities = "ARRAY[" + ",".join(f"'{c}'" for c in CITIES) + "]"
        statements = [
            "INSERT INTO programs (slug, name, institution, city, created_at) "
            "VALUES ('bench', 'Bench Program', 'Bench', 'Banyuwangi', now())",
            "INSERT INTO categories (slug, name_id, name_en, position) SELECT 'kategori-' || g, "
            "'Kategori ' || g, 'Category ' || g, g FROM generate_series(1, 8) g",
            f"INSERT INTO users (email, password_hash, name, role, locale, program_id, session_version, created_at) "
            f"SELECT 'seller' || g || '@bench.example.com', 'x', 'Seller ' || g, 'graduate', 'id', "
            f"(SELECT id FROM programs LIMIT 1), 1, now() FROM generate_series(1, {sellers}) g",
            f"INSERT INTO businesses (owner_id, slug, name, description, story, story_opt_in, city, province, "
            f"status, created_at, updated_at) SELECT id, 'toko-' || id, 'Toko ' || id, 'Produk rumahan', '', "
            f"false, ({cities})[1 + id % {len(CITIES)}], 'Jawa Timur', 'open', now(), now() "
            f"FROM users WHERE role = 'graduate'",
            f"INSERT INTO products (business_id, category_id, slug, title, description, price_idr, weight_grams, "
            f"status, featured, created_at, updated_at) "
            f"SELECT b.id, (SELECT min(id) FROM categories) + g % 8, 'produk-' || g, "
            f"initcap(({words})[1 + g % 30] || ' ' || ({words})[1 + (g / 7) % 30] || ' ' || g), "
            f"'Buatan tangan: ' || ({words})[1 + (g / 3) % 30] || ' ' || ({words})[1 + (g / 11) % 30] "
            f"|| ' dari ' || b.city || '. Dikirim dari rumah.', 5000 + (g * 7919) % 500000, 250, 'active', "
            f"g % 50 = 0, now() - (g || ' minutes')::interval, now() "
            f"FROM generate_series(1, {products}) g "
            f"JOIN businesses b ON b.id = (SELECT min(id) FROM businesses) + g % {sellers}",
            "INSERT INTO variants (product_id, label, stock, position) SELECT id, '', 10, 0 FROM products",
            "INSERT INTO product_photos (product_id, key, width, height, position) "
            "SELECT id, 'photos/bench-' || (id % 50) || '.webp', 800, 800, 0 FROM products",
        ]
        with db.engine.begin() as conn:
            for sql in statements:
                conn.execute(text(sql))
            rebuild_search_index(conn)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        print(f"loaded {sellers} sellers and {products} products in {time.perf_counter() - started:.1f}s")
        with db.engine.connect() as conn:
            business_slug, product_slug = conn.execute(text(
                "SELECT b.slug, p.slug FROM products p JOIN businesses b ON b.id = p.business_id "
                "ORDER BY p.id LIMIT 1")).one()
            category_slug = conn.execute(text("SELECT slug FROM categories ORDER BY id LIMIT 1")).scalar_one()
    global PAGES
    PAGES = [
        ("ceiling", "/tentang"),
        ("catalog", "/"),
        ("catalog", f"/kategori/{category_slug}"),
        ("catalog", f"/kategori/{category_slug}?page=80"),
        ("catalog", f"/toko/{business_slug}"),
        ("product", f"/toko/{business_slug}/{product_slug}"),
        ("search", "/cari?q=batik"),
        ("search", "/cari?q=kopi+arabika&sort=price_asc"),
        ("search", "/cari?kota=Genteng&min=10000&max=200000&sort=newest"),
    ]


PAGES: list[tuple[str, str]] = []
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(db_url: str, port: int, workers: int, cache: bool) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": db_url, "SECRET_KEY": "bench", "APP_ENV": "development",
           "RATELIMIT_ENABLED": "0"}
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level",
         "warning", "wsgi:app" if cache else "marketplace:create_app({'CATALOG_CACHE_SECONDS': 0})"],
        cwd=ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def server_processes(master_pid: int) -> list[int]:
    """The gunicorn workers and the PostgreSQL backends serving them (connected after the warm-up)."""
    workers = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split()
    import psycopg

    with psycopg.connect(PG_ADMIN_URL + "/postgres", autocommit=True) as conn:
        backends = [r[0] for r in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (BENCH_DB,))]
    return [int(pid) for pid in workers] + backends


def cpu_ms(pids: list[int]) -> float:
    """CPU time (user + system) the processes used so far. Per request, it hardly moves when other work
    shares the machine, unlike requests per second."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def run_wrk(url: str, duration: int, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {p: _ms(v, u) for p, v, u in re.findall(r"\s(50|99)%\s+([\d.]+)(us|ms|s|m)\b", out)}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": latency.get("50"), "p99": latency.get("99"),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "errors": int(non2xx.group(1)) if non2xx else 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432", help="server URL, no database")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) + 1)
    parser.add_argument("--both", action="store_true", help="also measure with the page cache off")
    parser.add_argument("--off", action="store_true", help="only measure with the page cache off")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    global PG_ADMIN_URL
    PG_ADMIN_URL = args.pg
    db_url = create_database(args.pg)
    build_schema_and_load(db_url)
    failed = False
    for cache in (False,) if args.off else (True, False) if args.both else (True,):
        failed |= measure(db_url, args, cache)
    sys.exit(1 if failed else 0)


def measure(db_url: str, args, cache: bool) -> bool:
    port = free_port()
    server = start_gunicorn(db_url, port, args.workers, cache)
    try:
        results = []
        for kind, path in PAGES:
            url = f"http://127.0.0.1:{port}{path}"
            status = urllib.request.urlopen(url, timeout=10).status
            run_wrk(url, 2, args.connections)  # warm-up: caches, connection pools
            processes = server_processes(server.pid)
            cpu_before = cpu_ms(processes)
            result = run_wrk(url, args.duration, args.connections)
            result["cpu"] = (cpu_ms(processes) - cpu_before) / max(result["requests"], 1)
            results.append((kind, path, status, result))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    ceiling, ceiling_cpu = results[0][3]["rps"], results[0][3]["cpu"]
    print(f"\nGuest page cache {'ON (default)' if cache else 'OFF (every request renders)'}")
    print(f"{'page':<52} {'req/s':>8} {'ratio':>6} {'goal':>5} {'p50 ms':>8} {'p99 ms':>8} {'cpu ms':>7} "
          f"{'cpu ratio':>9}")
    failed = False
    for kind, path, status, r in results:
        ratio = r["rps"] / ceiling
        goal = GOALS.get(kind)
        mark = "" if goal is None else ("ok" if ratio >= goal else "LOW")
        failed |= mark == "LOW" or r["errors"] > 0 or status != 200
        print(f"{path[:52]:<52} {r['rps']:>8.0f} {ratio:>6.2f} {goal or '':>5} {r['p50'] or 0:>8.1f} "
              f"{r['p99'] or 0:>8.1f} {r['cpu']:>7.2f} {ceiling_cpu / r['cpu'] if r['cpu'] else 0:>9.2f} "
              f"{mark}{' errors=' + str(r['errors']) if r['errors'] else ''}")
    return failed and cache  # the goals apply to the configuration that runs in production


if __name__ == "__main__":
    main()
