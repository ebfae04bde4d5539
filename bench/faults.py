"""Faults under a checkout load: ``make bench-faults``.

    .venv/bin/python bench/faults.py [--shoppers 4] [--redis-outage 30] [--only kill,postgres,redis,moto]

Against the stack with the benchmark data set (started by this script unless one is running with it;
``deploy/stack.py``: the database and Redis are the stack's private ones, so restarting them harms nobody
else on the machine), customers keep buying by bank transfer through nginx while, one after the other:

1. ``kill -9`` of a gunicorn worker of app server 1 (its master starts another);
2. a restart of the stack's PostgreSQL cluster (``pg_ctl restart -m fast``: connections are cut);
3. Redis stopped for 30 seconds (sign-ins go on meanwhile; mail waits in the outbox, then goes out);
4. moto (the photo bucket) stopped while a seller uploads photos.

Every request of the load is reported: succeeded, succeeded when tried again (and what the first try
answered), or failed (with what the page said). Placing an order is tried again with the same form, so
with the same idempotency key: a retry never makes a second order. After each fault the consistency
check runs (deploy/consistency.py: every order has its parts, lines and payment; stock + units held by
live orders = the starting stock of every variant; no ledger entry without its part), and every order a
customer was shown must be in the database: 0 lost or half-written orders, or the script exits 1.
"""
from __future__ import annotations

import argparse
import collections
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.data import PASSWORD, upload_photos  # noqa: E402
from deploy import consistency  # noqa: E402
from deploy import stack as deploy_stack
from deploy.webclient import ADDRESS, JourneyError, Visitor, forms, product_paths, what_it_said  # noqa: E402

PNG = None


def png() -> bytes:
    global PNG
    if PNG is None:
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (96, 64), (30, 120, 200)).save(buffer, "PNG")
        PNG = buffer.getvalue()
    return PNG


class Log:
    """Every step of every request of the load, by outcome."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.events: list[tuple[str, str, str]] = []  # (what, outcome, detail)
        self.orders_shown: list[str] = []

    def add(self, what: str, outcome: str, detail: str = "") -> None:
        with self.lock:
            self.events.append((what, outcome, detail))

    def report(self) -> list[str]:
        lines = []
        by_step: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        details: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
        for what, outcome, detail in self.events:
            by_step[what][outcome] += 1
            if detail:
                details[(what, outcome)][detail] += 1
        for what, counts in by_step.items():
            lines.append(f"    {what:<22} " + ", ".join(f"{n} {outcome}" for outcome, n in counts.most_common()))
            for outcome in ("retried", "failed"):
                for detail, n in details[(what, outcome)].most_common(3):
                    lines.append(f"      {outcome}: {n} x {detail}")
        return lines


def describe(exc: Exception) -> str:
    if isinstance(exc, JourneyError):
        response = exc.response
        return f"{response.status_code} {what_it_said(response)!r}" if response is not None else str(exc)
    return f"{type(exc).__name__}: {str(exc)[:120]}"


def attempt(log: Log, what: str, action):
    """Run a step; when it fails, once more after a second. Returns its value or raises."""
    try:
        value = action()
    except (JourneyError, requests.RequestException) as first:
        # As a browser user would: a moment later, or when a 503 says (at most 5 s).
        response = getattr(first, "response", None)
        retry_after = response.headers.get("Retry-After", "") if response is not None else ""
        time.sleep(min(int(retry_after), 5) if retry_after.isdigit() else 1)
        try:
            value = action()
        except (JourneyError, requests.RequestException) as second:
            log.add(what, "failed", describe(second))
            raise
        log.add(what, "retried", describe(first))
        return value
    log.add(what, "succeeded")
    return value


class Shopper(threading.Thread):
    """A signed-in customer who buys one to three products at a time, over and over."""

    def __init__(self, stack, n: int, products: list[str], log: Log, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.stack, self.n, self.products, self.log, self.stop = stack, n, products, log, stop

    def run(self) -> None:
        visitor = Visitor(requests.Session(), [self.stack.url])
        visitor.session.request = _with_timeout(visitor.session.request)
        while not self.stop.is_set():
            try:
                attempt(self.log, "sign in", lambda: visitor.sign_in(f"customer{self.n}@bench.example.com",
                                                                     PASSWORD))
                break
            except Exception:
                time.sleep(1)
        while not self.stop.is_set():
            try:
                self.purchase(visitor)
            except Exception:  # noted by attempt(); start the next purchase from the cart
                time.sleep(0.5)

    def purchase(self, visitor: Visitor) -> None:
        for path in random.sample(self.products, random.randint(1, 3)):
            attempt(self.log, "add to cart", lambda p=path: visitor.add_to_cart(p, quantity=random.randint(1, 2)))
        page = attempt(self.log, "checkout page", lambda: visitor.get("/checkout"))
        form = visitor.form(page, lambda f: "postal_code" in f.fields or "postal_code" in f.choices)
        attempt(self.log, "address and delivery",
                lambda: visitor.post("/checkout", form.values(**ADDRESS, payment_method="bank_transfer")))
        review = attempt(self.log, "review page", lambda: visitor.get("/checkout/review"))
        place = visitor.form(review, lambda f: f.action.endswith("/checkout/review"))
        values = place.values()  # the same idempotency key on a retry: one order however often it is sent
        placed = attempt(self.log, "place the order", lambda: visitor.post("/checkout/review", values))
        match = re.search(r"/pay/([^/?#]+)", placed.headers.get("Location", ""))
        if match:
            with self.log.lock:
                self.log.orders_shown.append(match.group(1))
        else:
            self.log.add("place the order", "failed", f"led to {placed.headers.get('Location')!r}")


class SignIns(threading.Thread):
    """A new visitor signs in every second (the Redis outage: rate limits fall back to memory)."""

    def __init__(self, stack, log: Log, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.stack, self.log, self.stop = stack, log, stop

    def run(self) -> None:
        n = 200
        while not self.stop.is_set():
            visitor = Visitor(requests.Session(), [self.stack.url])
            n = n + 1 if n < 300 else 200
            try:
                attempt(self.log, "sign in (new visitor)",
                        lambda v=visitor, e=f"customer{n}@bench.example.com": v.sign_in(e, PASSWORD))
            except Exception:
                pass
            time.sleep(1)


class Uploader(threading.Thread):
    """A seller adding photos to one product (removing them again to stay under the limit)."""

    def __init__(self, stack, log: Log, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.stack, self.log, self.stop = stack, log, stop
        self.stored_keys: list[str] = []

    def run(self) -> None:
        visitor = Visitor(requests.Session(), [self.stack.url])
        visitor.sign_in("seller7@bench.example.com", PASSWORD)
        dashboard = visitor.get("/seller/")
        product_id = re.search(r'href="/seller/products/(\d+)"', dashboard.text).group(1)
        while not self.stop.is_set():
            try:
                edit = visitor.get(f"/seller/products/{product_id}")
                before = photo_keys(edit.text)
                form = visitor.form(edit, lambda f: f.action.endswith("/photos"))
                response = visitor.post(form.action, form.values(), expect=(),
                                        files={"photos": ("foto.png", png(), "image/png")})
                if response.status_code in (302, 303):
                    after = visitor.get(f"/seller/products/{product_id}")
                    self.stored_keys += sorted(photo_keys(after.text) - before)
                    self.log.add("photo upload", "succeeded")
                    for delete in [f for f in forms(after.text)
                                   if "/photos/" in f.action and f.action.endswith("/delete")][:-1]:
                        visitor.post(delete.action, delete.values(), expect=())
                else:
                    self.log.add("photo upload", "failed", f"{response.status_code} {what_it_said(response)!r}")
            except (JourneyError, requests.RequestException) as exc:
                self.log.add("photo upload", "failed", describe(exc))
            time.sleep(0.5)


def photo_keys(html: str) -> set[str]:
    """Stored photo keys on a page (thumbnails name their original: photos/<hash>-w320.webp)."""
    return {f"{base}.webp" for base in re.findall(r"/media/(photos/[0-9a-f]{40})(?:-w\d+)?\.webp", html)}


def _with_timeout(request):
    def timed(method, url, **kwargs):
        kwargs.setdefault("timeout", 30)
        return request(method, url, **kwargs)
    return timed


def shop_products(stack) -> list[str]:
    visitor = Visitor(requests.Session(), [stack.url])
    paths: list[str] = []
    for n in range(1, 9):
        paths += product_paths(visitor.get(f"/kategori/kategori-{n}").text)
    return paths


def app_workers(stack, n: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(stack.pid(f"app{n}"))], capture_output=True, text=True).stdout
    return sorted(int(pid) for pid in out.split())


def wait_until(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except Exception:
            pass
        time.sleep(0.5)
    return False


# The faults ---------------------------------------------------------------------------------------


def fault_kill(stack, note) -> None:
    victim = random.choice(app_workers(stack, 1))
    os.kill(victim, signal.SIGKILL)
    note(f"kill -9 of gunicorn worker {victim} of app server 1")
    recovered = wait_until(lambda: len(app_workers(stack, 1)) == stack.state["workers"]
                           and victim not in app_workers(stack, 1), 60)
    note(f"app server 1 back to {len(app_workers(stack, 1))} workers: {recovered}")


def fault_postgres(stack, note) -> None:
    started = time.monotonic()
    stack.restart_postgres()
    note(f"PostgreSQL (the stack's private cluster) restarted in {time.monotonic() - started:.1f} s")


def fault_redis(stack, note, outage: int) -> None:
    stack.stop("redis")
    note(f"Redis stopped for {outage} s")
    time.sleep(outage)
    stack.start("redis")
    note("Redis started again")


def fault_moto(stack, note, seconds: int = 10) -> None:
    stack.stop("moto")
    note(f"moto (the photo bucket) stopped for {seconds} s during uploads")
    time.sleep(seconds)


SCENARIOS = ("kill", "postgres", "redis", "moto")


def run_scenario(name: str, stack, products: list[str], args, start_stock: dict) -> bool:
    import psycopg

    print(f"\n=== {name} ===", flush=True)
    log, stop = Log(), threading.Event()
    notes: list[str] = []

    def note(text: str) -> None:
        notes.append(text)
        print(f"  [{time.strftime('%H:%M:%S')}] {text}", flush=True)

    customers = random.sample(range(1, 150), args.shoppers)
    threads: list[threading.Thread] = [Shopper(stack, n, products, log, stop) for n in customers]
    if name == "redis":
        threads.append(SignIns(stack, log, stop))
    uploader = Uploader(stack, log, stop) if name == "moto" else None
    if uploader:
        threads.append(uploader)
    with psycopg.connect(stack.database_url) as conn:
        photo_keys_before = {k for (k,) in conn.execute("SELECT key FROM product_photos")}
        waiting_before = conn.execute("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL").fetchone()[0]
    for thread in threads:
        thread.start()
    time.sleep(args.warmup)
    uploads_before_fault = len(uploader.stored_keys) if uploader else 0
    if name == "kill":
        fault_kill(stack, note)
    elif name == "postgres":
        fault_postgres(stack, note)
    elif name == "redis":
        fault_redis(stack, note, args.redis_outage)
    elif name == "moto":
        fault_moto(stack, note)
    time.sleep(args.after)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    ok = True
    print("  what happened to each request:")
    for line in log.report():
        print(line)
    with psycopg.connect(stack.database_url) as conn:
        problems = consistency.check(conn, start_stock)
        in_db = {pid for (pid,) in conn.execute("SELECT public_id FROM orders WHERE public_id = ANY(%s)",
                                                (log.orders_shown,))}
        lost = sorted(set(log.orders_shown) - in_db)
        print(f"  orders shown to customers: {len(log.orders_shown)}; lost (shown, not in the database): {len(lost)}")
        print(f"  consistency check: {'consistent' if not problems else problems}")
        ok = ok and not problems and not lost
        if name == "redis":
            # The mail written while Redis was away goes out once it is back (the worker queues it).
            sent = wait_until(lambda: conn.execute(
                "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL AND error LIKE 'waiting for the mail queue%'"
            ).fetchone()[0] == 0, 90)
            waited = conn.execute("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL").fetchone()[0]
            print(f"  mail that waited in the outbox during the outage: all sent after Redis returned: {sent} "
                  f"(unsent now: {waited}, before the scenario: {waiting_before})")
            ok = ok and sent
        if name == "moto" and uploader:
            new_keys = {k for (k,) in conn.execute("SELECT key FROM product_photos")} - photo_keys_before
            orphans = sorted(new_keys - set(uploader.stored_keys))
            print(f"  photos stored before the fault: {uploads_before_fault}; photo rows without a successful "
                  f"upload (orphans): {len(orphans)}")
            ok = ok and not orphans
    if name == "moto":
        stack.start("moto")  # a new, empty moto: put the benchmark photos back
        upload_photos(stack)
        note("moto started again (empty: moto keeps objects in memory) and the benchmark photos put back")
    print(f"  => {'PASS' if ok else 'FAIL'}", flush=True)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shoppers", type=int, default=4, help="customers buying at the same time")
    parser.add_argument("--warmup", type=int, default=8, help="seconds of load before each fault")
    parser.add_argument("--after", type=int, default=12, help="seconds of load after each fault")
    parser.add_argument("--redis-outage", type=int, default=30)
    parser.add_argument("--only", default=",".join(SCENARIOS))
    parser.add_argument("--keep-stack", action="store_true")
    args = parser.parse_args()
    import psycopg

    from bench.load import BENCH_LOGIN_LIMIT, get_stack

    stack, started = get_stack(2)
    try:
        if stack.state.get("login_limit") != BENCH_LOGIN_LIMIT:
            print(f"[faults] note: the stack's sign-in limit is {stack.state.get('login_limit')}")
        with psycopg.connect(stack.database_url) as conn:
            start_stock = consistency.starting_stock(conn)
        products = shop_products(stack)
        load = os.getloadavg()
        print(f"[faults] machine: {os.cpu_count()} cores, load average {load[0]:.1f} (shared with other work); "
              f"{args.shoppers} customers buying through nginx at {stack.url}")
        results = {name: run_scenario(name, stack, products, args, start_stock)
                   for name in args.only.split(",") if name in SCENARIOS}
        with psycopg.connect(stack.database_url) as conn:
            print(f"\ntotals: {consistency.summary(conn)}")
        print("results: " + ", ".join(f"{name} {'PASS' if ok else 'FAIL'}" for name, ok in results.items()))
        sys.exit(0 if all(results.values()) else 1)
    finally:
        if started and not args.keep_stack:
            deploy_stack.down(stack)


if __name__ == "__main__":
    main()
