"""The read API of sales: the only way other domains (mentoring, impact reports, jobs) read orders.

Everything here is computed by the database with aggregate SQL; no order row is loaded into Python.
Months are calendar months in Asia/Jakarta (UTC+7, no daylight saving), written ``"YYYY-MM"``.

What counts, and when:
- A **sale** is an order part (one seller's share of an order) that was paid (``paid_at`` set). It
  belongs to the month it was paid in. A part cancelled before payment (unpaid order expired or
  cancelled) is never a sale: it is counted apart, as ``cancelled``, in the month it was placed.
- A sale later **refunded** (status ``refunded``) stays in the month it was paid in, but is taken out of
  ``orders`` and ``revenue_idr`` and counted in ``refunds`` / ``refunded_idr`` instead, so that for
  every month ``gross_idr == revenue_idr + refunded_idr``.
- ``revenue_idr`` is what buyers paid the seller for the part, items and delivery (``total_idr``);
  ``items_idr`` the items alone. The average order value is ``revenue_idr / orders``, rounded.
- A **customer** is the buyer's account, or for a guest the lower-cased email. A **repeat customer** of
  a month bought (a sale not refunded) from the business in that month and had bought from it before,
  in an earlier month or earlier in the same month.
- **Time to ship** is the hours from payment to the seller marking the part shipped, averaged over the
  month's sales that were shipped.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import String, and_, case, cast, func, literal_column, or_, select
from sqlalchemy.sql.elements import ColumnElement

from marketplace.core.sqltime import hours_between, jakarta_month, month_keys, month_start_utc, next_month
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderEvent, OrderPart, PartStatus

REFUNDED = PartStatus.REFUNDED.value
CANCELLED = PartStatus.CANCELLED.value
WAITING_TO_SHIP = (PartStatus.PAID.value, PartStatus.PACKED.value)


def _window(column, first: str, last: str) -> ColumnElement[bool]:
    """``column`` inside the Jakarta months first..last (a range on the raw column, so indexes work)."""
    return and_(column >= month_start_utc(first), column < month_start_utc(next_month(last)))


def _ids_filter(column, business_ids) -> ColumnElement[bool]:
    """Business ids as a list, or as a SELECT of ids (a whole program without sending 1,000 ids)."""
    if hasattr(business_ids, "subquery") or hasattr(business_ids, "scalar_subquery"):
        return column.in_(business_ids)
    return column.in_(list(business_ids))


def _customer_key():
    # A guest's orders are tied together by email; an account's by its id, even if its email changes.
    # literal_column, not bound literals: GROUP BY must repeat the SELECT's expression text exactly.
    return func.coalesce(literal_column("'u'", String) + cast(Order.user_id, String),
                         literal_column("'e'", String) + func.lower(Order.email))


# Results -----------------------------------------------------------------------------------------


@dataclass
class MonthSales:
    """One business's (or a group's) sales in one month; zeros for a month without sales."""

    month: str
    orders: int = 0             # sales not refunded
    revenue_idr: int = 0        # their total_idr (items + delivery)
    items_idr: int = 0
    refunds: int = 0            # sales of the month refunded since
    refunded_idr: int = 0
    cancelled: int = 0          # parts placed this month and cancelled before payment
    customers: int = 0          # distinct buyers of the month's sales not refunded
    repeat_customers: int = 0
    shipped: int = 0            # the month's sales that were marked shipped
    avg_hours_to_ship: float | None = None
    sellers: int = 0            # businesses with at least one sale (meaningful for groups)

    @property
    def gross_idr(self) -> int:
        return self.revenue_idr + self.refunded_idr

    @property
    def average_order_idr(self) -> int:
        return (self.revenue_idr + self.orders // 2) // self.orders if self.orders else 0


@dataclass
class SalesTotals:
    """Sales over a whole period (no month split)."""

    orders: int = 0
    revenue_idr: int = 0
    refunds: int = 0
    refunded_idr: int = 0

    @property
    def average_order_idr(self) -> int:
        return (self.revenue_idr + self.orders // 2) // self.orders if self.orders else 0


# Queries -----------------------------------------------------------------------------------------


def monthly_sales(business_ids: Iterable[int], first: date, last: date) -> dict[int, list[MonthSales]]:
    """Per business, one ``MonthSales`` per month from ``first``'s month to ``last``'s (inclusive),
    months without sales included as zeros. Four aggregate queries whatever the number of businesses."""
    ids = list(business_ids)
    keys = month_keys(first, last)
    result = {bid: {k: MonthSales(month=k) for k in keys} for bid in ids}
    if not ids or not keys:
        return {bid: list(months.values()) for bid, months in result.items()}
    for row in _sales_rows(OrderPart.business_id.in_(ids), keys[0], keys[-1], by_business=True):
        _fill(result[row.business_id][row.month], row)
    for row in _cancelled_rows(OrderPart.business_id.in_(ids), keys[0], keys[-1], by_business=True):
        result[row.business_id][row.month].cancelled = int(row.cancelled)
    for row in _ship_rows(OrderPart.business_id.in_(ids), keys[0], keys[-1], by_business=True):
        month = result[row.business_id][row.month]
        month.shipped, month.avg_hours_to_ship = int(row.shipped), _hours(row.avg_hours)
    for row in _customer_rows(OrderPart.business_id.in_(ids), keys[0], keys[-1]):
        month = result[row.business_id][row.month]
        month.customers, month.repeat_customers = int(row.customers), int(row.repeat_customers)
    return {bid: list(months.values()) for bid, months in result.items()}


def group_monthly_sales(business_ids, first: date, last: date, customers: bool = True,
                        shipping: bool = True) -> list[MonthSales]:
    """The months of a group of businesses (a program, a cohort) added together, with ``sellers``: how
    many of them sold that month. ``business_ids`` may be a list or a SELECT of ids. Customers are
    counted per business (a buyer of two businesses counts twice); ``customers=False`` skips them (the
    costliest statement) when a report does not show them, ``shipping=False`` the time to ship."""
    keys = month_keys(first, last)
    months = {k: MonthSales(month=k) for k in keys}
    if not keys:
        return []
    where = _ids_filter(OrderPart.business_id, business_ids)
    for row in _sales_rows(where, keys[0], keys[-1], by_business=False):
        _fill(months[row.month], row)
        months[row.month].sellers = int(row.sellers)
    for row in _cancelled_rows(where, keys[0], keys[-1], by_business=False):
        months[row.month].cancelled = int(row.cancelled)
    for row in _ship_rows(where, keys[0], keys[-1], by_business=False) if shipping else ():
        months[row.month].shipped, months[row.month].avg_hours_to_ship = int(row.shipped), _hours(row.avg_hours)
    for row in _customer_rows(where, keys[0], keys[-1]) if customers else ():
        months[row.month].customers += int(row.customers)
        months[row.month].repeat_customers += int(row.repeat_customers)
    return list(months.values())


def sales_totals(business_ids: Iterable[int], first: date, last: date) -> dict[int, SalesTotals]:
    """Per business, the period's orders, revenue and refunds (one query; no month split)."""
    ids = list(business_ids)
    keys = month_keys(first, last)
    out = {bid: SalesTotals() for bid in ids}
    if not ids or not keys:
        return out
    live, refunded = OrderPart.status != REFUNDED, OrderPart.status == REFUNDED
    rows = db.session.execute(
        select(OrderPart.business_id, func.sum(case((live, 1), else_=0)).label("orders"),
               func.sum(case((live, OrderPart.total_idr), else_=0)).label("revenue_idr"),
               func.sum(case((refunded, 1), else_=0)).label("refunds"),
               func.sum(case((refunded, OrderPart.total_idr), else_=0)).label("refunded_idr"))
        .where(OrderPart.business_id.in_(ids), OrderPart.paid_at.is_not(None), OrderPart.status != CANCELLED,
               _window(OrderPart.paid_at, keys[0], keys[-1]))
        .group_by(OrderPart.business_id))
    for row in rows:
        out[row.business_id] = SalesTotals(orders=int(row.orders or 0), revenue_idr=int(row.revenue_idr or 0),
                                           refunds=int(row.refunds or 0), refunded_idr=int(row.refunded_idr or 0))
    return out


def first_sale_at(business_ids: Iterable[int]) -> dict[int, datetime]:
    """When each business was first paid for a sale (refunded or not); businesses without a sale are
    absent."""
    ids = list(business_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(OrderPart.business_id, func.min(OrderPart.paid_at))
        .where(OrderPart.business_id.in_(ids), OrderPart.paid_at.is_not(None), OrderPart.status != CANCELLED)
        .group_by(OrderPart.business_id))
    return {bid: _aware(at) for bid, at in rows if at is not None}


def last_sale_at(business_ids) -> dict[int, datetime]:
    """When each business was last paid for a sale not refunded; list or SELECT of ids."""
    rows = db.session.execute(
        select(OrderPart.business_id, func.max(OrderPart.paid_at))
        .where(_ids_filter(OrderPart.business_id, business_ids), OrderPart.paid_at.is_not(None),
               OrderPart.status.not_in((CANCELLED, REFUNDED)))
        .group_by(OrderPart.business_id))
    return {bid: _aware(at) for bid, at in rows if at is not None}


def active_months(business_ids, first: date, last: date) -> dict[int, set[str]]:
    """Per business, the months (of first..last) in which it made at least one sale not refunded."""
    keys = month_keys(first, last)
    if not keys:
        return {}
    month = jakarta_month(OrderPart.paid_at)
    rows = db.session.execute(
        select(OrderPart.business_id, month.label("month"))
        .where(_ids_filter(OrderPart.business_id, business_ids), _window(OrderPart.paid_at, keys[0], keys[-1]),
               OrderPart.status.not_in((CANCELLED, REFUNDED)))
        .group_by(OrderPart.business_id, month))
    out: dict[int, set[str]] = {}
    for bid, key in rows:
        out.setdefault(bid, set()).add(key)
    return out


@dataclass(frozen=True)
class SalesSpan:
    first_sale_at: datetime      # the first paid sale, refunded or not
    last_sale_at: datetime | None  # the last paid sale not refunded
    sold_in_window: bool         # a sale not refunded inside the months asked for


def sales_spans(business_ids, first: date, last: date) -> dict[int, SalesSpan]:
    """Per business that ever sold (list or SELECT of ids): first and last sale, and whether it sold in
    first..last. One statement: what an impact report needs for "active" and "still selling"."""
    keys = month_keys(first, last)
    live = OrderPart.status != REFUNDED
    in_window = and_(live, _window(OrderPart.paid_at, keys[0], keys[-1])) if keys else literal_column("1 = 0")
    rows = db.session.execute(
        select(OrderPart.business_id, func.min(OrderPart.paid_at).label("first_at"),
               func.max(case((live, OrderPart.paid_at))).label("last_at"),
               func.max(case((in_window, 1), else_=0)).label("active"))
        .where(_ids_filter(OrderPart.business_id, business_ids), OrderPart.paid_at.is_not(None),
               OrderPart.status != CANCELLED)
        .group_by(OrderPart.business_id))
    return {row.business_id: SalesSpan(_aware(row.first_at), _aware(row.last_at) if row.last_at else None,
                                       bool(row.active)) for row in rows}


def waiting_to_ship(business_ids: Iterable[int], older_than: timedelta = timedelta(days=3),
                    now: datetime | None = None) -> dict[int, int]:
    """Per business, how many paid parts have waited more than ``older_than`` to be shipped."""
    ids = list(business_ids)
    if not ids:
        return {}
    cutoff = (now or utcnow()) - older_than
    rows = db.session.execute(
        select(OrderPart.business_id, func.count())
        .where(OrderPart.business_id.in_(ids), OrderPart.status.in_(WAITING_TO_SHIP), OrderPart.paid_at < cutoff)
        .group_by(OrderPart.business_id))
    return {bid: int(n) for bid, n in rows}


# The aggregate statements ------------------------------------------------------------------------


def _sales_rows(where, first: str, last: str, by_business: bool):
    month = jakarta_month(OrderPart.paid_at).label("month")
    live = OrderPart.status != REFUNDED
    refunded = OrderPart.status == REFUNDED
    columns = [
        month,
        func.sum(case((live, 1), else_=0)).label("orders"),
        func.sum(case((live, OrderPart.total_idr), else_=0)).label("revenue_idr"),
        func.sum(case((live, OrderPart.items_idr), else_=0)).label("items_idr"),
        func.sum(case((refunded, 1), else_=0)).label("refunds"),
        func.sum(case((refunded, OrderPart.total_idr), else_=0)).label("refunded_idr"),
        func.count(func.distinct(case((live, OrderPart.business_id)))).label("sellers"),
    ]
    group = [month]
    if by_business:
        columns.insert(0, OrderPart.business_id)
        group.insert(0, OrderPart.business_id)
    return db.session.execute(
        select(*columns)
        .where(where, OrderPart.paid_at.is_not(None), OrderPart.status != CANCELLED,
               _window(OrderPart.paid_at, first, last))
        .group_by(*group))


def _cancelled_rows(where, first: str, last: str, by_business: bool):
    month = jakarta_month(OrderPart.created_at).label("month")
    columns, group = [month, func.count().label("cancelled")], [month]
    if by_business:
        columns.insert(0, OrderPart.business_id)
        group.insert(0, OrderPart.business_id)
    return db.session.execute(
        select(*columns)
        .where(where, OrderPart.status == CANCELLED, OrderPart.paid_at.is_(None),
               _window(OrderPart.created_at, first, last))
        .group_by(*group))


def _ship_rows(where, first: str, last: str, by_business: bool):
    # A part moves to "shipped" once (a conditional update), so it has one "shipped" event.
    month = jakarta_month(OrderPart.paid_at).label("month")
    columns = [month, func.count().label("shipped"),
               func.avg(hours_between(OrderPart.paid_at, OrderEvent.created_at)).label("avg_hours")]
    group = [month]
    if by_business:
        columns.insert(0, OrderPart.business_id)
        group.insert(0, OrderPart.business_id)
    return db.session.execute(
        select(*columns)
        .join(OrderEvent, and_(OrderEvent.part_id == OrderPart.id, OrderEvent.status == PartStatus.SHIPPED.value))
        .where(where, OrderPart.paid_at.is_not(None), OrderPart.status.not_in((CANCELLED, REFUNDED)),
               _window(OrderPart.paid_at, first, last))
        .group_by(*group))


def _customer_rows(where, first: str, last: str):
    """Per business and month: distinct customers, and those of them who had bought before (earlier
    month, or a second sale in the same month). One pass: each sale carries the customer's first
    purchase at that business (a window function), so no join on the computed customer key, which
    planners estimate badly."""
    customer = _customer_key().label("customer")
    sale = and_(where, OrderPart.paid_at.is_not(None), OrderPart.status.not_in((CANCELLED, REFUNDED)))
    sales_ = (select(OrderPart.business_id, customer, OrderPart.paid_at,
                     func.min(OrderPart.paid_at).over(partition_by=(OrderPart.business_id, _customer_key()))
                     .label("first_at"))
              .join(Order, Order.id == OrderPart.order_id).where(sale).subquery())
    month = jakarta_month(sales_.c.paid_at)
    per_month = (select(sales_.c.business_id, sales_.c.customer, month.label("month"), func.count().label("n"),
                        func.min(sales_.c.first_at).label("first_at"))
                 .where(_window(sales_.c.paid_at, first, last))
                 .group_by(sales_.c.business_id, sales_.c.customer, month).subquery())
    repeat = or_(per_month.c.n > 1, jakarta_month(per_month.c.first_at) < per_month.c.month)
    return db.session.execute(
        select(per_month.c.business_id, per_month.c.month, func.count().label("customers"),
               func.sum(case((repeat, 1), else_=0)).label("repeat_customers"))
        .group_by(per_month.c.business_id, per_month.c.month))


def _fill(month: MonthSales, row) -> None:
    month.orders = int(row.orders or 0)
    month.revenue_idr = int(row.revenue_idr or 0)
    month.items_idr = int(row.items_idr or 0)
    month.refunds = int(row.refunds or 0)
    month.refunded_idr = int(row.refunded_idr or 0)


def _hours(value) -> float | None:
    return None if value is None else round(float(value), 1)


def _aware(value: datetime) -> datetime:
    from marketplace.core.timeutil import as_utc

    return as_utc(value)
