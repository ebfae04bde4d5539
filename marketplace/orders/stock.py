"""Stock moves by one conditional statement each: never read-then-write."""
from __future__ import annotations

from sqlalchemy import update

from marketplace.catalog.models import Variant
from marketplace.extensions import db
from marketplace.orders.cart import title
from marketplace.orders.errors import OutOfStock
from marketplace.orders.models import OrderPart


def reserve_stock(variant_id: int, quantity: int) -> None:
    """One conditional UPDATE: two buyers can never both take the last unit."""
    result = db.session.execute(
        update(Variant).where(Variant.id == variant_id, Variant.stock >= quantity)
        .values(stock=Variant.stock - quantity).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        variant = db.session.get(Variant, variant_id)
        db.session.refresh(variant)
        raise OutOfStock(title(variant), variant.stock)


def release_stock(variant_id: int | None, quantity: int) -> None:
    if variant_id is None:
        return
    db.session.execute(update(Variant).where(Variant.id == variant_id).values(stock=Variant.stock + quantity)
                       .execution_options(synchronize_session=False))


def restock(part: OrderPart) -> None:
    for line in part.lines:
        release_stock(line.variant_id, line.quantity)
