"""Staff: each program seller's balance, and the payouts staff record (blueprint ``payouts``); the
records are the payments domain's ledger and payouts."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.catalog.models import Business
from marketplace.core.errors import show_error
from marketplace.core.nav import register_nav
from marketplace.core.policy import Role, allow, handles_money_of
from marketplace.extensions import db
from marketplace.orders import lookup
from marketplace.payments import ledger, payouts
from marketplace.payments.errors import PayoutError
from marketplace.payments.forms import PayoutForm

bp = Blueprint("payouts", __name__, url_prefix="/staff/payouts")

register_nav(_l("Payouts"), "payouts.index", {Role.STAFF, Role.ADMIN}, 60)


def _program_business(business_id: int) -> Business:
    business = db.session.get(Business, business_id)
    if not handles_money_of(current_user, business):
        abort(404)
    return business


@bp.get("")
@allow(Role.STAFF, Role.ADMIN)
def index():
    businesses = lookup.program_businesses(current_user)
    return render_template("orders/money/payouts_index.html", businesses=businesses,
                           balances=ledger.balances([b.id for b in businesses]))


@bp.route("/<int:business_id>", methods=["GET", "POST"])
@allow(Role.STAFF, Role.ADMIN)
def business_payouts(business_id: int):
    business = _program_business(business_id)
    form = PayoutForm()
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                payouts.record_payout(business.id, form.amount_idr.data, form.reference.data, current_user.id,
                                       form.note.data or None)
            except PayoutError as exc:
                show_error(exc, form.amount_idr)
            else:
                flash(_("Payout recorded."), "success")
                return redirect(url_for("payouts.business_payouts", business_id=business.id))
        status = 400
    return render_template("orders/money/payouts_business.html", business=business, form=form,
                           balance=ledger.balance(business.id), entries=payouts.ledger_entries(business.id),
                           payouts=payouts.payouts_for(business.id)), status
