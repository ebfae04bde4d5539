"""What the page benchmarks (bench/catalog.py, bench/jobs.py) share: a throw-away PostgreSQL database,
gunicorn on a free 127.0.0.1 port, wrk, the CPU time of the workers and their PostgreSQL backends, and the
loop that measures a list of pages against the ``/tentang`` ceiling and prints the table. Not a test.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432"


def arguments(description: str) -> argparse.ArgumentParser:
    """The options every page benchmark takes; each adds its own."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default=PG_ADMIN_URL, help="server URL, no database")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) + 1)
    return parser


def create_database(admin_url: str, name: str) -> str:
    """Drop and recreate the database ``name``; return its SQLAlchemy URL."""
    import psycopg

    with psycopg.connect(admin_url + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return f"{admin_url}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)


def bulk_load(engine, statements: list[str], rebuild_search_index) -> None:
    """Run the INSERT ... SELECT statements in one transaction, rebuild the search index in it, then
    VACUUM ANALYZE so the planner knows the new tables."""
    from sqlalchemy import text

    with engine.begin() as conn:
        for sql in statements:
            conn.execute(text(sql))
        rebuild_search_index(conn)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(db_url: str, port: int, workers: int, cache: bool) -> subprocess.Popen:
    """The app as production serves it (``wsgi:app``), or with the guest page caches off."""
    env = {**os.environ, "DATABASE_URL": db_url, "SECRET_KEY": "bench", "APP_ENV": "development",
           "RATELIMIT_ENABLED": "0"}
    app = "wsgi:app" if cache else "marketplace:create_app({'CATALOG_CACHE_SECONDS': 0, 'JOBS_CACHE_SECONDS': 0})"
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level",
         "warning", app], cwd=ROOT, env=env)
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


def server_processes(master_pid: int, database: str, admin_url: str = PG_ADMIN_URL) -> list[int]:
    """The gunicorn workers and the PostgreSQL backends serving them (connected after the warm-up)."""
    workers = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split()
    import psycopg

    with psycopg.connect(admin_url + "/postgres", autocommit=True) as conn:
        backends = [r[0] for r in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (database,))]
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


def load_average() -> str:
    """The machine's load when the run ended (1, 5 and 15 minutes), to read the figures against."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure_pages(db_url: str, database: str, pages: list[tuple[str, str]], goals: dict[str, float], args,
                  cache: bool = True, admin_url: str = PG_ADMIN_URL) -> bool:
    """Serve the app with gunicorn and measure each (kind, path) of ``pages`` with wrk: 2 s of warm-up, then
    ``args.duration`` seconds. The first page is the ceiling; print requests/s, the ratio to it, the goal of
    the page's kind, p50/p99 latency and CPU per request. Returns whether a goal was missed or a page failed."""
    port = free_port()
    server = start_gunicorn(db_url, port, args.workers, cache)
    try:
        results = []
        for kind, path in pages:
            url = f"http://127.0.0.1:{port}{path}"
            status = urllib.request.urlopen(url, timeout=10).status
            run_wrk(url, 2, args.connections)  # warm-up: caches, connection pools
            processes = server_processes(server.pid, database, admin_url)
            cpu_before = cpu_ms(processes)
            result = run_wrk(url, args.duration, args.connections)
            result["cpu"] = (cpu_ms(processes) - cpu_before) / max(result["requests"], 1)
            results.append((kind, path, status, result))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    ceiling, ceiling_cpu = results[0][3]["rps"], results[0][3]["cpu"]
    print(f"\nGuest page cache {'ON (default)' if cache else 'OFF (every request renders)'}; "
          f"load average {load_average()}")
    print(f"{'page':<52} {'req/s':>8} {'ratio':>6} {'goal':>5} {'p50 ms':>8} {'p99 ms':>8} {'cpu ms':>7} "
          f"{'cpu ratio':>9}")
    failed = False
    for kind, path, status, r in results:
        ratio = r["rps"] / ceiling
        goal = goals.get(kind)
        mark = "" if goal is None else ("ok" if ratio >= goal else "LOW")
        failed |= mark == "LOW" or r["errors"] > 0 or status != 200
        print(f"{path[:52]:<52} {r['rps']:>8.0f} {ratio:>6.2f} {goal or '':>5} {r['p50'] or 0:>8.1f} "
              f"{r['p99'] or 0:>8.1f} {r['cpu']:>7.2f} {ceiling_cpu / r['cpu'] if r['cpu'] else 0:>9.2f} "
              f"{mark}{' errors=' + str(r['errors']) if r['errors'] else ''}")
    return failed
