"""The benchmark data set in the stack's database (``deploy/stack.py up --bench-data``).

The catalog of ``bench/catalog.py`` (1,000 sellers, 20,000 products in 8 categories, one variant and one
photo each; ``small``: 10 sellers, 200 products, for the CI lane), plus what the mixed load needs to sign in and buy: every bench seller and ``CUSTOMERS``
customers get the password ``PASSWORD``, every variant ``STOCK`` units, and the 50 photo keys the
catalog points at are real WebP files in the stack's bucket (so nginx serves real pictures).
"""
from __future__ import annotations

import io
import time

SELLER_EMAIL = "seller{n}@bench.example.com"  # n = 1 .. 1,000 (bench/catalog.py)
CUSTOMER_EMAIL = "customer{n}@bench.example.com"  # n = 1 .. CUSTOMERS (20 with the small set)
CUSTOMERS = 300
PASSWORD = "bench-password-2026"
STOCK = 1_000


SIZES = {"bench": (1_000, 20_000, CUSTOMERS), "small": (10, 200, 20)}  # sellers, products, customers


def load(stack, size: str = "bench") -> None:
    from argon2 import PasswordHasher
    from sqlalchemy import create_engine, text

    from bench import catalog

    url = stack.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    started = time.perf_counter()
    sellers, products, customers = SIZES[size]
    catalog.build_schema_and_load(url, sellers=sellers, products=products, migrate=False)  # flask db upgrade ran
    password_hash = PasswordHasher().hash(PASSWORD)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE users SET password_hash = :h, email_verified_at = now() "
                          "WHERE email LIKE '%@bench.example.com'"), {"h": password_hash})
        conn.execute(text(
            "INSERT INTO users (email, password_hash, name, role, locale, session_version, email_verified_at, "
            "created_at) SELECT 'customer' || g || '@bench.example.com', :h, 'Pembeli ' || g, 'customer', 'id', 1, now(), "
            "now() FROM generate_series(1, :n) g"), {"h": password_hash, "n": customers})
        # Program staff confirm the bank transfers into the program's account (the stack journeys do).
        conn.execute(text(
            "INSERT INTO users (email, password_hash, name, role, locale, program_id, session_version, "
            "email_verified_at, created_at) SELECT 'staff@bench.example.com', :h, 'Staf Bench', 'staff', 'id', "
            "(SELECT min(id) FROM programs), 1, now(), now()"), {"h": password_hash})
        conn.execute(text("UPDATE variants SET stock = :s"), {"s": STOCK})
    engine.dispose()
    upload_photos(stack)
    print(f"[stack] bench data: {products} products, {sellers} sellers, {customers} customers "
          f"in {time.perf_counter() - started:.0f} s", flush=True)


def upload_photos(stack) -> None:
    import boto3
    from PIL import Image

    from marketplace.catalog.images import THUMB_WIDTHS, thumb_key

    s3 = boto3.client("s3", endpoint_url=stack.s3_endpoint, region_name="us-east-1",
                      aws_access_key_id="stack", aws_secret_access_key="stack")
    for n in range(50):
        buffer = io.BytesIO()
        Image.new("RGB", (320, 320), ((n * 47) % 256, (n * 89) % 256, (n * 131) % 256)).save(buffer, "WEBP")
        key = f"photos/bench-{n}.webp"
        for name in [key] + [thumb_key(key, w) for w in THUMB_WIDTHS]:
            s3.put_object(Bucket="pasar-photos", Key=name, Body=buffer.getvalue(), ContentType="image/webp",
                          CacheControl="public, max-age=31536000, immutable")
