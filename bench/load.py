"""Mixed load and soak against the stack: ``make bench-load`` and ``make bench-soak``.

    .venv/bin/python bench/load.py [--users 10,20,40] [--duration 60] [--spawn-rate 5]
    .venv/bin/python bench/load.py --soak [--duration 600] [--users 20]

Starts the stack with the 20,000-product data set (``deploy/stack.py up --data bench``; a stack already
running with that data set is used as it is and left running), runs ``bench/locustfile.py`` headless
against nginx, once per number of users given (a step each), and prints for each step requests per
second, p50/p95/p99 per page, failures, and the orders placed; then the consistency check of the data.
Goals: 0 errors and p99 under 300 ms; the highest step that meets them is the load the machine holds.

``--soak`` runs one step for 10 minutes and prints, every minute, the resident memory (RSS) of every
gunicorn worker and of the RQ worker and the PostgreSQL connections of the stack's database. Neither may
grow once the first minute has warmed the workers up (templates compiled, statements cached, pages in the
guest cache): a leak shows as growth from minute 1 to the end. Workers are never recycled during a soak (GUNICORN_MAX_REQUESTS=0).
"""
from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy import consistency  # noqa: E402
from deploy import stack as deploy_stack

GOAL_P99_MS = 300
BENCH_LOGIN_LIMIT = "100000 per hour"  # one machine plays every customer: nginx sees one address


def get_stack(workers: int):
    running = deploy_stack.Stack.load()
    if running and running.alive("nginx") and running.state.get("data") == "bench":
        print(f"[bench] using the running stack at {running.url}")
        return running, False
    if running and any(running.alive(n) for n in deploy_stack.COMPONENTS):
        raise SystemExit("A stack without the benchmark data is running: make stack-down first.")
    return deploy_stack.up(data="bench", login_limit=BENCH_LOGIN_LIMIT, workers=workers), True


def worker_pids(stack) -> dict[str, int]:
    """Every gunicorn worker (children of the two masters) and the RQ worker."""
    pids = {}
    for n in (1, 2):
        master = stack.pid(f"app{n}")
        children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
        for i, pid in enumerate(sorted(int(c) for c in children)):
            pids[f"app{n} worker {i + 1} (pid {pid})"] = pid
    if stack.pid("worker"):
        pids[f"rq worker (pid {stack.pid('worker')})"] = stack.pid("worker")
    return pids


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def pg_connections(stack) -> int:
    import psycopg

    with psycopg.connect(stack.admin_database_url()) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                            (deploy_stack.DATABASE,)).fetchone()[0]


def run_locust(stack, users: int, spawn_rate: float, seconds: int, out: str, during=None) -> None:
    command = [str(ROOT / ".venv/bin/locust"), "-f", str(ROOT / "bench/locustfile.py"), "--headless",
               "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds}s", "--host", stack.url,
               "--csv", out, "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "10"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while process.poll() is None:
        if during:
            during()
        time.sleep(1)
    errors = process.stderr.read()
    if process.returncode not in (0, 1):  # 1: some requests failed, reported below
        raise SystemExit(f"locust failed ({process.returncode}):\n{errors[-3000:]}")


def read_stats(out: str) -> tuple[list[dict], dict]:
    rows = list(csv.DictReader(open(f"{out}_stats.csv")))
    pages = [r for r in rows if r["Name"] != "Aggregated"]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return pages, total


def exceptions(out: str) -> list[str]:
    path = Path(f"{out}_exceptions.csv")
    if not path.exists():
        return []
    return [f"{r['Count']} x {r['Message'][:160]}" for r in csv.DictReader(open(path))]


def print_step(users: int, seconds: int, out: str, orders: int) -> tuple[bool, float, float]:
    pages, total = read_stats(out)
    print(f"\n{users} concurrent users, {seconds} s: {float(total['Requests/s']):.1f} requests/s, "
          f"{total['Request Count']} requests, {total['Failure Count']} failed, {orders} orders placed")
    print(f"{'page':<42} {'reqs':>6} {'fail':>5} {'req/s':>6} {'p50':>5} {'p95':>5} {'p99':>5}  (ms)")
    for r in sorted(pages, key=lambda r: -int(r["Request Count"])):
        print(f"{r['Type'] + ' ' + r['Name']:<42.42} {r['Request Count']:>6} {r['Failure Count']:>5} "
              f"{float(r['Requests/s']):>6.1f} {r['50%']:>5} {r['95%']:>5} {r['99%']:>5}")
    print(f"{'all':<42} {total['Request Count']:>6} {total['Failure Count']:>5} {float(total['Requests/s']):>6.1f} "
          f"{total['50%']:>5} {total['95%']:>5} {total['99%']:>5}")
    problems = exceptions(out)
    for line in problems:
        print(f"  exception: {line}")
    p99 = float(total["99%"] if total["99%"] != "N/A" else 0)
    ok = int(total["Failure Count"]) == 0 and not problems and p99 < GOAL_P99_MS
    print(f"goal (0 errors, p99 < {GOAL_P99_MS} ms): {'met' if ok else 'MISSED'}")
    return ok, float(total["Requests/s"]), p99


def print_memory(memory: dict[str, list[float | None]], now: dict[str, int], at_start: dict[str, int]) -> None:
    """RSS of each worker at the start, after the first minute (warmed up) and at the end."""
    print("\nresident memory (MB): start, after 1 min (warm), end; growth from the warm point")
    for name, pid in now.items():
        if at_start.get(name) != pid:
            print(f"  {name:<34} a new process {pid}: the one it replaced died")
            continue
        samples = [m for m in memory[name] if m is not None] + [rss_mb(pid)]
        warm = samples[1] if len(samples) > 2 else samples[0]
        print(f"  {name:<34} {samples[0]:.1f}, {warm:.1f}, {samples[-1]:.1f}  ({samples[-1] - warm:+.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", default=None, help="concurrent users per step, e.g. 10,20,40")
    parser.add_argument("--duration", type=int, default=None, help="seconds per step (soak: 600)")
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server (new stack)")
    parser.add_argument("--soak", action="store_true")
    parser.add_argument("--keep-stack", action="store_true", help="leave a stack this run started running")
    args = parser.parse_args()
    steps = [int(u) for u in (args.users or ("20" if args.soak else "10,20,40")).split(",")]
    seconds = args.duration or (600 if args.soak else 60)
    if args.soak:
        steps = steps[:1]
    os.environ["GUNICORN_MAX_REQUESTS"] = "0"

    stack, started = get_stack(args.workers)
    import psycopg

    try:
        with psycopg.connect(stack.database_url) as conn:
            start_stock = consistency.starting_stock(conn)
        load = os.getloadavg()
        print(f"[bench] machine: {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
              f"at the start (other work shares these cores)")
        results = []
        for users in steps:
            out = tempfile.mkdtemp(prefix="pasar-locust-") + "/run"
            with psycopg.connect(stack.database_url) as conn:
                before = consistency.summary(conn)["orders"]
            pids = worker_pids(stack)
            memory = {name: [rss_mb(pid)] for name, pid in pids.items()}  # one sample a minute
            connections = [pg_connections(stack)]
            last_sample = [time.monotonic()]

            def sample(last_sample=last_sample, connections=connections, memory=memory, pids=pids) -> None:
                if args.soak and time.monotonic() - last_sample[0] >= 60:
                    last_sample[0] = time.monotonic()
                    connections.append(pg_connections(stack))
                    for name, pid in pids.items():
                        memory[name].append(rss_mb(pid))
                    total = sum(m[-1] or 0 for m in memory.values())
                    print(f"[bench] {len(connections) - 1} min: {connections[-1]} PostgreSQL connections, "
                          f"workers' RSS {total:.0f} MB in all", flush=True)

            run_locust(stack, users, args.spawn_rate, seconds, out, during=sample)
            with psycopg.connect(stack.database_url) as conn:
                orders = consistency.summary(conn)["orders"] - before
            results.append((users, *print_step(users, seconds, out, orders)))
            shutil.rmtree(Path(out).parent, ignore_errors=True)
            connections.append(pg_connections(stack))
            if args.soak:
                print_memory(memory, worker_pids(stack), pids)
                print(f"PostgreSQL connections to {deploy_stack.DATABASE} each minute: {connections}")
        print("\nsteps (users: req/s, p99 ms, goal):")
        for users, ok, rps, p99 in results:
            print(f"  {users:>4} users: {rps:7.1f} req/s  p99 {p99:6.0f} ms  {'met' if ok else 'missed'}")
        held = [r for r in results if r[1]]
        if held:
            best = max(held, key=lambda r: r[2])
            print(f"highest load meeting the goals: {best[0]} concurrent users, {best[2]:.1f} requests/s")
        else:
            print("no step met the goals")
        with psycopg.connect(stack.database_url) as conn:
            problems = consistency.check(conn, start_stock)
            print(f"consistency after the load: {'consistent' if not problems else problems}")
            print(f"totals: {consistency.summary(conn)}")
    finally:
        if started and not args.keep_stack:
            deploy_stack.down(stack)


if __name__ == "__main__":
    main()
