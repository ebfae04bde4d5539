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

The DDL lives here and is run by a migration (``install``), as the catalog's search index is. This
module is, beside ``queries.py``, the read API other domains may use (``monthly_totals``,
``group_monthly_totals``, ``selling_months``, ``period_revenue``): the same counting as ``queries.py``,
to the month, without customers and time to ship.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import BigInteger, String, and_, case, distinct, func, literal_column, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
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


_COLUMNS = "business_id, month, orders, revenue_idr, items_idr, refunds, refunded_idr, cancelled"
_ADD = ", ".join(f"{c} = sales_months.{c} + excluded.{c}" for c in _COLUMNS.split(", ")[2:])


def _values(row: str, sign: str, month) -> str:
    """The VALUES of one part version's contribution (``row`` is NEW or OLD, ``sign`` 1 or -1)."""
    sale = f"{row}.paid_at IS NOT NULL AND {row}.status <> 'cancelled'"
    live, refunded = f"{sale} AND {row}.status <> 'refunded'", f"{sale} AND {row}.status = 'refunded'"
    cancelled = f"{row}.paid_at IS NULL AND {row}.status = 'cancelled'"
    return (f"{row}.business_id, CASE WHEN {row}.paid_at IS NOT NULL THEN {month(row + '.paid_at')} "
            f"ELSE {month(row + '.created_at')} END, "
            f"CASE WHEN {live} THEN {sign} ELSE 0 END, CASE WHEN {live} THEN {sign} * {row}.total_idr ELSE 0 END, "
            f"CASE WHEN {live} THEN {sign} * {row}.items_idr ELSE 0 END, CASE WHEN {refunded} THEN {sign} ELSE 0 END, "
            f"CASE WHEN {refunded} THEN {sign} * {row}.total_idr ELSE 0 END, CASE WHEN {cancelled} THEN {sign} ELSE 0 END")


def _counts(row: str) -> str:
    return (f"(({row}.paid_at IS NOT NULL AND {row}.status <> 'cancelled') "
            f"OR ({row}.paid_at IS NULL AND {row}.status = 'cancelled'))")


# What a part version contributes changes only with these columns.
_WATCHED = ("status", "paid_at", "created_at", "business_id", "total_idr", "items_idr")
_CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _WATCHED)


def _month_sql(dialect: Dialect) -> Callable[[str], str]:
    """The Jakarta month of a part's timestamp column (``NEW.paid_at``) as the triggers write it: the read
    API's one definition (``core.sqltime.jakarta_month``) compiled for ``dialect``."""
    def month(column: str) -> str:
        return str(jakarta_month(literal_column(column)).compile(dialect=dialect))
    return month


_sqlite_month = _month_sql(sqlite.dialect())
_pg_month = _month_sql(postgresql.dialect())


def _upsert(row: str, sign: str, month) -> str:
    return (f"INSERT INTO sales_months ({_COLUMNS}) VALUES ({_values(row, sign, month)}) "  # nosec B608  # DDL of this module's constants
            f"ON CONFLICT (business_id, month) DO UPDATE SET {_ADD}")


def _sqlite_ddl() -> list[str]:
    changed = _CHANGED.replace("IS DISTINCT FROM", "IS NOT")
    return [
        f"CREATE TRIGGER sales_months_insert AFTER INSERT ON order_parts WHEN {_counts('NEW')} BEGIN "
        f"{_upsert('NEW', '1', _sqlite_month)}; END",
        f"CREATE TRIGGER sales_months_update_old AFTER UPDATE ON order_parts WHEN ({changed}) AND {_counts('OLD')} "
        f"BEGIN {_upsert('OLD', '-1', _sqlite_month)}; END",
        f"CREATE TRIGGER sales_months_update_new AFTER UPDATE ON order_parts WHEN ({changed}) AND {_counts('NEW')} "
        f"BEGIN {_upsert('NEW', '1', _sqlite_month)}; END",
    ]


def _pg_ddl() -> list[str]:
    return [
        "CREATE FUNCTION sales_months_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'UPDATE' AND {_counts('OLD')} THEN {_upsert('OLD', '-1', _pg_month)}; END IF; "
        f"IF {_counts('NEW')} THEN {_upsert('NEW', '1', _pg_month)}; END IF; "
        "RETURN NULL; END $$",
        "CREATE TRIGGER sales_months_insert AFTER INSERT ON order_parts FOR EACH ROW EXECUTE FUNCTION sales_months_sync()",
        f"CREATE TRIGGER sales_months_update AFTER UPDATE ON order_parts FOR EACH ROW WHEN ({_CHANGED}) "
        "EXECUTE FUNCTION sales_months_sync()",
    ]


def _backfill(month) -> str:
    """The roll-up of the parts already there (the migration runs it once, before the triggers)."""
    sale = "paid_at IS NOT NULL AND status <> 'cancelled'"
    live, refunded = f"{sale} AND status <> 'refunded'", f"{sale} AND status = 'refunded'"
    key = f"CASE WHEN paid_at IS NOT NULL THEN {month('paid_at')} ELSE {month('created_at')} END"
    return (f"INSERT INTO sales_months ({_COLUMNS}) SELECT business_id, {key}, "  # nosec B608  # this module's constants
            f"SUM(CASE WHEN {live} THEN 1 ELSE 0 END), SUM(CASE WHEN {live} THEN total_idr ELSE 0 END), "
            f"SUM(CASE WHEN {live} THEN items_idr ELSE 0 END), SUM(CASE WHEN {refunded} THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN {refunded} THEN total_idr ELSE 0 END), "
            f"SUM(CASE WHEN paid_at IS NULL AND status = 'cancelled' THEN 1 ELSE 0 END) "
            f"FROM order_parts WHERE {_counts('order_parts')} GROUP BY business_id, {key}")


def install(execute, dialect: str) -> None:
    """Fill the roll-up from the existing parts and create the triggers; ``execute`` runs one SQL string."""
    postgres = dialect == "postgresql"
    execute(_backfill(_pg_month if postgres else _sqlite_month))
    for statement in _pg_ddl() if postgres else _sqlite_ddl():
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
