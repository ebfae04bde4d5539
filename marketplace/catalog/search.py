"""Full-text search over products: SQLite FTS5 or a PostgreSQL tsvector table with a GIN index.

The search table is not a model (Alembic ignores names starting ``product_search`` and indexes starting
``ix_fts_``); ``create_search_schema`` is called from a hand-written migration. The table follows the
products through a session ``after_flush`` hook, so every code path that saves a product keeps it in
sync without remembering to.

Both backends use lowercase words without stemming ('simple'), so Indonesian and English match alike.
User text never reaches the query syntax: it is cut into plain word tokens first.
"""
from __future__ import annotations

from sqlalchemy import column, event, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from marketplace.catalog.models import Product
from marketplace.core.search_words import match_text, tokens  # noqa: F401  (the catalog's callers use them from here)

SEARCH_TABLE = "product_search"


def create_search_schema(connection) -> None:
    """DDL for the search table and index, and a backfill of existing products."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(
            "CREATE TABLE IF NOT EXISTS product_search ("
            " product_id integer PRIMARY KEY, document tsvector NOT NULL)"))
        connection.execute(text(
            "CREATE INDEX IF NOT EXISTS ix_fts_product_search_document ON product_search USING gin (document)"))
    else:
        connection.execute(text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS product_search USING fts5("
            " title, body, tokenize = 'unicode61 remove_diacritics 2')"))
    rebuild_search_index(connection)


def drop_search_schema(connection) -> None:
    connection.execute(text("DROP TABLE IF EXISTS product_search"))


def rebuild_search_index(connection) -> None:
    """Re-index every product in one statement (after bulk loads that bypass the ORM)."""
    connection.execute(text("DELETE FROM product_search"))
    if connection.dialect.name == "postgresql":
        connection.execute(text(
            "INSERT INTO product_search (product_id, document) SELECT id, "
            " setweight(to_tsvector('simple', lower(title)), 'A') || "
            " setweight(to_tsvector('simple', lower(description)), 'B') FROM products"))
    else:
        connection.execute(text(
            "INSERT INTO product_search (rowid, title, body) SELECT id, title, description FROM products"))


def index_products(connection, rows: list[tuple[int, str, str]]) -> None:
    if not rows:
        return
    ids = [{"id": r[0]} for r in rows]
    params = [{"id": r[0], "title": r[1] or "", "body": r[2] or ""} for r in rows]
    if connection.dialect.name == "postgresql":
        connection.execute(text(
            "INSERT INTO product_search (product_id, document) VALUES (:id, "
            " setweight(to_tsvector('simple', lower(:title)), 'A') || "
            " setweight(to_tsvector('simple', lower(:body)), 'B')) "
            "ON CONFLICT (product_id) DO UPDATE SET document = excluded.document"), params)
    else:
        connection.execute(text("DELETE FROM product_search WHERE rowid = :id"), ids)
        connection.execute(text("INSERT INTO product_search (rowid, title, body) VALUES (:id, :title, :body)"),
                           params)


def unindex_products(connection, ids: list[int]) -> None:
    if not ids:
        return
    delete = ("DELETE FROM product_search WHERE product_id = :id" if connection.dialect.name == "postgresql"
              else "DELETE FROM product_search WHERE rowid = :id")
    connection.execute(text(delete), [{"id": i} for i in ids])


def match_clause(dialect: str, match):
    """(join target, on-clause, where-clause, rank expression ascending=better) for ``match``, a bound
    parameter (or value) holding ``match_text(dialect, words)``."""
    if dialect == "postgresql":
        fts = table(SEARCH_TABLE, column("product_id"), column("document"))
        tsquery = func.to_tsquery("simple", match)
        return (fts, fts.c.product_id, fts.c.document.op("@@")(tsquery),
                -func.ts_rank(fts.c.document, tsquery))
    fts = table(SEARCH_TABLE, column("rowid"))
    return (fts, fts.c.rowid, literal_column(SEARCH_TABLE).op("MATCH")(match),
            func.bm25(literal_column(SEARCH_TABLE), 10.0, 1.0))


def ranked_candidates(dialect: str, match, limit):
    """The best ``limit`` matches of ``match`` (see ``match_clause``) as a select of (product_id, rank,
    found), ``found`` counting every match."""
    target, key, condition, rank = match_clause(dialect, match)
    if dialect == "postgresql":
        found = func.count().over()
    else:  # FTS5 refuses bm25() beside a window function
        found = select(func.count()).select_from(target).where(condition).scalar_subquery()
    return (select(key.label("product_id"), rank.label("rank"), found.label("found"))
            .select_from(target).where(condition).order_by(rank, key.desc()).limit(limit))


def _sync_after_flush(session: Session, flush_context) -> None:
    changed = [o for o in list(session.new) + list(session.dirty) if isinstance(o, Product)]
    deleted = [o.id for o in session.deleted if isinstance(o, Product) and o.id is not None]
    if not changed and not deleted:
        return
    connection = session.connection()
    index_products(connection, [(p.id, p.title, p.description) for p in changed if p.id is not None])
    unindex_products(connection, deleted)


def install_sync() -> None:
    if not event.contains(Session, "after_flush", _sync_after_flush):
        event.listen(Session, "after_flush", _sync_after_flush)
