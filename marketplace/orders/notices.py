"""Emails about an order, and the signed link that lets a guest see their order."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core.policy import Role
from marketplace.extensions import db
from marketplace.notifications.services import send_email
from marketplace.orders.lookup import order_by_public_id
from marketplace.orders.models import Order, OrderPart


def order_link(order: Order) -> str:
    """The signed link that lets a guest (or anyone holding the email) view the order."""
    return f"{current_app.config['PUBLIC_URL']}/orders/view/{sign_order(order)}"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="order-view")


def sign_order(order: Order) -> str:
    return _serializer().dumps(order.public_id)


def order_from_token(token: str, max_age_days: int = 365) -> Order | None:
    try:
        public_id = _serializer().loads(token, max_age=max_age_days * 86400)
    except BadSignature:
        return None
    return order_by_public_id(public_id)


def customer_locale(order: Order) -> str:
    """A signed-in customer's current language (they may have switched since ordering); a guest's is
    the one they ordered in."""
    if order.user is not None and order.user.locale:
        return order.user.locale
    return order.locale or "id"


def email_customer(order: Order, template: str, **context) -> None:
    send_email(order.email, template, customer_locale(order), order=order, link=order_link(order), **context)


def email_seller(part: OrderPart, template: str, **context) -> None:
    owner = part.business.owner
    link = f"{current_app.config['PUBLIC_URL']}/seller/orders/{part.id}"
    send_email(owner.email, template, owner.locale or "id", part=part, order=part.order, link=link, **context)


def email_program_staff(part: OrderPart, template: str, link_path: str, **context) -> None:
    """Each staff member of the seller's program who has set up their account, in their own language;
    staff of other programs never. Where nobody of the program can act (a seller without a program, a
    program whose staff have not set up their accounts yet) the admins are mailed instead, so that the
    report reaches someone who can decide it; otherwise they read every program's pages instead of being
    mailed about each."""
    can_act = (User.deleted_at.is_(None), User.email_verified_at.is_not(None))
    program_id = part.business.owner.program_id
    recipients = db.session.execute(
        select(User).where(User.role == Role.STAFF.value, User.program_id == program_id, *can_act)
        .order_by(User.id)).scalars().all() if program_id is not None else []
    if not recipients:
        recipients = db.session.execute(
            select(User).where(User.role == Role.ADMIN.value, *can_act).order_by(User.id)).scalars().all()
    link = f"{current_app.config['PUBLIC_URL']}{link_path}"
    for member in recipients:
        send_email(member.email, template, member.locale or "id", part=part, order=part.order, link=link,
                   staff_member=member, **context)
