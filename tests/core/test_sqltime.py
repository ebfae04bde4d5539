"""Jakarta days and months in SQL (core/sqltime.py), on the database the suite runs on: the month of a
stored UTC timestamp turns at 17:00 UTC on the last day of a month. The sales triggers (orders/rollup.py)
are built on ``jakarta_month``. On PostgreSQL, those of databases migrated before it became the month of
``jakarta_date`` still spell it the older way, and ``OLD_SPELLING`` shows both count every instant alike.
On SQLite, which rounds timestamps to the millisecond, the month is read from the whole second, and the
migrations install the triggers again with it (the older spelling put 16:59:59.9997 in the next month)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import bindparam, literal, literal_column, select, text

from marketplace.core.sqltime import date_month, jakarta_date, jakarta_month
from marketplace.core.types import UTCDateTime
from marketplace.extensions import db

INSTANTS = [  # (UTC instant, its Jakarta month)
    (datetime(2026, 1, 31, 16, 59, 59, tzinfo=UTC), "2026-01"),
    (datetime(2026, 1, 31, 16, 59, 59, 999_700, tzinfo=UTC), "2026-01"),  # SQLite's rounding made it 17:00
    (datetime(2026, 1, 31, 17, 0, tzinfo=UTC), "2026-02"),
    (datetime(2025, 12, 31, 17, 0, tzinfo=UTC), "2026-01"),
    (datetime(2024, 2, 29, 16, 59, tzinfo=UTC), "2024-02"),
    (datetime(2024, 2, 29, 17, 0, tzinfo=UTC), "2024-03"),
    (datetime(2026, 6, 15, 0, 0, tzinfo=UTC), "2026-06"),
]

# What the PostgreSQL triggers said before (orders/rollup.py up to November 2026).
OLD_SPELLING = "to_char(({column}) AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM')"


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
def test_on_postgresql_jakarta_month_counts_every_instant_like_the_older_trigger_spelling(instant, month):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's triggers are installed again by the migrations (the test below)")
    ours = str(jakarta_month(literal_column(":ts")).compile(dialect=db.engine.dialect))
    older = OLD_SPELLING.format(column=":ts")
    both = text(f"SELECT {ours}, {older}").bindparams(bindparam("ts", type_=UTCDateTime()))
    assert tuple(db.session.execute(both, {"ts": instant}).one()) == (month, month)



def test_an_sqlite_database_migrated_before_counts_a_month_s_last_instant_in_that_month(app_config, tmp_path):
    """A database at the revision before, its triggers as they were then (rounding to the millisecond,
    which put a sale at 16:59:59.9997 UTC on 31 January in February), is upgraded: its triggers read
    the whole second and its roll-up is counted again from the parts."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL keeps microseconds: its triggers were right")
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.orders import rollup
    from tests import factories
    from tests.orders.test_queries import sale

    older = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'older.db'}"})
    with older.app_context():
        upgrade(revision="c9e5a1b3f4d2")
        triggers = db.session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                           "AND name LIKE 'sales_months_%'")).all()
        assert len(triggers) == 3
        for name, sql in triggers:  # as the triggers were spelt until then
            db.session.execute(text(f"DROP TRIGGER {name}"))
            db.session.execute(text(sql.replace("substr(NEW.paid_at, 1, 19)", "NEW.paid_at")
                                       .replace("substr(OLD.paid_at, 1, 19)", "OLD.paid_at")))
        shop = factories.business()
        sale(shop, paid_at=datetime(2026, 1, 31, 16, 59, 59, 999_700, tzinfo=UTC))
        db.session.commit()

        def months() -> list[str]:
            totals = rollup.monthly_totals([shop.id], date(2026, 1, 1), date(2026, 2, 28))[shop.id]
            return [month.month for month in totals if month.orders]

        assert months() == ["2026-02"]  # what the older triggers counted

        upgrade()
        assert months() == ["2026-01"]
        sale(shop, paid_at=datetime(2026, 2, 28, 16, 59, 59, 999_900, tzinfo=UTC))
        db.session.commit()
        assert months() == ["2026-01", "2026-02"]
        db.session.remove()
        db.engine.dispose()
