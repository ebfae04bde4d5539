"""Who may see an order in this request: its signed-in customer, or the browser that placed it or
opened its emailed link (a guest has no account to tie it to). Request-aware, so not a service; the
payment pages use it too."""
from __future__ import annotations

from flask import abort, session
from flask_login import current_user

from marketplace.core.policy import placed_order
from marketplace.orders import lookup
from marketplace.orders.models import Order

GUEST_ORDERS_KEY = "my_orders"


def remember_order(order: Order) -> None:
    """This browser may see and pay the order from now on."""
    known = [public_id for public_id in session.get(GUEST_ORDERS_KEY, []) if public_id != order.public_id]
    session[GUEST_ORDERS_KEY] = (known + [order.public_id])[-20:]


def can_view(order: Order | None) -> bool:
    if order is None:
        return False
    if placed_order(current_user, order):
        return True
    return order.public_id in session.get(GUEST_ORDERS_KEY, [])


def visible_order_or_404(public_id: str) -> Order:
    """The order, or 404 for a missing one and for someone else's alike (ids cannot be probed)."""
    order = lookup.order_by_public_id(public_id)
    if not can_view(order):
        abort(404)
    return order
