"""Staff: orders of their program's sellers waiting for a bank transfer or cash (blueprint
``staff_orders``, under the payouts area)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.core.policy import Role, allow, handles_money_of
from marketplace.catalog.models import Business
from marketplace.extensions import db
from marketplace.orders import lookup, settlement
from marketplace.orders.errors import OrderError
from marketplace.orders.forms import ActionForm
from marketplace.orders.models import Order, OrderPart, PartStatus
from marketplace.payments.models import PaymentMethod
from marketplace.payments.providers import bank_account

bp = Blueprint("staff_orders", __name__, url_prefix="/staff/payouts")


@bp.get("/awaiting-payment")
@allow(Role.STAFF, Role.ADMIN)
def awaiting_payment():
    ids = [b.id for b in lookup.program_businesses(current_user)]
    parts = db.session.execute(
        select(OrderPart).join(OrderPart.order)
        .where(OrderPart.business_id.in_(ids), OrderPart.status == PartStatus.AWAITING_PAYMENT.value,
               Order.payment_method != PaymentMethod.STRIPE.value)
        .options(selectinload(OrderPart.order), selectinload(OrderPart.business))
        .order_by(OrderPart.created_at)).scalars().all() if ids else []
    return render_template("orders/staff_awaiting_payment.html", parts=parts, form=ActionForm(), bank=bank_account())


@bp.post("/parts/<int:part_id>/confirm")
@allow(Role.STAFF, Role.ADMIN)
def confirm_part(part_id: int):
    part = db.session.get(OrderPart, part_id)
    business = db.session.get(Business, part.business_id) if part is not None else None
    if not handles_money_of(current_user, business):
        abort(404)
    if not ActionForm().validate():
        abort(400)
    try:
        settlement.confirm_offline_payment(part.id, current_user.id)
    except OrderError:
        flash(_("This order cannot be marked paid now."), "error")
    else:
        flash(_("Payment confirmed."), "success")
    return redirect(url_for("staff_orders.awaiting_payment"))
