"""The mixed load of ``make bench-load`` / ``make bench-soak`` (run by bench/load.py; Locust, headless).

Against nginx in front of the stack with the benchmark data set (bench/data.py):
- guests (6 in 10) open the home page, category pages (first pages and deep ones), searches, storefronts
  and product pages, following the links the pages show;
- customers (3 in 10) sign in once, browse, put one to three products in the cart and check out by bank
  transfer (each customer is a different account: carts never clash);
- sellers (1 in 10) sign in once and open their dashboard, orders and earnings.
Statistics are grouped by page (``name=``), so /toko/<shop>/<product> is one line.
"""
from __future__ import annotations

import itertools
import random
import sys
from pathlib import Path

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.data import CUSTOMERS, PASSWORD  # noqa: E402
from deploy.webclient import Visitor, product_paths  # noqa: E402

WORDS = ["batik", "kopi", "keripik", "anyaman", "tas", "kain", "madu", "bambu", "rotan", "sambal", "kaos arabika",
         "gula aren", "coffee", "basket"]
CATEGORIES = [f"kategori-{n}" for n in range(1, 9)]
_customers = itertools.count(1)
_sellers = itertools.count(1)
ORDERS: list[str] = []  # public ids of the orders this run placed


class Browsing:
    """Guest behaviour shared by every kind of visitor."""

    visitor: Visitor
    seen: list[str]

    def remember(self, response) -> None:
        if response.status_code == 200:
            found = product_paths(response.text)
            if found:
                self.seen = (found + self.seen)[:60]

    def home(self) -> None:
        self.remember(self.visitor.get("/", name="/"))

    def category(self) -> None:
        page = random.choice([1, 1, 1, 2, 3, random.randint(4, 100)])
        path = f"/kategori/{random.choice(CATEGORIES)}" + (f"?page={page}" if page > 1 else "")
        self.remember(self.visitor.get(path, name="/kategori/[slug]" + ("?page=N" if page > 1 else "")))

    def search(self) -> None:
        query = random.choice(WORDS)
        sort = random.choice(["", "", "&sort=price_asc", "&sort=newest"])
        self.remember(self.visitor.get(f"/cari?q={query}{sort}", name="/cari?q=[words]"))

    def product(self) -> None:
        if not self.seen:
            self.category()
            return
        path = random.choice(self.seen)
        self.visitor.get(path, name="/toko/[shop]/[product]")
        if random.random() < 0.2:
            self.remember(self.visitor.get(path.rsplit("/", 1)[0], name="/toko/[shop]"))


class Guest(Browsing, HttpUser):
    weight = 6
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.visitor = Visitor(self.client, [self.host])
        self.seen = []

    @task(3)
    def browse_home(self):
        self.home()

    @task(4)
    def browse_category(self):
        self.category()

    @task(3)
    def browse_search(self):
        self.search()

    @task(6)
    def open_product(self):
        self.product()


class Customer(Browsing, HttpUser):
    weight = 3
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.visitor = Visitor(self.client, [self.host])
        self.seen = []
        self.email = f"customer{(next(_customers) - 1) % CUSTOMERS + 1}@bench.example.com"
        self.visitor.sign_in(self.email, PASSWORD)

    @task(3)
    def browse(self):
        random.choice([self.home, self.category, self.search])()

    @task(3)
    def open_product(self):
        self.product()

    @task(2)
    def buy(self):
        if not self.seen:
            self.category()
        for path in random.sample(self.seen, min(len(self.seen), random.randint(1, 3))):
            self.visitor.add_to_cart(path, quantity=random.randint(1, 2))
        ORDERS.append(self.visitor.check_out_by_bank_transfer())
        self.visitor.get("/orders", name="/orders")


class Seller(HttpUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self) -> None:
        self.visitor = Visitor(self.client, [self.host])
        self.visitor.sign_in(f"seller{next(_sellers)}@bench.example.com", PASSWORD)

    @task(3)
    def dashboard(self):
        self.visitor.get("/seller/", name="/seller/")

    @task(2)
    def orders(self):
        self.visitor.get("/seller/orders", name="/seller/orders")

    @task(1)
    def earnings(self):
        self.visitor.get("/seller/earnings", name="/seller/earnings")


@events.quitting.add_listener
def _report_orders(environment, **_):
    out = environment.parsed_options.csv_prefix if environment.parsed_options else None
    if out:
        Path(f"{out}_orders.txt").write_text("\n".join(ORDERS))
