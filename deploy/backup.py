"""Backups of Pasar Bangkit: a consistent pg_dump with a manifest, and its restore.

    .venv/bin/python deploy/backup.py dump [--out backups/]        # DATABASE_URL and S3_* from the environment
    .venv/bin/python deploy/backup.py restore backups/pasar-<stamp>.dump --into postgresql://.../pasar_restored
    .venv/bin/python deploy/backup.py verify backups/pasar-<stamp>.dump --against postgresql://.../pasar_restored

``dump`` opens one REPEATABLE READ transaction, exports its snapshot, counts and sums what matters in it
(rows of every table; every ``*_idr`` amount, stock and quantity column), and runs ``pg_dump
--snapshot`` on that same snapshot, so the figures in the manifest are exactly those of the dump even
while customers keep buying. The site keeps running: pg_dump takes no lock that blocks reads or writes
of rows. The manifest (``<dump>.json``) also lists every object in the photo bucket (key, size, ETag)
and the photo keys the database refers to, with any that the bucket lacks.

``restore`` creates the target database (it must not exist) and runs ``pg_restore`` into it; ``verify``
recomputes the figures there and compares them with the manifest (exit status 1 on any difference).
Photos are not copied: the bucket keeps every version by its content hash, and the manifest says which
keys the restored database needs (deploy/README.md: back up the bucket with its own versioning or
``aws s3 sync``).
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Columns whose sums must survive a backup unchanged: money, stock, quantities.
SUMMED = "column_name LIKE '%\\_idr' OR column_name IN ('stock', 'quantity')"


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else (shutil.which(name) or name)


def libpq_url(url: str) -> str:
    """postgresql+psycopg://... (SQLAlchemy) or postgres://... -> postgresql://... (libpq, pg_dump)."""
    for prefix in ("postgresql+psycopg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix):]
    return url


def figures(conn) -> dict:
    """Row counts of every table and sums of every money, stock and quantity column, in ``conn``'s
    snapshot. Generic on purpose: a table added or renamed tomorrow is covered without editing this."""
    tables = [r[0] for r in conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name")]
    columns = conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
        f"AND data_type IN ('integer', 'bigint', 'smallint', 'numeric') AND ({SUMMED}) "
        "ORDER BY table_name, column_name").fetchall()
    counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    sums = {f"{t}.{c}": int(conn.execute(f'SELECT coalesce(sum("{c}"), 0) FROM "{t}"').fetchone()[0])
            for t, c in columns if t in counts}
    return {"rows": counts, "sums": sums}


def photo_keys_in_database(conn) -> list[str]:
    exists = conn.execute("SELECT to_regclass('public.product_photos')").fetchone()[0]
    return [r[0] for r in conn.execute("SELECT key FROM product_photos ORDER BY key")] if exists else []


def bucket_listing() -> list[dict] | None:
    bucket = os.environ.get("S3_BUCKET")
    if not bucket:
        return None
    import boto3

    s3 = boto3.client("s3", endpoint_url=os.environ.get("S3_ENDPOINT_URL") or None,
                      region_name=os.environ.get("S3_REGION") or "us-east-1",
                      aws_access_key_id=os.environ.get("S3_ACCESS_KEY_ID") or None,
                      aws_secret_access_key=os.environ.get("S3_SECRET_ACCESS_KEY") or None)
    objects = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        objects += [{"key": o["Key"], "size": o["Size"], "etag": o["ETag"].strip('"')}
                    for o in page.get("Contents", [])]
    return objects


def dump(database_url: str, out_dir: Path) -> Path:
    import psycopg

    url = libpq_url(database_url)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = out_dir / f"pasar-{stamp}.dump"
    started = time.monotonic()
    with psycopg.connect(url) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        # pg_dump reads the very snapshot this transaction sees, while the transaction stays open.
        process = subprocess.Popen([_pg_bin("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                                    f"--snapshot={snapshot}", f"--file={target}", f"--dbname={url}"])
        numbers = figures(conn)
        keys = photo_keys_in_database(conn)
        revision = None
        if conn.execute("SELECT to_regclass('public.alembic_version')").fetchone()[0]:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        if process.wait() != 0:
            target.unlink(missing_ok=True)
            raise SystemExit("pg_dump failed")
    listing = bucket_listing()
    in_bucket = {o["key"] for o in listing} if listing is not None else None
    manifest = {
        "dump": target.name,
        "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
        "bytes": target.stat().st_size,
        "created_at": stamp,
        "database": urlsplit(url).path.lstrip("/"),
        "alembic_revision": revision,
        "seconds": round(time.monotonic() - started, 2),
        **numbers,
        "photos": {
            "bucket": os.environ.get("S3_BUCKET"),
            "objects": listing,
            "keys_in_database": keys,
            "missing_from_bucket": sorted(set(keys) - in_bucket) if in_bucket is not None else None,
        },
    }
    Path(f"{target}.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return target


def restore(dump_file: Path, into_url: str) -> None:
    import psycopg

    manifest = json.loads(Path(f"{dump_file}.json").read_text())
    if hashlib.sha256(dump_file.read_bytes()).hexdigest() != manifest["sha256"]:
        raise SystemExit(f"{dump_file} does not match its manifest (sha256): refusing to restore it")
    url = libpq_url(into_url)
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            raise SystemExit(f"database {name} exists: restore into a new database, then switch DATABASE_URL")
        conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([_pg_bin("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                    f"--dbname={url}", str(dump_file)], check=True)


def verify(dump_file: Path, against_url: str) -> list[str]:
    """The differences between the manifest's figures and the database's (empty: identical)."""
    import psycopg

    manifest = json.loads(Path(f"{dump_file}.json").read_text())
    with psycopg.connect(libpq_url(against_url)) as conn:
        now = figures(conn)
    problems = []
    for kind in ("rows", "sums"):
        for name in sorted(set(manifest[kind]) | set(now[kind])):
            if manifest[kind].get(name) != now[kind].get(name):
                problems.append(f"{kind} {name}: manifest {manifest[kind].get(name)}, database {now[kind].get(name)}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    d.add_argument("--out", type=Path, default=Path("backups"))
    r = sub.add_parser("restore")
    r.add_argument("dump_file", type=Path)
    r.add_argument("--into", required=True, help="URL of a database that does not exist yet")
    v = sub.add_parser("verify")
    v.add_argument("dump_file", type=Path)
    v.add_argument("--against", required=True)
    args = parser.parse_args()
    if args.command == "dump":
        if not args.database_url:
            raise SystemExit("DATABASE_URL is not set (or pass --database-url)")
        target = dump(args.database_url, args.out)
        manifest = json.loads(Path(f"{target}.json").read_text())
        print(f"{target} ({manifest['bytes']:,} bytes, {manifest['seconds']} s); manifest {target}.json: "
              f"{sum(manifest['rows'].values()):,} rows, {len(manifest['photos']['objects'] or [])} photo objects")
        if manifest["photos"]["missing_from_bucket"]:
            print(f"warning: {len(manifest['photos']['missing_from_bucket'])} photo keys are not in the bucket",
                  file=sys.stderr)
    elif args.command == "restore":
        restore(args.dump_file, args.into)
        print(f"restored {args.dump_file} into {urlsplit(libpq_url(args.into)).path.lstrip('/')}")
    else:
        problems = verify(args.dump_file, args.against)
        for line in problems:
            print(line)
        print("identical to the manifest" if not problems else f"{len(problems)} differences")
        sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
