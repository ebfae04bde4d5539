"""Backup and restore (deploy/backup.py): a dump taken while customers buy and staff confirm bank
transfers restores into a new database with exactly the rows, amounts and stock its manifest recorded;
the restored orders, payments, ledger and stock are consistent; the manifest lists the photo bucket."""
from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
import time

import psycopg
import pytest

from deploy import backup, consistency
from deploy.stack import ROOT
from deploy.webclient import product_paths

pytestmark = pytest.mark.stack


def test_a_backup_taken_under_load_restores_with_the_same_orders_ledger_and_stock(stack, visitor, tmp_path):
    seller = visitor()
    seller.sign_in("seller2@bench.example.com")
    shop = seller.get(f"/toko/{seller.shop_slug()}")
    products = product_paths(shop.text)
    with psycopg.connect(stack.database_url) as conn:
        start = consistency.starting_stock(conn)

    stop, placed, confirmed, failures = threading.Event(), [], [], []

    def customer(n: int) -> None:
        try:
            buyer = visitor()
            buyer.sign_in(f"customer{n}@bench.example.com")
            while not stop.is_set():
                buyer.add_to_cart(random.choice(products), quantity=random.randint(1, 3))
                placed.append(buyer.check_out_by_bank_transfer())
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            failures.append(repr(exc))

    staff = visitor()
    staff.sign_in("staff@bench.example.com")  # program staff confirm transfers into the program's account

    def confirmer() -> None:
        try:
            while not stop.is_set():
                confirmed.append(staff.confirm_bank_transfers())
                time.sleep(0.2)
        except Exception as exc:
            failures.append(repr(exc))

    threads = [threading.Thread(target=customer, args=(n,)) for n in (3, 4, 5)] + [threading.Thread(target=confirmer)]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 60
        while (len(placed) < 4 or sum(confirmed) < 2) and time.monotonic() < deadline and not failures:
            time.sleep(0.2)
        dumped = subprocess.run([sys.executable, "deploy/backup.py", "dump", "--out", str(tmp_path)], cwd=ROOT,
                                env=stack.env(), capture_output=True, text=True, timeout=120)
        placed_at_dump = len(placed)
        time.sleep(1)  # the load goes on after the dump
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not failures, failures
    assert dumped.returncode == 0, dumped.stderr
    dump_file = next(tmp_path.glob("pasar-*.dump"))
    manifest = json.loads(dump_file.with_name(dump_file.name + ".json").read_text())

    restored_url = stack.admin_database_url("pasar_restored")
    subprocess.run([sys.executable, "deploy/backup.py", "restore", str(dump_file), "--into", restored_url],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    assert backup.verify(dump_file, restored_url) == []  # every table's rows, every amount, stock, quantity

    with psycopg.connect(restored_url) as conn:
        restored = consistency.summary(conn)
        assert consistency.check(conn, start) == {}
    with psycopg.connect(stack.database_url) as conn:
        live = consistency.summary(conn)
    # Taken under load: orders and ledger entries were in it, and more orders came after it.
    assert restored["orders"] >= 4 and restored["ledger_entries"] >= 2
    assert manifest["rows"]["orders"] == restored["orders"] and placed_at_dump >= 4
    assert live["orders"] > restored["orders"]
    assert manifest["sums"]["ledger_entries.amount_idr"] == restored["ledger_total_idr"] > 0
    assert manifest["sums"]["variants.stock"] == restored["stock_units"]

    photos = manifest["photos"]
    assert photos["bucket"] == "pasar-photos"
    assert "photos/bench-0.webp" in {o["key"] for o in photos["objects"]}
    assert photos["missing_from_bucket"] == [] and "photos/bench-0.webp" in photos["keys_in_database"]
