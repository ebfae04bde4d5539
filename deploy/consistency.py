"""Consistency of orders, payments, ledger and stock in a PostgreSQL database, checked in SQL.

    .venv/bin/python deploy/consistency.py postgresql://.../pasar_stack [--starting-stock stock.json]

Used after every fault of ``make bench-faults``, after a restore (``tests/stack/test_backup.py``), and
usable on production after an incident. Each check names what it found; none means consistent:

- every order has at least one part, every part at least one line, every order exactly one payment;
- a part's items equal the sum of its lines, its total is items + delivery; an order's totals are the sum
  of its parts' and its payment asks for exactly that amount;
- every sale, commission, cash or refund ledger entry belongs to a part (a payout entry to a payout),
  and a part has a sale entry exactly when it was paid;
- stock: with the stock of every variant recorded before the load (``starting_stock``), stock left +
  units held by live parts (awaiting payment, paid, in delivery or completed) equals the start, for every
  variant. Cancelled and refunded parts gave their units back.
"""
from __future__ import annotations

import json
import sys

LIVE_PART = "('awaiting_payment', 'paid', 'packed', 'shipped', 'delivered', 'completed')"
PAID_PART = "('paid', 'packed', 'shipped', 'delivered', 'completed', 'refunded')"

CHECKS = {
    "orders without parts":
        "SELECT o.public_id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_parts p WHERE p.order_id = o.id)",
    "parts without lines":
        "SELECT p.id FROM order_parts p WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.part_id = p.id)",
    "orders without exactly one payment":
        "SELECT o.public_id FROM orders o WHERE (SELECT count(*) FROM payments y WHERE y.order_id = o.id) <> 1",
    "parts whose items differ from their lines":
        "SELECT p.id FROM order_parts p WHERE p.items_idr <> "
        "(SELECT coalesce(sum(l.line_total_idr), 0) FROM order_lines l WHERE l.part_id = p.id) "
        "OR p.total_idr <> p.items_idr + p.delivery_idr",
    "lines whose total is not price x quantity":
        "SELECT l.id FROM order_lines l WHERE l.line_total_idr <> l.unit_price_idr * l.quantity",
    "orders whose totals differ from their parts":
        "SELECT o.public_id FROM orders o JOIN (SELECT order_id, sum(items_idr) i, sum(delivery_idr) d, "
        "sum(total_idr) t FROM order_parts GROUP BY order_id) s ON s.order_id = o.id "
        "WHERE (o.items_idr, o.delivery_idr, o.total_idr) <> (s.i, s.d, s.t)",
    "payments asking another amount than their order":
        "SELECT o.public_id FROM orders o JOIN payments y ON y.order_id = o.id WHERE y.amount_idr <> o.total_idr",
    "ledger entries without their part or payout":
        "SELECT e.id FROM ledger_entries e WHERE (e.kind = 'payout' AND e.payout_id IS NULL) "
        "OR (e.kind <> 'payout' AND e.order_part_id IS NULL)",
    "paid parts without a sale entry":
        f"SELECT p.id FROM order_parts p WHERE p.status IN {PAID_PART} AND NOT EXISTS "
        "(SELECT 1 FROM ledger_entries e WHERE e.order_part_id = p.id AND e.kind = 'sale')",
    "sale entries of parts never paid":
        f"SELECT e.id FROM ledger_entries e JOIN order_parts p ON p.id = e.order_part_id "
        f"WHERE e.kind = 'sale' AND p.status NOT IN {PAID_PART} AND p.paid_at IS NULL",
    "negative stock":
        "SELECT v.id FROM variants v WHERE v.stock < 0",
}


def starting_stock(conn) -> dict[int, int]:
    """What each variant holds now plus what live parts hold: the stock before any of those orders."""
    return {vid: stock for vid, stock in conn.execute(
        "SELECT v.id, v.stock + coalesce((SELECT sum(l.quantity) FROM order_lines l JOIN order_parts p "
        f"ON p.id = l.part_id WHERE l.variant_id = v.id AND p.status IN {LIVE_PART}), 0) FROM variants v")}


def check(conn, start: dict[int, int] | None = None) -> dict[str, list]:
    """Problems found, by check (empty when consistent). ``conn`` is a psycopg connection."""
    problems = {}
    for name, sql in CHECKS.items():
        rows = [r[0] for r in conn.execute(sql + " LIMIT 20")]
        if rows:
            problems[name] = rows
    if start is not None:
        now = starting_stock(conn)
        changed = [f"variant {vid}: started {start[vid]}, now stock + held = {now.get(vid)}"
                   for vid in sorted(start) if now.get(vid) != start[vid]]
        if changed:
            problems["stock not conserved (stock + held by live parts != starting stock)"] = changed[:20]
    return problems


def summary(conn) -> dict[str, int]:
    row = conn.execute(
        "SELECT (SELECT count(*) FROM orders), (SELECT coalesce(sum(total_idr), 0) FROM orders), "
        "(SELECT count(*) FROM order_parts), (SELECT count(*) FROM order_lines), (SELECT count(*) FROM payments), "
        "(SELECT count(*) FROM ledger_entries), (SELECT coalesce(sum(amount_idr), 0) FROM ledger_entries), "
        "(SELECT coalesce(sum(stock), 0) FROM variants)").fetchone()
    return dict(zip(("orders", "orders_total_idr", "parts", "lines", "payments", "ledger_entries",
                     "ledger_total_idr", "stock_units"), (int(v) for v in row), strict=True))


def main() -> None:
    import psycopg

    from deploy.backup import libpq_url

    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    start = None
    if "--starting-stock" in sys.argv:
        raw = json.loads(open(sys.argv[sys.argv.index("--starting-stock") + 1]).read())
        start = {int(k): v for k, v in raw.items()}
    with psycopg.connect(libpq_url(sys.argv[1])) as conn:
        problems = check(conn, start)
        print(json.dumps(summary(conn)))
    for name, rows in problems.items():
        print(f"{name}: {rows}")
    print("consistent" if not problems else f"{len(problems)} kinds of problem")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
