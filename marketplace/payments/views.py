"""Payment step and Stripe webhook (``payments``); the seller's earnings (``earnings``); staff payouts
and offline payment confirmation (``payouts``)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.core.policy import PUBLIC, Role, allow, is_admin, same_program
from marketplace.catalog.models import Business
from marketplace.core.nav import register_nav
from marketplace.core.security import allow_stripe_js
from marketplace.extensions import csrf, db
from marketplace.orders import services as orders
from marketplace.orders.forms import ActionForm
from marketplace.orders.models import Order, OrderPart, OrderStatus, PartStatus
from marketplace.orders.access import visible_order_or_404
from marketplace.payments import ledger, services
from marketplace.payments.forms import PayoutForm
from marketplace.payments.providers import PaymentError, bank_account

bp = Blueprint("payments", __name__)
earnings_bp = Blueprint("earnings", __name__, url_prefix="/seller/earnings")
payouts_bp = Blueprint("payouts", __name__, url_prefix="/staff/payouts")

register_nav(_l("Earnings"), "earnings.overview", {Role.GRADUATE}, 41)
register_nav(_l("Payouts"), "payouts.index", {Role.STAFF, Role.ADMIN}, 60)


@bp.get("/pay/<public_id>")
@allow(PUBLIC)
def pay(public_id: str):
    order = visible_order_or_404(public_id)
    if order.status != OrderStatus.AWAITING_PAYMENT.value:
        return redirect(url_for("orders.order_detail", public_id=order.public_id))
    payment = services.payment_for(order)
    error = None
    if payment is not None and payment.provider == "stripe":
        try:
            payment = services.ensure_intent(order)
        except PaymentError as exc:
            error = exc.message
        else:
            allow_stripe_js()
    return render_template("payments/pay.html", order=order, payment=payment, error=error, bank=bank_account(),
                           amount_due_idr=orders.amount_due_idr(order),
                           publishable_key=current_app.config.get("STRIPE_PUBLISHABLE_KEY") or "",
                           return_url=url_for("payments.payment_return", public_id=order.public_id,
                                              _external=True)), (502 if error else 200)


@bp.get("/pay/<public_id>/return")
@allow(PUBLIC)
def payment_return(public_id: str):
    """Stripe.js sends the customer here; the webhook may have been faster, or may never come."""
    order = visible_order_or_404(public_id)
    try:
        services.sync_with_provider(order)
    except PaymentError:
        pass  # the webhook or `flask payments reconcile` settles it
    if order.status == OrderStatus.PAID.value:
        flash(_("Thank you! Your payment was received."), "success")
    else:
        payment = services.payment_for(order)
        if payment is not None and payment.last_error:
            flash(_("The payment did not go through: %(error)s You can try another card.",
                    error=payment.last_error), "error")
            return redirect(url_for("payments.pay", public_id=order.public_id))
        flash(_("We are waiting for the payment to be confirmed."), "info")
    return redirect(url_for("orders.order_detail", public_id=order.public_id))


@bp.post("/payments/webhooks/stripe")
@allow(PUBLIC)
@csrf.exempt
def stripe_webhook():
    try:
        outcome = services.handle_stripe_webhook(request.get_data(), request.headers.get("Stripe-Signature"))
    except services.BadWebhook:
        return {"error": "invalid signature"}, 400
    except PaymentError:
        db.session.rollback()
        current_app.logger.warning("Stripe webhook not processed (Stripe unreachable); Stripe will retry")
        return {"error": "try again later"}, 503
    return {"received": True, "outcome": outcome}, 200


# Seller earnings -----------------------------------------------------------------------------------


@earnings_bp.get("")
@allow(Role.GRADUATE)
def overview():
    business = orders.business_of(current_user.id)
    if business is None:
        return render_template("payments/earnings.html", business=None)
    return render_template("payments/earnings.html", business=business, balance_idr=ledger.balance_idr(business.id),
                           entries=services.ledger_entries(business.id), payouts=services.payouts_for(business.id))


# Staff: payouts and offline payments ---------------------------------------------------------------


def _program_businesses():
    query = select(Business).join(User, Business.owner_id == User.id).options(selectinload(Business.owner))
    if not is_admin(current_user):
        query = query.where(User.program_id == current_user.program_id)
    return db.session.execute(query.order_by(Business.name)).scalars().all()


def _program_business(business_id: int) -> Business:
    business = db.session.get(Business, business_id)
    if business is None or not same_program(current_user, business.owner):
        abort(404)
    return business


@payouts_bp.get("")
@allow(Role.STAFF, Role.ADMIN)
def index():
    businesses = _program_businesses()
    return render_template("payments/payouts_index.html", businesses=businesses,
                           balances=ledger.balances([b.id for b in businesses]))


@payouts_bp.route("/<int:business_id>", methods=["GET", "POST"])
@allow(Role.STAFF, Role.ADMIN)
def business_payouts(business_id: int):
    business = _program_business(business_id)
    form = PayoutForm()
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                services.record_payout(business.id, form.amount_idr.data, form.reference.data, current_user.id,
                                       form.note.data or None)
            except services.PayoutError:
                form.amount_idr.errors = [_("A payout must be more than zero and at most the balance.")]
            else:
                flash(_("Payout recorded."), "success")
                return redirect(url_for("payouts.business_payouts", business_id=business.id))
        status = 400
    return render_template("payments/payouts_business.html", business=business, form=form,
                           balance_idr=ledger.balance_idr(business.id), entries=services.ledger_entries(business.id),
                           payouts=services.payouts_for(business.id)), status


@payouts_bp.get("/awaiting-payment")
@allow(Role.STAFF, Role.ADMIN)
def awaiting_payment():
    ids = [b.id for b in _program_businesses()]
    parts = db.session.execute(
        select(OrderPart).join(OrderPart.order)
        .where(OrderPart.business_id.in_(ids), OrderPart.status == PartStatus.AWAITING_PAYMENT.value,
               Order.payment_method != "stripe")
        .options(selectinload(OrderPart.order), selectinload(OrderPart.business))
        .order_by(OrderPart.created_at)).scalars().all() if ids else []
    return render_template("payments/awaiting_payment.html", parts=parts, form=ActionForm(), bank=bank_account())


@payouts_bp.post("/parts/<int:part_id>/confirm")
@allow(Role.STAFF, Role.ADMIN)
def confirm_part(part_id: int):
    part = db.session.get(OrderPart, part_id)
    if part is None:
        abort(404)
    _program_business(part.business_id)
    if not ActionForm().validate():
        abort(400)
    try:
        orders.confirm_offline_payment(part.id, current_user.id)
    except orders.OrderError:
        flash(_("This order cannot be marked paid now."), "error")
    else:
        flash(_("Payment confirmed."), "success")
    return redirect(url_for("payouts.awaiting_payment"))


blueprints = [bp, earnings_bp, payouts_bp]
