"""Full-text search over vacancies, on the catalog's engine: SQLite FTS5 or a PostgreSQL tsvector table.

Like ``product_search``, ``vacancy_search`` is no model (Alembic ignores it, see core/schema.py); its DDL
is called by a hand-written migration and a session ``after_flush`` hook keeps it in step with the
vacancies. The query side (word tokens, prefix matching) is the catalog's own.
"""
from __future__ import annotations

from sqlalchemy import column, event, func, literal_column, table, text
from sqlalchemy.orm import Session

from marketplace.core.search_words import match_text, tokens  # noqa: F401  (one tokenizer for both)
from marketplace.jobs.models import Vacancy

SEARCH_TABLE = "vacancy_search"


def create_search_schema(connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text(
            "CREATE TABLE IF NOT EXISTS vacancy_search ("
            " vacancy_id integer PRIMARY KEY, document tsvector NOT NULL)"))
        connection.execute(text(
            "CREATE INDEX IF NOT EXISTS ix_fts_vacancy_search_document ON vacancy_search USING gin (document)"))
    else:
        connection.execute(text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS vacancy_search USING fts5("
            " title, body, tokenize = 'unicode61 remove_diacritics 2')"))
    rebuild_search_index(connection)


def drop_search_schema(connection) -> None:
    connection.execute(text("DROP TABLE IF EXISTS vacancy_search"))


# Whole statements written out (no SQL built from strings): the body is description, skills and city.
_REINDEX_POSTGRESQL = (
    "INSERT INTO vacancy_search (vacancy_id, document) SELECT id, "
    " setweight(to_tsvector('simple', lower(title)), 'A') || "
    " setweight(to_tsvector('simple', lower(description || ' ' || replace(skills, ',', ' ') || ' ' || city)), 'B')"
    " FROM vacancies")
_REINDEX_SQLITE = ("INSERT INTO vacancy_search (rowid, title, body) SELECT id, title, "
                   "description || ' ' || replace(skills, ',', ' ') || ' ' || city FROM vacancies")


def rebuild_search_index(connection) -> None:
    """Re-index every vacancy in one statement (after bulk loads that bypass the ORM)."""
    connection.execute(text("DELETE FROM vacancy_search"))
    if connection.dialect.name == "postgresql":
        connection.execute(text(_REINDEX_POSTGRESQL))
    else:
        connection.execute(text(_REINDEX_SQLITE))


def _document(vacancy) -> tuple[int, str, str]:
    body = " ".join([vacancy.description or "", (vacancy.skills or "").replace(",", " "), vacancy.city or ""])
    return vacancy.id, vacancy.title or "", body


def index_vacancies(connection, rows: list[tuple[int, str, str]]) -> None:
    if not rows:
        return
    params = [{"id": r[0], "title": r[1], "body": r[2]} for r in rows]
    if connection.dialect.name == "postgresql":
        connection.execute(text(
            "INSERT INTO vacancy_search (vacancy_id, document) VALUES (:id, "
            " setweight(to_tsvector('simple', lower(:title)), 'A') || "
            " setweight(to_tsvector('simple', lower(:body)), 'B')) "
            "ON CONFLICT (vacancy_id) DO UPDATE SET document = excluded.document"), params)
    else:
        connection.execute(text("DELETE FROM vacancy_search WHERE rowid = :id"), [{"id": r[0]} for r in rows])
        connection.execute(text("INSERT INTO vacancy_search (rowid, title, body) VALUES (:id, :title, :body)"),
                           params)


def unindex_vacancies(connection, ids: list[int]) -> None:
    if not ids:
        return
    delete = ("DELETE FROM vacancy_search WHERE vacancy_id = :id" if connection.dialect.name == "postgresql"
              else "DELETE FROM vacancy_search WHERE rowid = :id")
    connection.execute(text(delete), [{"id": i} for i in ids])


def match_clause(dialect: str, match):
    """(join target, key column, where-clause, rank expression: ascending is better)."""
    if dialect == "postgresql":
        fts = table(SEARCH_TABLE, column("vacancy_id"), column("document"))
        tsquery = func.to_tsquery("simple", match)
        return (fts, fts.c.vacancy_id, fts.c.document.op("@@")(tsquery), -func.ts_rank(fts.c.document, tsquery))
    fts = table(SEARCH_TABLE, column("rowid"))
    return (fts, fts.c.rowid, literal_column(SEARCH_TABLE).op("MATCH")(match),
            func.bm25(literal_column(SEARCH_TABLE), 10.0, 1.0))


def _sync_after_flush(session: Session, flush_context) -> None:
    changed = [o for o in list(session.new) + list(session.dirty) if isinstance(o, Vacancy)]
    deleted = [o.id for o in session.deleted if isinstance(o, Vacancy) and o.id is not None]
    if not changed and not deleted:
        return
    connection = session.connection()
    index_vacancies(connection, [_document(v) for v in changed if v.id is not None])
    unindex_vacancies(connection, deleted)


def install_sync() -> None:
    if not event.contains(Session, "after_flush", _sync_after_flush):
        event.listen(Session, "after_flush", _sync_after_flush)
