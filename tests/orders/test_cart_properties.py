"""Whatever a browser sends to the cart, in whatever order: never a server error, never more in a line
than the stock (or the per-line maximum), and the total is always the database's prices times the
quantities kept."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from marketplace.orders import cart as carts
from marketplace.orders.models import Cart, CartItem
from tests import factories

quantities = st.one_of(st.integers(min_value=-5, max_value=120).map(str),
                       st.sampled_from(["", " 2 ", "1e3", "2.5", "0x10", "٣", "9" * 30, "NaN", "<b>1</b>"]))
steps = st.lists(st.tuples(st.sampled_from(["add", "set", "remove"]), st.integers(0, 2), quantities),
                 min_size=1, max_size=12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_any_sequence_of_cart_requests_keeps_the_cart_within_stock(app, db, steps):
    db.session.execute(delete(CartItem))
    db.session.execute(delete(Cart))
    products = [factories.product(stock=stock, price_idr=price)
                for stock, price in ((3, 25_000), (150, 1_000), (0, 9_000))]
    db.session.commit()
    variants = [p.variants[0] for p in products]
    client = app.test_client()  # a new guest for every example

    for action, index, quantity in steps:
        variant_id = variants[index].id
        if action == "add":
            response = client.post("/cart/add", data={"variant_id": variant_id, "quantity": quantity})
        elif action == "set":
            response = client.post(f"/cart/items/{variant_id}/quantity", data={"quantity": quantity})
        else:
            response = client.post(f"/cart/items/{variant_id}/remove")
        assert response.status_code in (200, 302, 400, 404), (action, quantity, response.status_code)

    db.session.expire_all()
    items = db.session.execute(select(CartItem)).scalars().all()
    for item in items:
        assert 1 <= item.quantity <= min(item.variant.stock, carts.MAX_QUANTITY_PER_LINE)
    cart = db.session.execute(select(Cart)).scalars().first()
    summary = carts.summarize_cart(cart, None)
    assert summary.items_idr == sum(item.quantity * item.variant.unit_price_idr for item in items)
