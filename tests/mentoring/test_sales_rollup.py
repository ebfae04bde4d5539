"""The monthly roll-up of sales (orders/rollup.py, kept by triggers) that the mentor's dashboard and the
impact report read: after every kind of change to order parts it says what the order parts themselves say
(``orders.queries``), month by month, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select, update

from marketplace.extensions import db
from marketplace.orders import queries, rollup
from marketplace.orders.models import OrderPart
from tests import factories
from tests.orders.test_queries import sale

FIRST, LAST = date(2025, 12, 1), date(2026, 4, 30)
COMPARED = ("orders", "revenue_idr", "items_idr", "refunds", "refunded_idr", "cancelled")


def at(y, m, d, h=3):
    return datetime(y, m, d, h, tzinfo=UTC)


def rolled_up(ids) -> dict[int, list[tuple]]:
    return {bid: [(m.month, *(getattr(m, c) for c in COMPARED)) for m in months]
            for bid, months in rollup.monthly_totals(ids, FIRST, LAST).items()}


def from_the_parts(ids) -> dict[int, list[tuple]]:
    return {bid: [(m.month, *(getattr(m, c) for c in COMPARED)) for m in months]
            for bid, months in queries.monthly_sales(ids, FIRST, LAST).items()}


def move(part: OrderPart, **values) -> None:
    """A conditional UPDATE, as orders/status.py moves parts (no ORM flush of the part)."""
    db.session.execute(update(OrderPart).where(OrderPart.id == part.id).values(**values)
                       .execution_options(synchronize_session=False))


def test_the_roll_up_follows_every_change_of_the_parts():
    a, b = factories.business(), factories.business()
    kept = sale(a, paid_at=at(2026, 1, 10), total=120_000, items=100_000, status="completed")
    refunded_later = sale(a, paid_at=at(2026, 1, 31, 18), total=80_000, status="paid")  # 1 February in Jakarta
    waiting = sale(a, created_at=at(2026, 2, 3), total=60_000, status="awaiting_payment")
    expires = sale(b, created_at=at(2026, 3, 31, 20), total=40_000, status="awaiting_payment")  # April in Jakarta
    paid_late = sale(b, created_at=at(2026, 2, 27), total=70_000, status="awaiting_payment")
    sale(b, created_at=at(2025, 12, 5), total=30_000, status="cancelled")
    db.session.commit()
    assert rolled_up([a.id, b.id]) == from_the_parts([a.id, b.id])

    move(refunded_later, status="refunded")                                 # a refund after the sale
    move(waiting, status="paid", paid_at=at(2026, 3, 2))                    # paid in another month
    move(expires, status="cancelled")                                       # expired before payment
    move(paid_late, status="paid", paid_at=at(2026, 3, 1))
    move(paid_late, status="packed")                                        # no change to the figures
    move(kept, total_idr=150_000, items_idr=130_000)
    db.session.commit()
    ids = [a.id, b.id]
    assert rolled_up(ids) == from_the_parts(ids)
    months = {m.month: m for m in rollup.monthly_totals([a.id], FIRST, LAST)[a.id]}
    assert (months["2026-01"].revenue_idr, months["2026-02"].refunded_idr, months["2026-03"].orders) == (150_000, 80_000, 1)
    assert {m.month: m.cancelled for m in rollup.monthly_totals([b.id], FIRST, LAST)[b.id] if m.cancelled} == {
        "2025-12": 1, "2026-04": 1}

    part = db.session.execute(select(OrderPart).where(OrderPart.id == kept.id)).scalar_one()
    part.status = "refunded"  # through the ORM too
    db.session.commit()
    assert rolled_up(ids) == from_the_parts(ids)


def test_group_totals_and_selling_months_agree_with_the_parts():
    a, b, quiet = factories.business(), factories.business(), factories.business()
    sale(a, paid_at=at(2025, 10, 1), total=10_000, status="refunded")   # first sale, refunded
    sale(a, paid_at=at(2026, 2, 1), total=20_000, status="completed")
    sale(b, paid_at=at(2026, 1, 5), total=30_000, status="completed")
    sale(b, paid_at=at(2026, 3, 5), total=40_000, status="refunded")
    sale(quiet, created_at=at(2026, 1, 5), total=5_000, status="cancelled")
    db.session.commit()
    ids = [a.id, b.id, quiet.id]
    group = rollup.group_monthly_totals(ids, FIRST, LAST)
    raw = queries.group_monthly_sales(ids, FIRST, LAST, customers=False, shipping=False)
    assert [(m.month, m.sellers, *(getattr(m, c) for c in COMPARED)) for m in group] == [
        (m.month, m.sellers, *(getattr(m, c) for c in COMPARED)) for m in raw]
    spans = rollup.selling_months(ids, date(2026, 3, 1), LAST)
    assert spans == {a.id: rollup.SellingMonths("2025-10", "2026-02", False),
                     b.id: rollup.SellingMonths("2026-01", "2026-01", False)}
    raw = queries.sales_totals(ids, FIRST, LAST)
    assert rollup.period_revenue({"a": [a.id], "a and b": select(OrderPart.business_id).where(
        OrderPart.business_id.in_([a.id, b.id])), "quiet": [quiet.id]}, FIRST, LAST) == {
        "a": (raw[a.id].revenue_idr, 1), "a and b": (raw[a.id].revenue_idr + raw[b.id].revenue_idr, 2),
        "quiet": (0, 0)}  # a cancelled part is not a sale: no seller
