"""Many buyers, few units, at the same moment (PostgreSQL: SQLite serialises writers anyway)."""
import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Variant
from marketplace.orders import cart as cart_service
from marketplace.orders import checkout, errors
from marketplace.orders.models import Order
from tests import factories
from tests.races import at_once

BUYERS = 8
UNITS = 3


@pytest.mark.postgres_only  # concurrent writers and row locks
@pytest.mark.committed  # the buyers' threads must see the committed carts
def test_concurrent_checkouts_sell_exactly_the_stock(app, db):
    variant_id = factories.product(stock=UNITS).variants[0].id
    carts = []
    for _ in range(BUYERS):
        cart = cart_service.cart_for_token(None)
        cart_service.add_to_cart(cart.id, variant_id, 1, None)
        carts.append(cart.id)
    db.session.commit()

    def buy(cart_id: int, n: int):
        return lambda: checkout.place_order(checkout.CheckoutRequest(
            cart_id=cart_id, email=f"buyer{n}@example.test", address=factories.address(), delivery={},
            payment_method="bank_transfer", idempotency_key=f"concurrent-{n:02d}-xxxxxxxxxxxx"))

    outcomes = at_once(app, *(buy(cart_id, n) for n, cart_id in enumerate(carts)))
    db.session.expire_all()
    failures = [o for o in outcomes if isinstance(o, Exception)]
    assert len(outcomes) - len(failures) == UNITS
    assert len(failures) == BUYERS - UNITS
    assert all(isinstance(f, errors.OutOfStock) and f.available == 0 for f in failures)
    assert db.session.get(Variant, variant_id).stock == 0
    assert db.session.execute(select(func.count(Order.id))).scalar_one() == UNITS
