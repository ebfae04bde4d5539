"""Jakarta days and months in SQL (core/sqltime.py), on the database the suite runs on: the month of a
stored UTC timestamp turns at 17:00 UTC on the last day of a month. The sales triggers (orders/rollup.py)
are built on ``jakarta_month``; those of databases migrated before it became the month of ``jakarta_date``
still spell it the older way, and ``OLD_SPELLING`` shows both count every instant alike, so those
databases need no new migration."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import bindparam, literal, literal_column, select, text

from marketplace.core.sqltime import date_month, jakarta_date, jakarta_month
from marketplace.core.types import UTCDateTime
from marketplace.extensions import db

INSTANTS = [  # (UTC instant, its Jakarta month)
    (datetime(2026, 1, 31, 16, 59, 59, tzinfo=UTC), "2026-01"),
    (datetime(2026, 1, 31, 17, 0, tzinfo=UTC), "2026-02"),
    (datetime(2025, 12, 31, 17, 0, tzinfo=UTC), "2026-01"),
    (datetime(2024, 2, 29, 16, 59, tzinfo=UTC), "2024-02"),
    (datetime(2024, 2, 29, 17, 0, tzinfo=UTC), "2024-03"),
    (datetime(2026, 6, 15, 0, 0, tzinfo=UTC), "2026-06"),
]

# What the triggers said before, per dialect (orders/rollup.py up to November 2026).
OLD_SPELLING = {
    "sqlite": "strftime('%Y-%m', {column}, '+7 hours')",
    "postgresql": "to_char(({column}) AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM')",
}


def _at(instant: datetime):
    return literal(instant, UTCDateTime())


@pytest.mark.parametrize("instant, month", INSTANTS)
def test_a_timestamp_s_jakarta_month_and_date(instant, month):
    row = db.session.execute(select(jakarta_month(_at(instant)), jakarta_date(_at(instant)))).one()
    assert row[0] == month
    assert str(row[1])[:7] == month


def test_the_month_of_a_date_column():
    assert db.session.execute(select(date_month(literal(date(2026, 3, 31))))).scalar_one() == "2026-03"


@pytest.mark.parametrize("instant, month", INSTANTS)
def test_jakarta_month_counts_every_instant_like_the_older_trigger_spelling(instant, month):
    ours = str(jakarta_month(literal_column(":ts")).compile(dialect=db.engine.dialect))
    older = OLD_SPELLING[db.engine.dialect.name].format(column=":ts")
    both = text(f"SELECT {ours}, {older}").bindparams(bindparam("ts", type_=UTCDateTime()))
    assert tuple(db.session.execute(both, {"ts": instant}).one()) == (month, month)
