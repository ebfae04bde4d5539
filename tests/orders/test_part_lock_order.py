"""Several parts of one order move in one order, by seller (business id) then part id, whoever moves
them: triggers on ``order_parts`` lock the sellers' monthly roll-up rows (``sales_months``) as the
parts move, so two payments touching the same two sellers in opposite orders of their carts would
otherwise wait on each other (a PostgreSQL deadlock)."""
import pytest
from sqlalchemy import func, select

from marketplace.orders import closing, settlement, status
from marketplace.orders.models import Order
from marketplace.orders.rollup import SalesMonth
from marketplace.payments import services as payments
from marketplace.payments.models import LedgerEntry
from tests import factories
from tests.races import at_once

ROUNDS = 25


def _orders_in_opposite_orders(first, second, **fields):
    """Two orders of one unit from each of two products: the first cart adds ``first`` first, the
    second cart ``second`` first, so their parts are created in opposite seller orders."""
    return (factories.order([(first.variants[0], 1), (second.variants[0], 1)], **fields),
            factories.order([(second.variants[0], 1), (first.variants[0], 1)], **fields))


def _moves(monkeypatch) -> list[int]:
    moved: list[int] = []
    real = status.transition

    def spy(part_id, *args, **kwargs):
        moved.append(part_id)
        return real(part_id, *args, **kwargs)

    for module in (status, settlement, closing):
        monkeypatch.setattr(module, "transition", spy, raising=False)
    return moved


def _lock_order(order: Order) -> list[int]:
    return [part.id for part in sorted(order.parts, key=lambda p: (p.business_id, p.id))]


def test_paying_moves_an_orders_parts_by_seller_whatever_the_cart_order(db, monkeypatch):
    low, high = factories.product(stock=5), factories.product(stock=5)
    _, reversed_order = _orders_in_opposite_orders(low, high)
    assert [p.business_id for p in reversed_order.parts] == [high.business_id, low.business_id]  # cart order
    moved = _moves(monkeypatch)
    factories.pay(reversed_order)
    assert moved == _lock_order(reversed_order)
    assert [p.business_id for p in status.in_lock_order(reversed_order.parts)] == [low.business_id,
                                                                                   high.business_id]


def test_closing_an_unpaid_order_moves_its_parts_by_seller(app, db, monkeypatch):
    low, high = factories.product(stock=5), factories.product(stock=5)
    _, reversed_order = _orders_in_opposite_orders(low, high)
    moved = _moves(monkeypatch)
    closing.cancel_unpaid_order(reversed_order.id, None)
    assert moved == _lock_order(reversed_order)


def test_cash_on_delivery_is_confirmed_part_by_part(db, monkeypatch):
    low, high = factories.product(stock=5), factories.product(stock=5)
    _, reversed_order = _orders_in_opposite_orders(low, high, payment_method="cod")
    moved = _moves(monkeypatch)
    factories.pay(reversed_order)  # each seller confirms their own cash: one part per transaction
    assert sorted(moved) == sorted(p.id for p in reversed_order.parts)


@pytest.mark.postgres_only  # concurrent writers and row locks
@pytest.mark.committed  # the racing threads must see the committed orders
def test_payments_for_the_same_two_sellers_in_opposite_orders_never_deadlock(app, db):
    low, high = factories.product(stock=ROUNDS * 2), factories.product(stock=ROUNDS * 2)
    rounds = []
    for _ in range(ROUNDS):
        one, other = _orders_in_opposite_orders(low, high)
        rounds.append([(o.id, payments.payment_for(o).to_transfer_idr) for o in (one, other)])
    db.session.commit()
    failures: list[str] = []
    for pair in rounds:
        outcomes = at_once(app, *(lambda racer=racer: settlement.confirm_bank_transfer(*racer, None) for racer in pair))
        failures += [repr(o) for o in outcomes if isinstance(o, Exception)]  # a deadlock, say
    assert failures == []
    db.session.expire_all()
    paid = db.session.execute(select(func.count(Order.id)).where(Order.status == "paid")).scalar_one()
    assert paid == ROUNDS * 2
    sales = db.session.execute(select(LedgerEntry.business_id, func.count(LedgerEntry.id))
                               .where(LedgerEntry.kind == "sale").group_by(LedgerEntry.business_id)).all()
    assert dict(sales) == {low.business_id: ROUNDS * 2, high.business_id: ROUNDS * 2}
    rolled_up = db.session.execute(select(SalesMonth.business_id, func.sum(SalesMonth.orders))
                                   .group_by(SalesMonth.business_id)).all()
    assert dict(rolled_up) == {low.business_id: ROUNDS * 2, high.business_id: ROUNDS * 2}  # exact, too
