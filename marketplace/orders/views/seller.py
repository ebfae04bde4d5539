"""The seller's side of orders: queue, fulfilment steps, cancel, sales history, delivery rates."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.catalog import storefronts as catalog
from marketplace.core.errors import show_error
from marketplace.core.formatting import rupiah
from marketplace.core.nav import register_nav
from marketplace.core.policy import Role, allow, sells_part
from marketplace.core.setup_steps import register_step
from marketplace.extensions import db
from marketplace.orders import closing, delivery, fulfilment, lookup, settlement
from marketplace.orders.errors import InvalidTransition, MissingShippingDetails, NotAllowed, OrderError, RefundFailed
from marketplace.orders.forms import ActionForm, CancelForm, CashReturnedForm, DeliverySettingsForm, ShipForm
from marketplace.orders.models import OrderPart, PartStatus
from marketplace.payments.errors import PaymentsError
from marketplace.payments.models import PaymentMethod
from marketplace.payments.providers import bank_account

bp = Blueprint("seller_orders", __name__, url_prefix="/seller/orders")

register_nav(_l("Incoming orders"), "seller_orders.queue", {Role.GRADUATE}, 40)


def _delivery_ready(user_id: int) -> bool:
    business = catalog.business_of(user_id)
    return business is not None and delivery.delivery_settings_saved(business.id)


register_step("delivery", _l("Set your delivery rates"), "seller_orders.delivery_settings", 20,
              _delivery_ready)

OPEN_STATUSES = [PartStatus.AWAITING_PAYMENT.value, PartStatus.PAID.value, PartStatus.PACKED.value]
HISTORY_STATUSES = [PartStatus.SHIPPED.value, PartStatus.DELIVERED.value, PartStatus.COMPLETED.value,
                    PartStatus.CANCELLED.value, PartStatus.REFUNDED.value]


def _my_business():
    return catalog.business_of(current_user.id)


def _my_part(part_id: int) -> OrderPart:
    part = db.session.get(OrderPart, part_id)
    if not sells_part(current_user, part):
        abort(404)
    return part


@bp.get("")
@allow(Role.GRADUATE)
def queue():
    business = _my_business()
    parts = lookup.parts_for_business(business.id, OPEN_STATUSES) if business else []
    return render_template("orders/seller_queue.html", business=business, parts=parts, history=False)


@bp.get("/sales")
@allow(Role.GRADUATE)
def sales():
    business = _my_business()
    parts = lookup.parts_for_business(business.id, HISTORY_STATUSES) if business else []
    return render_template("orders/seller_queue.html", business=business, parts=parts, history=True,
                           sales_total_idr=lookup.sales_total_idr(business.id) if business else 0)


def _render_part(part: OrderPart, status: int = 200, **forms):
    forms.setdefault("ship_form", ShipForm())
    forms.setdefault("cancel_form", CancelForm())
    forms.setdefault("cash_form", CashReturnedForm())
    order = lookup.load_order(part.order_id)
    refund = next((r for r in order.refunds if r.order_part_id == part.id), None)
    return render_template("orders/seller_part.html", part=part, order=order, action_form=ActionForm(),
                           bank=bank_account(), refund=refund, **forms), status


@bp.get("/<int:part_id>")
@allow(Role.GRADUATE)
def detail(part_id: int):
    return _render_part(_my_part(part_id))


@bp.post("/<int:part_id>/confirm-payment")
@allow(Role.GRADUATE)
def confirm_payment(part_id: int):
    part = _my_part(part_id)
    if not ActionForm().validate():
        abort(400)
    try:
        settlement.confirm_cash_payment(part.id, current_user.id)
    except NotAllowed:
        flash(_("Program staff confirm bank transfers into the program's account; you will get an email when "
                "this order is paid."), "error")
        return _render_part(part, 400)
    except OrderError:
        flash(_("This order cannot be marked paid now."), "error")
        return _render_part(part, 400)
    flash(_("Payment confirmed."), "success")
    return redirect(url_for("seller_orders.detail", part_id=part.id))


STEP_MESSAGES = {
    PartStatus.PACKED.value: _l("Marked as packed."),
    PartStatus.SHIPPED.value: _l("Marked as shipped. The customer has been told."),
    PartStatus.DELIVERED.value: _l("Marked as delivered."),
    PartStatus.COMPLETED.value: _l("Order completed."),
}


@bp.post("/<int:part_id>/advance/<status>")
@allow(Role.GRADUATE)
def advance(part_id: int, status: str):
    part = _my_part(part_id)
    if status not in STEP_MESSAGES:
        abort(404)
    form = ShipForm()
    if not form.validate():
        return _render_part(part, 400, ship_form=form)
    try:
        fulfilment.advance_part(part.id, status, current_user.id, form.courier.data, form.tracking_number.data)
    except MissingShippingDetails as exc:
        show_error(exc, form.tracking_number)
        return _render_part(part, 400, ship_form=form)
    except InvalidTransition as exc:
        show_error(exc)
        return _render_part(part, 400, ship_form=form)
    flash(STEP_MESSAGES[status], "success")
    return redirect(url_for("seller_orders.detail", part_id=part.id))


@bp.post("/<int:part_id>/cancel")
@allow(Role.GRADUATE)
def cancel(part_id: int):
    part = _my_part(part_id)
    form = CancelForm()
    if not form.validate():
        return _render_part(part, 400, cancel_form=form)
    try:
        cancelled = closing.cancel_part(part.id, current_user.id, form.reason.data)
    except RefundFailed as exc:
        show_error(exc)
        return _render_part(part, 502, cancel_form=form)
    except OrderError:
        flash(_("This order cannot be cancelled now. It may have been cancelled already."), "error")
        return _render_part(part, 400, cancel_form=form)
    method = PaymentMethod(cancelled.order.payment_method)
    if cancelled.status == PartStatus.REFUNDED.value and method.online:
        flash(_("Order cancelled and %(amount)s refunded to the customer's card; the stock is back on sale.",
                amount=rupiah(cancelled.total_idr)), "success")
    elif cancelled.status == PartStatus.REFUNDED.value and method.collected_by_seller:
        flash(_("Order cancelled; the stock is back on sale. The customer paid you %(amount)s in cash: give it "
                "back to them, then mark it returned on this page.", amount=rupiah(cancelled.total_idr)), "success")
    elif cancelled.status == PartStatus.REFUNDED.value:
        flash(_("Order cancelled; the stock is back on sale. The customer had paid: program staff refund "
                "%(amount)s to them.", amount=rupiah(cancelled.total_idr)), "success")
    else:
        flash(_("Order cancelled; the stock is back on sale."), "success")
    return redirect(url_for("seller_orders.detail", part_id=part.id))


@bp.post("/<int:part_id>/cash-returned")
@allow(Role.GRADUATE)
def cash_returned(part_id: int):
    part = _my_part(part_id)
    form = CashReturnedForm()
    if not form.validate():
        return _render_part(part, 400, cash_form=form)
    try:
        settlement.record_cash_returned(part.id, form.note.data, current_user.id)
    except InvalidTransition:
        flash(_("Nothing is owed back for this order now; it may have been marked returned already."), "info")
    except PaymentsError as exc:
        show_error(exc, form.note)
        return _render_part(part, 400, cash_form=form)
    else:
        flash(_("Marked as given back. The customer has been told."), "success")
    return redirect(url_for("seller_orders.detail", part_id=part.id))


@bp.route("/delivery", methods=["GET", "POST"])
@allow(Role.GRADUATE)
def delivery_settings():
    business = _my_business()
    if business is None:
        return render_template("orders/seller_queue.html", business=None, parts=[], history=False)
    settings = delivery.delivery_settings(business.id)
    form = DeliverySettingsForm(obj=settings if request.method == "GET" else None)
    if form.validate_on_submit():
        delivery.save_delivery_settings(
            business.id, same_city_idr=form.same_city_idr.data,
            same_province_idr=form.same_province_idr.data, java_idr=form.java_idr.data,
            outside_java_idr=form.outside_java_idr.data, delivery_enabled=form.delivery_enabled.data,
            pickup_enabled=form.pickup_enabled.data)
        flash(_("Delivery rates saved."), "success")
        return redirect(url_for("seller_orders.delivery_settings"))
    status = 400 if request.method == "POST" else 200
    return render_template("orders/delivery_settings.html", form=form, business=business), status
