"""Staff: bank transfers into the program's account waiting to be confirmed (one per order, against the
exact amount with its kode unik, or many at once from the bank statement), and refunds owed to
customers (blueprint ``staff_orders``, under the payouts area). Cash on delivery is not theirs to
confirm or refund: the seller who receives the cash confirms it and gives it back; staff only see, read
only, the cash their sellers still owe customers, to follow it up."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.core.errors import show_error
from marketplace.core.policy import Role, allow, handles_money_of_order
from marketplace.extensions import db
from marketplace.orders import lookup, settlement, statement
from marketplace.orders.errors import OrderError
from marketplace.orders.models import Order
from marketplace.payments.errors import PaymentsError
from marketplace.payments.forms import RefundSentForm, StatementUploadForm, TransferReceivedForm
from marketplace.payments.models import Refund, RefundStatus
from marketplace.payments.outcomes import Outcome
from marketplace.payments.providers import bank_account
from marketplace.payments.statement import MAX_BYTES

bp = Blueprint("staff_orders", __name__, url_prefix="/staff/payouts")

OUTCOME_MESSAGES = {
    Outcome.PAID: (_l("Payment confirmed. The customer and the sellers have been told."), "success"),
    Outcome.ALREADY_SETTLED: (_l("This transfer had already been confirmed; nothing changed."), "info"),
    Outcome.UNDERPAID: (_l("Less than the amount to transfer arrived: recorded and flagged. The order is not "
                          "paid; the customer is asked for the rest."), "error"),
    Outcome.OVERPAID: (_l("More than the amount to transfer arrived: recorded and flagged. Check it, then "
                         "accept it to owe the difference back to the customer."), "error"),
    Outcome.LATE_REFUNDED: (_l("This order had already closed: the money is owed back to the customer and "
                              "listed under refunds."), "info"),
}


def _render_awaiting(status: int = 200, form: TransferReceivedForm | None = None,
                     upload_form: StatementUploadForm | None = None, form_order_id: int | None = None):
    return render_template("orders/staff_awaiting_payment.html", orders=lookup.transfers_awaiting(current_user),
                           form=form or TransferReceivedForm(formdata=None),
                           blank_form=TransferReceivedForm(formdata=None), upload_form=upload_form
                           or StatementUploadForm(formdata=None), form_order_id=form_order_id,
                           bank=bank_account()), status


@bp.get("/awaiting-payment")
@allow(Role.STAFF, Role.ADMIN)
def awaiting_payment():
    return _render_awaiting()


def _my_order(order_id: int) -> Order:
    order = lookup.load_order(order_id)
    if not handles_money_of_order(current_user, order):
        abort(404)
    return order


@bp.post("/orders/<int:order_id>/transfer")
@allow(Role.STAFF, Role.ADMIN)
def confirm_transfer(order_id: int):
    order = _my_order(order_id)
    form = TransferReceivedForm()
    if not form.validate():
        return _render_awaiting(400, form=form, form_order_id=order.id)
    try:
        outcome = settlement.confirm_bank_transfer(order.id, form.amount_idr.data, current_user.id,
                                                   accept_excess=form.accept_excess.data)
    except (OrderError, PaymentsError) as exc:
        show_error(exc, form.amount_idr)
        return _render_awaiting(400, form=form, form_order_id=order.id)
    message, category = OUTCOME_MESSAGES.get(outcome.kind, OUTCOME_MESSAGES[Outcome.ALREADY_SETTLED])
    flash(str(message), category)
    return redirect(url_for("staff_orders.awaiting_payment"))


@bp.post("/statement")
@allow(Role.STAFF, Role.ADMIN)
def upload_statement():
    form = StatementUploadForm()
    if not form.validate():
        return _render_awaiting(400, upload_form=form)
    try:
        result = statement.confirm_statement(form.statement.data.read(MAX_BYTES + 1), current_user)
    except PaymentsError as exc:
        show_error(exc, form.statement)
        return _render_awaiting(400, upload_form=form)
    return render_template("orders/staff_statement_result.html", result=result)


def _render_refunds(status: int = 200, form: RefundSentForm | None = None, form_refund_id: int | None = None):
    return render_template("orders/staff_refunds.html",
                           owed=lookup.refunds_for_staff(current_user, RefundStatus.OWED),
                           sent=lookup.refunds_for_staff(current_user, RefundStatus.SENT, limit=50),
                           cash_owed=lookup.cash_refunds_owed_by_sellers(current_user),
                           form=form or RefundSentForm(formdata=None), blank_form=RefundSentForm(formdata=None),
                           form_refund_id=form_refund_id), status


@bp.get("/refunds")
@allow(Role.STAFF, Role.ADMIN)
def refunds():
    return _render_refunds()


@bp.post("/refunds/<int:refund_id>/sent")
@allow(Role.STAFF, Role.ADMIN)
def refund_sent(refund_id: int):
    refund = db.session.get(Refund, refund_id)
    if refund is None:
        abort(404)
    _my_order(refund.order_id)
    form = RefundSentForm()
    if not form.validate():
        return _render_refunds(400, form=form, form_refund_id=refund.id)
    try:
        settlement.record_refund_sent(refund.id, form.reference.data, current_user.id)
    except OrderError:
        flash(_("This refund had already been recorded; nothing changed."), "info")
    except PaymentsError as exc:
        show_error(exc, form.reference)
        return _render_refunds(400, form=form, form_refund_id=refund.id)
    else:
        flash(_("Refund recorded. The customer has been told."), "success")
    return redirect(url_for("staff_orders.refunds"))
