"""The customer's payment step of an order, and the Stripe webhook (blueprint ``payments``).

They live with orders: they load an order and change it through ``orders/settlement.py``, while the
payments domain knows nothing of orders."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from marketplace.core.policy import PUBLIC, allow
from marketplace.core.security import allow_stripe_js
from marketplace.extensions import csrf
from marketplace.orders import settlement, status
from marketplace.orders.access import visible_order_or_404
from marketplace.orders.models import OrderStatus
from marketplace.payments import services as payments
from marketplace.payments.providers import PaymentError, bank_account

bp = Blueprint("payments", __name__)


@bp.get("/pay/<public_id>")
@allow(PUBLIC)
def pay(public_id: str):
    order = visible_order_or_404(public_id)
    if order.status != OrderStatus.AWAITING_PAYMENT.value:
        return redirect(url_for("orders.order_detail", public_id=order.public_id))
    payment = payments.payment_for(order)
    error = None
    if payment is not None and payment.is_card:
        try:
            payment = payments.ensure_intent(order)
        except PaymentError as exc:
            error = exc.provider_message
        else:
            allow_stripe_js()
    return render_template("orders/pay.html", order=order, payment=payment, error=error, bank=bank_account(),
                           amount_due_idr=status.amount_to_pay_idr(order),
                           publishable_key=current_app.config.get("STRIPE_PUBLISHABLE_KEY") or "",
                           return_url=url_for("payments.payment_return", public_id=order.public_id,
                                              _external=True)), (502 if error else 200)


@bp.get("/pay/<public_id>/return")
@allow(PUBLIC)
def payment_return(public_id: str):
    """Stripe.js sends the customer here; the webhook may have been faster, or may never come."""
    order = visible_order_or_404(public_id)
    try:
        settlement.sync_card_payment(order)
    except PaymentError:
        pass  # the webhook or `flask payments reconcile` settles it
    if order.status == OrderStatus.PAID.value:
        flash(_("Thank you! Your payment was received."), "success")
    else:
        payment = payments.payment_for(order)
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
        outcome = settlement.handle_stripe_webhook(request.get_data(), request.headers.get("Stripe-Signature"))
    except payments.BadWebhook:
        return {"error": "invalid signature"}, 400
    except PaymentError:
        current_app.logger.warning("Stripe webhook not processed (Stripe unreachable); Stripe will retry")
        return {"error": "try again later"}, 503
    return {"received": True, "outcome": outcome}, 200
