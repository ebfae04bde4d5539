"""The sales read API (orders/queries.py) against figures computed by hand.

The rows are written directly (orders placed, paid, shipped, refunded and cancelled at chosen
moments) so each month's expected numbers can be worked out on paper; the comments show the sums.
Months are Jakarta months: 2026-01-31 18:00 UTC is 2026-02-01 01:00 in Jakarta, so February.
"""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from marketplace.core.sqltime import month_keys
from marketplace.extensions import db
from marketplace.orders import queries
from marketplace.orders.models import Order, OrderEvent, OrderPart
from tests import factories


def at(y, m, d, h=0) -> datetime:
    return datetime(y, m, d, h, tzinfo=UTC)


def sale(business, *, paid_at=None, created_at=None, total=50_000, items=None, status="paid",
         email="pembeli@example.test", buyer=None, order=None, shipped_at=None) -> OrderPart:
    created_at = created_at or paid_at or at(2026, 1, 1)
    items = total - 10_000 if items is None else items
    if order is None:
        order = Order(public_id=uuid.uuid4().hex, idempotency_key=uuid.uuid4().hex, email=email,
                      user_id=buyer.id if buyer else None, recipient="Andi", phone="+6281234567890",
                      street="Jl. Merdeka 1", kelurahan="K", kecamatan="K", city="Banyuwangi",
                      province="Jawa Timur", postal_code="68416", payment_method="bank_transfer",
                      items_idr=items, delivery_idr=total - items, total_idr=total,
                      expires_at=created_at + timedelta(days=2), created_at=created_at, paid_at=paid_at)
        db.session.add(order)
        db.session.flush()
    part = OrderPart(order_id=order.id, business_id=business.id, status=status, delivery_zone="same_city",
                     items_idr=items, delivery_idr=total - items, total_idr=total, paid_at=paid_at,
                     created_at=created_at)
    db.session.add(part)
    db.session.flush()
    if shipped_at:
        db.session.add(OrderEvent(order_id=order.id, part_id=part.id, status="shipped", created_at=shipped_at))
    return part


@pytest.fixture
def shops():
    """Business A over December 2025 .. April 2026, and B with one sale in January."""
    a, b = factories.business(), factories.business()
    x = factories.user("customer", email="x@example.test")
    # Before the window: x's first purchase, so x is a repeat customer in January.
    sale(a, paid_at=at(2025, 12, 20), total=10_000, buyer=x, status="completed")
    # January: one sale kept (x, 50.000, shipped after 24 h), one refunded (100.000), one cancelled part
    # of an order whose other part (B's, 70.000) was paid.
    sale(a, paid_at=at(2026, 1, 10, 3), total=50_000, items=40_000, buyer=x, shipped_at=at(2026, 1, 11, 3),
         status="delivered")
    sale(a, paid_at=at(2026, 1, 20), total=100_000, status="refunded", email="y@example.test")
    shared = sale(b, paid_at=at(2026, 1, 5), created_at=at(2026, 1, 5), total=70_000).order
    sale(a, created_at=at(2026, 1, 5), total=30_000, status="cancelled", order=shared)
    # February: y's first kept sale (paid 31 Jan 18:00 UTC = 1 Feb in Jakarta, shipped 12 h later), x again
    # (60.000), and a guest twice with the email written differently (20.000 + 40.000).
    sale(a, paid_at=at(2026, 1, 31, 18), total=30_000, items=20_000, email="y@example.test",
         shipped_at=at(2026, 2, 1, 6), status="shipped")
    sale(a, paid_at=at(2026, 2, 14), total=60_000, items=50_000, buyer=x, status="completed")
    sale(a, paid_at=at(2026, 2, 20), total=20_000, items=15_000, email="Z@Example.test", status="delivered")
    sale(a, paid_at=at(2026, 2, 25), total=40_000, items=35_000, email="z@example.test", status="packed")
    # March: nothing. April: y again, paid and not shipped yet.
    sale(a, paid_at=at(2026, 4, 2), total=45_000, items=35_000, email="y@example.test")
    db.session.commit()
    return a, b


def by_month(rows):
    return {m.month: m for m in rows}


def test_months_of_one_business(shops):
    a, b = shops
    months = by_month(queries.monthly_sales([a.id, b.id], date(2026, 1, 1), date(2026, 4, 30))[a.id])
    assert list(months) == ["2026-01", "2026-02", "2026-03", "2026-04"]

    jan = months["2026-01"]
    assert (jan.orders, jan.revenue_idr, jan.items_idr) == (1, 50_000, 40_000)
    assert (jan.refunds, jan.refunded_idr, jan.gross_idr) == (1, 100_000, 150_000)
    assert jan.cancelled == 1
    assert (jan.customers, jan.repeat_customers) == (1, 1)   # x bought in December
    assert (jan.shipped, jan.avg_hours_to_ship) == (1, 24.0)
    assert jan.average_order_idr == 50_000

    feb = months["2026-02"]
    # 30.000 + 60.000 + 20.000 + 40.000
    assert (feb.orders, feb.revenue_idr, feb.items_idr) == (4, 150_000, 120_000)
    assert feb.average_order_idr == 37_500
    assert (feb.refunds, feb.refunded_idr, feb.cancelled) == (0, 0, 0)
    # y (first kept sale: the January one was refunded), x (again), z (twice this month)
    assert (feb.customers, feb.repeat_customers) == (3, 2)
    assert (feb.shipped, feb.avg_hours_to_ship) == (1, 12.0)

    mar = months["2026-03"]
    assert (mar.orders, mar.revenue_idr, mar.refunds, mar.customers, mar.average_order_idr) == (0, 0, 0, 0, 0)
    assert mar.avg_hours_to_ship is None

    apr = months["2026-04"]
    assert (apr.orders, apr.revenue_idr, apr.customers, apr.repeat_customers, apr.shipped) == (1, 45_000, 1, 1, 0)


def test_the_other_seller_of_a_partly_cancelled_order_keeps_its_sale(shops):
    _, b = shops
    jan = by_month(queries.monthly_sales([b.id], date(2026, 1, 1), date(2026, 1, 31))[b.id])["2026-01"]
    assert (jan.orders, jan.revenue_idr, jan.cancelled, jan.customers, jan.repeat_customers) == (1, 70_000, 0, 1, 0)


def test_a_group_of_businesses_adds_up(shops):
    a, b = shops
    months = by_month(queries.group_monthly_sales([a.id, b.id], date(2026, 1, 1), date(2026, 3, 31)))
    assert (months["2026-01"].orders, months["2026-01"].revenue_idr, months["2026-01"].sellers) == (2, 120_000, 2)
    assert (months["2026-01"].refunded_idr, months["2026-01"].cancelled) == (100_000, 1)
    assert (months["2026-02"].orders, months["2026-02"].sellers) == (4, 1)
    assert (months["2026-03"].orders, months["2026-03"].sellers) == (0, 0)


def test_a_group_given_as_a_select_of_ids(shops):
    from sqlalchemy import select

    from marketplace.catalog.models import Business

    a, _ = shops
    ids = select(Business.id).where(Business.id.in_([a.id]))
    months = by_month(queries.group_monthly_sales(ids, date(2026, 2, 1), date(2026, 2, 28)))
    assert months["2026-02"].revenue_idr == 150_000


def test_totals_first_and_last_sale_and_active_months(shops):
    a, b = shops
    totals = queries.sales_totals([a.id], date(2026, 1, 1), date(2026, 4, 30))[a.id]
    # 50.000 + 150.000 + 45.000 over 6 orders
    assert (totals.orders, totals.revenue_idr, totals.refunds, totals.refunded_idr) == (6, 245_000, 1, 100_000)
    assert totals.average_order_idr == 40_833  # 245.000 / 6 = 40.833,3
    assert queries.first_sale_at([a.id, b.id]) == {a.id: at(2025, 12, 20), b.id: at(2026, 1, 5)}
    assert queries.last_sale_at([a.id]) == {a.id: at(2026, 4, 2)}
    assert queries.active_months([a.id, b.id], date(2026, 1, 1), date(2026, 4, 30)) == {
        a.id: {"2026-01", "2026-02", "2026-04"}, b.id: {"2026-01"}}


def test_parts_waiting_to_ship(shops):
    a, b = shops
    # Paid on 2 April, not shipped; the packed February part has waited too.
    assert queries.waiting_to_ship([a.id, b.id], now=at(2026, 4, 6)) == {a.id: 2, b.id: 1}
    assert queries.waiting_to_ship([a.id], now=at(2026, 2, 27)) == {}
    assert queries.waiting_to_ship([a.id], now=at(2026, 2, 28, 1)) == {a.id: 1}


def test_no_businesses_or_no_months():
    assert queries.monthly_sales([], date(2026, 1, 1), date(2026, 2, 1)) == {}
    assert queries.monthly_sales([1], date(2026, 3, 1), date(2026, 2, 1)) == {1: []}
    assert queries.group_monthly_sales([], date(2026, 1, 1), date(2026, 1, 31))[0].orders == 0
    assert queries.first_sale_at([]) == {} and queries.waiting_to_ship([]) == {}


def test_month_keys_cross_a_year():
    assert month_keys(date(2025, 11, 30), date(2026, 2, 1)) == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_query_count_does_not_grow_with_businesses(shops):
    a, b = shops
    many = [factories.business().id for _ in range(5)]
    db.session.commit()
    a_id, b_id = a.id, b.id
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        queries.monthly_sales([a_id], date(2026, 1, 1), date(2026, 4, 30))
        one = len(statements)
        statements.clear()
        queries.monthly_sales([a_id, b_id, *many], date(2025, 1, 1), date(2026, 12, 31))
        assert len(statements) == one == 4
        statements.clear()
        queries.group_monthly_sales([a_id, b_id, *many], date(2025, 1, 1), date(2026, 12, 31))
        assert len(statements) == 4
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_sales_spans(shops):
    a, b = shops
    spans = queries.sales_spans([a.id, b.id], date(2026, 3, 1), date(2026, 3, 31))
    assert spans[a.id] == queries.SalesSpan(at(2025, 12, 20), at(2026, 4, 2), False)  # nothing in March
    assert spans[b.id] == queries.SalesSpan(at(2026, 1, 5), at(2026, 1, 5), False)
    assert queries.sales_spans([a.id], date(2026, 4, 1), date(2026, 4, 30))[a.id].sold_in_window
