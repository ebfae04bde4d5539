import pytest
from sqlalchemy import func, select

from marketplace import demo
from marketplace.catalog.models import Product
from marketplace.extensions import db as _db
from marketplace.orders import privacy
from marketplace.orders.models import Order
from tests import factories


def test_export_and_erase_keep_the_record_but_not_the_person(db):
    customer = factories.user("customer")
    order = factories.order(buyer=customer)
    exported = privacy.export_user_data(customer)
    assert exported["orders"][0]["address"]["phone"] == "+6281234567890"
    privacy.erase_user_data(customer)
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(Order, order.id)
    assert kept.user_id is None and kept.phone == "" and kept.street == "" and "@invalid" in kept.email
    assert kept.total_idr == order.total_idr and kept.parts[0].lines[0].title


@pytest.mark.long
def test_demo_orders_cover_every_state_and_a_second_run_adds_nothing(db):
    demo.seed()  # users and storefronts; the catalog demo may add products, or not
    if not db.session.execute(select(func.count(Product.id))).scalar_one():
        assert db.session.execute(select(func.count(Order.id))).scalar_one() == 0  # nothing to buy: no orders
        for business in db.session.execute(select(demo.Business)).scalars().all()[:3]:
            factories.product(business, stock=20)
    from marketplace.orders.demo import seed

    seed()
    _db.session.commit()
    count = db.session.execute(select(func.count(Order.id))).scalar_one()
    seed()
    assert db.session.execute(select(func.count(Order.id))).scalar_one() == count
    statuses = {part.status for order in db.session.execute(select(Order)).scalars() for part in order.parts}
    assert statuses == {"awaiting_payment", "paid", "packed", "shipped", "delivered", "completed", "cancelled",
                        "refunded"}
