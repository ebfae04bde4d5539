"""Jakarta days and months in SQL, for read APIs that count per day or month on SQLite and PostgreSQL.

Stored timestamps are UTC; Asia/Jakarta is UTC+7 all year (no daylight saving). Months are ``"YYYY-MM"``.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, Date, String
from sqlalchemy.types import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

JAKARTA_OFFSET = timedelta(hours=7)


class jakarta_date(FunctionElement):
    """The Jakarta calendar date of a stored UTC timestamp."""

    type = Date()
    inherit_cache = True


@compiles(jakarta_date)
def _jakarta_date_sqlite(element, compiler, **kw):
    # SQLite rounds a timestamp to the millisecond: 16:59:59.9997 UTC would be 17:00, the next Jakarta
    # day (and month, at a month's end). Its first 19 characters, the whole second, are exact.
    return f"date(substr({compiler.process(element.clauses, **kw)}, 1, 19), '+7 hours')"


@compiles(jakarta_date, "postgresql")
def _jakarta_date_pg(element, compiler, **kw):
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'Asia/Jakarta' AS DATE)"


class hours_between(FunctionElement):
    """Hours from the first timestamp to the second, as a float."""

    type = Float()
    inherit_cache = True


@compiles(hours_between)
def _hours_between_sqlite(element, compiler, **kw):
    start, end = list(element.clauses)
    return f"((julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)})) * 24.0)"


@compiles(hours_between, "postgresql")
def _hours_between_pg(element, compiler, **kw):
    start, end = list(element.clauses)
    return f"(EXTRACT(EPOCH FROM ({compiler.process(end, **kw)} - {compiler.process(start, **kw)})) / 3600.0)"


class date_month(FunctionElement):
    """``"YYYY-MM"`` of a date (a ``Date`` column, or ``jakarta_date(...)`` of a timestamp)."""

    type = String()
    inherit_cache = True


@compiles(date_month)
def _date_month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(date_month, "postgresql")
def _date_month_pg(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


def jakarta_month(timestamp: ColumnElement) -> date_month:
    """``"YYYY-MM"`` of a stored UTC timestamp, in Asia/Jakarta: the month of its Jakarta date, so that the
    offset and the month format are each written once; the sales triggers (``orders/rollup.py``) are this
    expression compiled per dialect. A query that groups by it uses one such expression in its SELECT and
    its GROUP BY (PostgreSQL matches them by their text)."""
    return date_month(jakarta_date(timestamp))


def jakarta_day_start(day: date) -> datetime:
    """The UTC instant a Jakarta day starts (for a range on a raw timestamp column, which an index serves)."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) - JAKARTA_OFFSET


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_start_utc(key: str) -> datetime:
    """The UTC instant a Jakarta month (``"YYYY-MM"``) starts."""
    year, month = (int(x) for x in key.split("-"))
    return datetime(year, month, 1, tzinfo=UTC) - JAKARTA_OFFSET


def next_month(key: str) -> str:
    year, month = (int(x) for x in key.split("-"))
    return f"{year + 1:04d}-01" if month == 12 else f"{year:04d}-{month + 1:02d}"


def month_keys(first: date, last: date) -> list[str]:
    """Every ``"YYYY-MM"`` from ``first``'s month to ``last``'s, inclusive (empty when last < first)."""
    year, month, out = first.year, first.month, []
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
