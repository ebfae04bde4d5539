"""Loading orders for this domain's own pages. Other domains read sales through ``orders/queries.py``."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.catalog.models import Business
from marketplace.core.policy import is_admin
from marketplace.extensions import db
from marketplace.orders.models import Cart, CartItem, Order, OrderPart, OrderStatus
from marketplace.orders.status import SOLD_PART_STATUSES
from marketplace.payments.models import Payment, PaymentMethod, PaymentStatus, Refund, RefundStatus


def order_by_public_id(public_id: str) -> Order | None:
    return db.session.execute(select(Order).where(Order.public_id == public_id)).scalar_one_or_none()


def order_for_key(idempotency_key: str) -> Order | None:
    return db.session.execute(select(Order).where(Order.idempotency_key == idempotency_key)).scalar_one_or_none()


def orders_for_user(user_id: int) -> list[Order]:
    return db.session.execute(
        select(Order).where(Order.user_id == user_id).order_by(Order.created_at.desc(), Order.id.desc())
        .options(selectinload(Order.parts).selectinload(OrderPart.business), selectinload(Order.payment),
                 selectinload(Order.refunds))
    ).scalars().all()


class Purchases(NamedTuple):
    in_cart: bool   # their cart holds something
    ordered: bool   # they have placed an order


def purchases_of(user_id: int) -> Purchases:
    """Whether a person has something in their cart, and whether they have ordered: one statement."""
    in_cart = exists().where(CartItem.cart_id == Cart.id, Cart.user_id == user_id)
    ordered = exists().where(Order.user_id == user_id)
    return Purchases(*db.session.execute(select(in_cart, ordered)).one())


def load_order(order_id: int) -> Order | None:
    return db.session.execute(
        select(Order).where(Order.id == order_id)
        .options(selectinload(Order.parts).selectinload(OrderPart.lines),
                 selectinload(Order.parts).selectinload(OrderPart.business), selectinload(Order.events),
                 selectinload(Order.payment), selectinload(Order.refunds))
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


def _orders_in_scope(staff):
    """Ids of the orders with a part of a storefront whose money ``staff`` handles (None: every order,
    for the admin). A multi-seller order belongs to every program one of its sellers is in."""
    if is_admin(staff):
        return None
    return (select(OrderPart.order_id).join(Business, Business.id == OrderPart.business_id)
            .join(User, Business.owner_id == User.id).where(User.program_id == staff.program_id))


def transfers_awaiting(staff) -> list[Order]:
    """Bank-transfer orders waiting for their money that ``staff`` may confirm, flagged ones first."""
    query = (select(Order).join(Payment, Payment.order_id == Order.id)
             .where(Order.status == OrderStatus.AWAITING_PAYMENT.value,
                    Payment.provider == PaymentMethod.BANK_TRANSFER.value,
                    Payment.status == PaymentStatus.PENDING.value)
             .options(selectinload(Order.parts).selectinload(OrderPart.business).selectinload(Business.owner),
                      selectinload(Order.payment))
             .order_by(Payment.flagged_at.is_(None), Order.created_at, Order.id))
    if (scope := _orders_in_scope(staff)) is not None:
        query = query.where(Order.id.in_(scope))
    return db.session.execute(query).scalars().all()


def refunds_for_staff(staff, status: RefundStatus, limit: int = 200) -> list[tuple[Refund, Order]]:
    """Refunds (owed, or recently sent) of the orders ``staff`` handles, with their orders. Cash on
    delivery is not among them: the seller who collected the cash gives it back."""
    query = (select(Refund, Order).join(Order, Order.id == Refund.order_id)
             .join(Payment, Payment.id == Refund.payment_id)
             .where(Refund.status == status.value, Payment.provider != PaymentMethod.COD.value)
             .order_by(Refund.created_at.desc() if status is RefundStatus.SENT else Refund.created_at, Refund.id)
             .limit(limit))
    if (scope := _orders_in_scope(staff)) is not None:
        query = query.where(Order.id.in_(scope))
    return [(refund, order) for refund, order in db.session.execute(query).all()]


def _cash_refunds_owed():
    """Cash sellers collected (cash on delivery) for parts since refunded and have not given back yet,
    with their parts (and orders), oldest first."""
    return (select(Refund, OrderPart).join(OrderPart, OrderPart.id == Refund.order_part_id)
            .join(Payment, Payment.id == Refund.payment_id)
            .where(Refund.status == RefundStatus.OWED.value, Payment.provider == PaymentMethod.COD.value)
            .options(selectinload(OrderPart.order))
            .order_by(Refund.created_at, Refund.id))


def cash_refunds_owed_by(business_id: int) -> list[tuple[Refund, OrderPart]]:
    """What one seller still owes their customers in cash, oldest first."""
    query = _cash_refunds_owed().where(OrderPart.business_id == business_id)
    return [(refund, part) for refund, part in db.session.execute(query).all()]


def cash_refunds_owed_by_sellers(staff, limit: int = 200) -> list[tuple[Refund, OrderPart]]:
    """The cash refunds still owed by the sellers whose money ``staff`` handles (every seller for the
    admin), the longest waiting first, with each part's storefront and its owner: staff only follow
    them up, since the seller holds that cash. Scoped by the seller's program, not the order's: a
    multi-seller order's other sellers' programs have nothing to chase."""
    query = (_cash_refunds_owed().options(selectinload(OrderPart.business).selectinload(Business.owner))
             .limit(limit))
    if not is_admin(staff):
        query = query.where(OrderPart.business_id.in_(
            select(Business.id).join(User, Business.owner_id == User.id).where(User.program_id == staff.program_id)))
    return [(refund, part) for refund, part in db.session.execute(query).all()]


def transfer_paid_with(staff, amount_idr: int, description: str) -> Order | None:
    """The order (``staff`` handles) already paid by a transfer of exactly ``amount_idr``: a statement
    line uploaded twice finds its order here. The order number in the description decides between
    several."""
    query = (select(Order).join(Payment, Payment.order_id == Order.id)
             .where(Payment.provider == PaymentMethod.BANK_TRANSFER.value,
                    Payment.status == PaymentStatus.SUCCEEDED.value, Payment.received_idr == amount_idr)
             .order_by(Order.created_at.desc(), Order.id.desc()).limit(20))
    if (scope := _orders_in_scope(staff)) is not None:
        query = query.where(Order.id.in_(scope))
    orders = db.session.execute(query).scalars().all()
    named = [order for order in orders if order.number in (description or "").upper()]
    return (named or orders or [None])[0]
