"""Sales per business and Jakarta month, kept in step with order parts by the database itself.

``sales_months`` holds, per business and month, what ``queries.monthly_sales`` counts from the parts
(orders and revenue not refunded, refunds, parts cancelled before payment), so that reports over many
businesses (the mentor's dashboard, a program's impact) read a few thousand rows instead of every sale.

Triggers on ``order_parts`` keep it exact whatever changes a part: the ORM, the conditional UPDATEs that
move statuses, a bulk load. A part version counts as:
- paid (``paid_at`` set) and not cancelled: a sale in the month it was paid; refunded: ``refunds`` and
  ``refunded_idr`` instead of ``orders``, ``revenue_idr`` and ``items_idr``;
- cancelled before payment: ``cancelled`` in the month it was placed;
- anything else (waiting for payment): nothing.
An insert adds the new version; an update takes the old version away and adds the new one. Parts are
never deleted (the history of a sale is kept), so there is no delete trigger.

The DDL lives here and is run by a migration (``install``), as the catalog's search index is. What a part
version counts as is written once (``_contribution``) as SQLAlchemy expressions, and the triggers and the
backfill are compiled from it per dialect, months by ``core.sqltime.jakarta_month``. PostgreSQL databases
migrated before this spelling keep their trigger text, which counts alike; SQLite's were installed again
when the month came to be read from the whole second (tests/core/test_sqltime.py). This
module is, beside ``queries.py``, the read API other domains may use (``monthly_totals``,
``group_monthly_totals``, ``selling_months``, ``period_revenue``): the same counting as ``queries.py``,
to the month, without customers and time to ship.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    String,
    and_,
    case,
    column,
    distinct,
    func,
    insert,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.core.sqltime import jakarta_month, month_keys
from marketplace.orders.queries import MonthSales


class SalesMonth(db.Model):
    __tablename__ = "sales_months"

    # No foreign key: a roll-up row is derived data, and emptying tables in any order must stay possible.
    business_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "YYYY-MM", Asia/Jakarta
    orders: Mapped[int] = mapped_column(default=0)
    revenue_idr: Mapped[int] = mapped_column(BigInteger, default=0)  # a month's sum may pass 2^31
    items_idr: Mapped[int] = mapped_column(BigInteger, default=0)  # a month's sum may pass 2^31
    refunds: Mapped[int] = mapped_column(default=0)
    refunded_idr: Mapped[int] = mapped_column(BigInteger, default=0)  # a month's sum may pass 2^31
    cancelled: Mapped[int] = mapped_column(default=0)


class _Contribution(NamedTuple):
    """What one version of a part counts as: whether it counts at all, its month, and per counted column
    the condition and the amount (one definition for the triggers and the backfill, on both dialects)."""

    counts: ColumnElement
    month: ColumnElement
    amounts: dict[str, tuple[ColumnElement, object]]


def _contribution(part: Callable[[str], ColumnElement]) -> _Contribution:
    """``part(name)`` is a column of the part version (``NEW.paid_at`` in a trigger, ``order_parts.paid_at``)."""
    paid = part("paid_at").is_not(None)
    sale = and_(paid, part("status") != "cancelled")
    live, refunded = and_(sale, part("status") != "refunded"), and_(sale, part("status") == "refunded")
    cancelled = and_(part("paid_at").is_(None), part("status") == "cancelled")
    month = case((paid, jakarta_month(part("paid_at"))), else_=jakarta_month(part("created_at")))
    return _Contribution(or_(sale, cancelled), month, {
        "orders": (live, 1), "revenue_idr": (live, part("total_idr")), "items_idr": (live, part("items_idr")),
        "refunds": (refunded, 1), "refunded_idr": (refunded, part("total_idr")), "cancelled": (cancelled, 1)})


_DIALECTS = {"sqlite": (sqlite.dialect(), sqlite.insert), "postgresql": (postgresql.dialect(), postgresql.insert)}


def _sql(element, dialect: str) -> str:
    """``element`` as SQL text for ``dialect``, values written in (the DDL takes no parameters)."""
    return str(element.compile(dialect=_DIALECTS[dialect][0], compile_kwargs={"literal_binds": True}))


def _counts(row: str, dialect: str) -> str:
    return f"({_sql(_contribution(lambda name: literal_column(f'{row}.{name}')).counts, dialect)})"


def _upsert(row: str, sign: int, dialect: str) -> str:
    """Add (``sign`` 1) or take away (-1) what the part version ``row`` (NEW or OLD) counts as."""
    part = _contribution(lambda name: literal_column(f"{row}.{name}"))
    table = SalesMonth.__table__
    statement = _DIALECTS[dialect][1](table).inline().values(  # inline: no RETURNING of the keys
        business_id=literal_column(f"{row}.business_id"), month=part.month,
        **{name: case((condition, sign * amount), else_=0) for name, (condition, amount) in part.amounts.items()})
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.business_id, table.c.month],
        set_={name: table.c[name] + statement.excluded[name] for name in part.amounts})
    return _sql(statement, dialect)


# What a part version contributes changes only with these columns.
_WATCHED = ("status", "paid_at", "created_at", "business_id", "total_idr", "items_idr")
_CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _WATCHED)


def _sqlite_ddl() -> list[str]:
    changed = _CHANGED.replace("IS DISTINCT FROM", "IS NOT")
    return [
        f"CREATE TRIGGER sales_months_insert AFTER INSERT ON order_parts WHEN {_counts('NEW', 'sqlite')} BEGIN "
        f"{_upsert('NEW', 1, 'sqlite')}; END",
        f"CREATE TRIGGER sales_months_update_old AFTER UPDATE ON order_parts WHEN ({changed}) AND "
        f"{_counts('OLD', 'sqlite')} BEGIN {_upsert('OLD', -1, 'sqlite')}; END",
        f"CREATE TRIGGER sales_months_update_new AFTER UPDATE ON order_parts WHEN ({changed}) AND "
        f"{_counts('NEW', 'sqlite')} BEGIN {_upsert('NEW', 1, 'sqlite')}; END",
    ]


def _pg_ddl() -> list[str]:
    return [
        "CREATE FUNCTION sales_months_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'UPDATE' AND {_counts('OLD', 'postgresql')} THEN {_upsert('OLD', -1, 'postgresql')}; END IF; "
        f"IF {_counts('NEW', 'postgresql')} THEN {_upsert('NEW', 1, 'postgresql')}; END IF; "
        "RETURN NULL; END $$",
        "CREATE TRIGGER sales_months_insert AFTER INSERT ON order_parts FOR EACH ROW EXECUTE FUNCTION sales_months_sync()",
        f"CREATE TRIGGER sales_months_update AFTER UPDATE ON order_parts FOR EACH ROW WHEN ({_CHANGED}) "
        "EXECUTE FUNCTION sales_months_sync()",
    ]


def _backfill(dialect: str) -> str:
    """The roll-up of the parts already there (the migration runs it once, before the triggers)."""
    parts = table("order_parts", *(column(name) for name in _WATCHED))
    part = _contribution(lambda name: parts.c[name])
    sums = [func.sum(case((condition, amount), else_=0)) for condition, amount in part.amounts.values()]
    rows = (select(parts.c.business_id, part.month, *sums).where(part.counts)
            .group_by(parts.c.business_id, part.month))
    return _sql(insert(SalesMonth.__table__).from_select(["business_id", "month", *part.amounts], rows), dialect)


def install(execute, dialect: str) -> None:
    """Fill the roll-up from the existing parts and create the triggers; ``execute`` runs one SQL string."""
    execute(_backfill(dialect))
    for statement in _pg_ddl() if dialect == "postgresql" else _sqlite_ddl():
        execute(statement)


def uninstall(execute, dialect: str) -> None:
    if dialect == "postgresql":
        execute("DROP TRIGGER IF EXISTS sales_months_update ON order_parts")
        execute("DROP TRIGGER IF EXISTS sales_months_insert ON order_parts")
        execute("DROP FUNCTION IF EXISTS sales_months_sync()")
    else:
        for name in ("sales_months_insert", "sales_months_update_old", "sales_months_update_new"):
            execute(f"DROP TRIGGER IF EXISTS {name}")


# Reading --------------------------------------------------------------------------------------------


def _ids(column, business_ids):
    """Business ids as a list, or as a SELECT of ids (a whole program without sending 1,000 ids)."""
    return column.in_(business_ids if hasattr(business_ids, "subquery") else list(business_ids))


def _within(keys: list[str]):
    return SalesMonth.month.between(keys[0], keys[-1])


def _fill(month: MonthSales, row) -> None:
    month.orders, month.revenue_idr, month.items_idr = int(row.orders or 0), int(row.revenue_idr or 0), int(row.items_idr or 0)
    month.refunds, month.refunded_idr = int(row.refunds or 0), int(row.refunded_idr or 0)
    month.cancelled = int(row.cancelled or 0)


def monthly_totals(business_ids: Iterable[int], first: date, last: date) -> dict[int, list[MonthSales]]:
    """``queries.monthly_sales`` without customers and time to ship (left at 0 and None), in one small
    query: for pages that follow many businesses at once (a mentor's dashboard)."""
    ids = list(business_ids)
    keys = month_keys(first, last)
    result = {bid: {k: MonthSales(month=k) for k in keys} for bid in ids}
    if ids and keys:
        for row in db.session.execute(select(SalesMonth).where(_ids(SalesMonth.business_id, ids), _within(keys))).scalars():
            _fill(result[row.business_id][row.month], row)
    return {bid: list(months.values()) for bid, months in result.items()}


def group_monthly_totals(business_ids, first: date, last: date) -> list[MonthSales]:
    """``queries.group_monthly_sales(..., customers=False, shipping=False)``: the months of a group (a list
    or a SELECT of ids) added together; ``sellers``, the businesses with a sale not refunded that month."""
    keys = month_keys(first, last)
    months = {k: MonthSales(month=k) for k in keys}
    if not keys:
        return []
    sums = [func.sum(getattr(SalesMonth, c)).label(c)
            for c in ("orders", "revenue_idr", "items_idr", "refunds", "refunded_idr", "cancelled")]
    rows = db.session.execute(
        select(SalesMonth.month, *sums, func.sum(case((SalesMonth.orders > 0, 1), else_=0)).label("sellers"))
        .where(_ids(SalesMonth.business_id, business_ids), _within(keys)).group_by(SalesMonth.month))
    for row in rows:
        _fill(months[row.month], row)
        months[row.month].sellers = int(row.sellers or 0)
    return list(months.values())


class GroupRevenue(NamedTuple):
    revenue_idr: int    # sales not refunded
    sellers: int        # the group's businesses with such a sale (one owner each: the people it is about)


def period_revenue(groups: dict[str, object], first: date, last: date) -> dict[str, GroupRevenue]:
    """Revenue (sales not refunded) over first..last of several groups of businesses, each a list or a
    SELECT of ids, and how many businesses of each made it, in one statement (the impact report's revenue
    of those given each kind of support)."""
    keys = month_keys(first, last)
    if not groups or not keys:
        return {name: GroupRevenue(0, 0) for name in groups}
    names = list(groups)
    columns = []
    for name in names:
        in_group = _ids(SalesMonth.business_id, groups[name])
        columns += [func.coalesce(func.sum(case((in_group, SalesMonth.revenue_idr), else_=0)), 0),
                    func.count(distinct(case((and_(in_group, SalesMonth.orders > 0), SalesMonth.business_id))))]
    row = db.session.execute(
        select(*columns).where(_within(keys), or_(*[_ids(SalesMonth.business_id, groups[name]) for name in names]))).one()
    return {name: GroupRevenue(int(row[2 * i] or 0), int(row[2 * i + 1] or 0)) for i, name in enumerate(names)}


@dataclass(frozen=True)
class SellingMonths:
    first_month: str            # of the first paid sale, refunded or not
    last_month: str | None      # of the last sale not refunded
    sold_in_window: bool        # a sale not refunded inside the months asked for


def selling_months(business_ids, first: date, last: date) -> dict[int, SellingMonths]:
    """``queries.sales_spans`` to the month, per business that ever sold (a list or a SELECT of ids), in
    one statement: what an impact report needs for "active" and "still selling"."""
    keys = month_keys(first, last)
    in_window = and_(SalesMonth.orders > 0, _within(keys)) if keys else literal_column("1 = 0")
    rows = db.session.execute(
        select(SalesMonth.business_id,
               func.min(case((SalesMonth.orders + SalesMonth.refunds > 0, SalesMonth.month))).label("first_month"),
               func.max(case((SalesMonth.orders > 0, SalesMonth.month))).label("last_month"),
               func.max(case((in_window, 1), else_=0)).label("active"))
        .where(_ids(SalesMonth.business_id, business_ids)).group_by(SalesMonth.business_id))
    return {row.business_id: SellingMonths(row.first_month, row.last_month, bool(row.active))
            for row in rows if row.first_month is not None}
