"""Loading orders for this domain's own pages. Other domains read sales through ``orders/queries.py``."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.core.policy import is_admin
from marketplace.catalog.models import Business
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderPart
from marketplace.orders.status import SOLD_PART_STATUSES


def order_by_public_id(public_id: str) -> Order | None:
    return db.session.execute(select(Order).where(Order.public_id == public_id)).scalar_one_or_none()


def order_for_key(idempotency_key: str) -> Order | None:
    return db.session.execute(select(Order).where(Order.idempotency_key == idempotency_key)).scalar_one_or_none()


def orders_for_user(user_id: int) -> list[Order]:
    return db.session.execute(
        select(Order).where(Order.user_id == user_id).order_by(Order.created_at.desc(), Order.id.desc())
        .options(selectinload(Order.parts).selectinload(OrderPart.business), selectinload(Order.payment))
    ).scalars().all()


def load_order(order_id: int) -> Order | None:
    return db.session.execute(
        select(Order).where(Order.id == order_id)
        .options(selectinload(Order.parts).selectinload(OrderPart.lines),
                 selectinload(Order.parts).selectinload(OrderPart.business), selectinload(Order.events),
                 selectinload(Order.payment))
    ).scalar_one_or_none()


def parts_for_business(business_id: int, statuses: list[str] | None = None, limit: int = 200) -> list[OrderPart]:
    query = (select(OrderPart).where(OrderPart.business_id == business_id)
             .options(selectinload(OrderPart.order), selectinload(OrderPart.lines))
             .order_by(OrderPart.created_at.desc(), OrderPart.id.desc()).limit(limit))
    if statuses:
        query = query.where(OrderPart.status.in_(statuses))
    return db.session.execute(query).scalars().all()


def sales_total_idr(business_id: int) -> int:
    """What the seller's delivered-or-on-the-way parts are worth, summed by the database (the
    history page lists only the latest parts)."""
    return int(db.session.execute(
        select(func.coalesce(func.sum(OrderPart.total_idr), 0))
        .where(OrderPart.business_id == business_id, OrderPart.status.in_(SOLD_PART_STATUSES))
    ).scalar_one())


def program_businesses(staff) -> list[Business]:
    """The storefronts whose money ``staff`` handles: their program's sellers (every one for an admin)."""
    query = select(Business).join(User, Business.owner_id == User.id).options(selectinload(Business.owner))
    if not is_admin(staff):
        query = query.where(User.program_id == staff.program_id)
    return db.session.execute(query.order_by(Business.name)).scalars().all()
