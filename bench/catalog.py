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

import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import pages  # noqa: E402  (gunicorn, wrk, CPU time and the measuring loop, shared with bench/jobs.py)

BENCH_DB = "pasar_bench"
SELLERS = 1_000
PRODUCTS = 20_000
GOALS = {"catalog": 0.5, "product": 0.5, "search": 0.3}

WORDS = ["batik", "kopi", "keripik", "anyaman", "kebaya", "kaos", "tas", "kain", "tulis", "cap", "arabika",
         "robusta", "pisang", "bambu", "rotan", "sablon", "seragam", "kue", "sambal", "madu", "gula", "aren",
         "handmade", "cotton", "coffee", "snack", "basket", "shirt", "bag", "honey"]
CITIES = ["Banyuwangi", "Genteng", "Rogojampi", "Srono", "Jember", "Situbondo", "Bondowoso", "Malang"]


def create_database(admin_url: str) -> str:
    return pages.create_database(admin_url, BENCH_DB)


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
        pages.bulk_load(db.engine, statements, rebuild_search_index)
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


def main() -> None:
    parser = pages.arguments(__doc__)
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
    failed = pages.measure_pages(db_url, BENCH_DB, PAGES, GOALS, args, cache, PG_ADMIN_URL)
    return failed and cache  # the goals apply to the configuration that runs in production


if __name__ == "__main__":
    main()
