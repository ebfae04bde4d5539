"""Cart, checkout and the customer's orders (blueprint ``orders``)."""
from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, user_logged_in

from marketplace.core.errors import show_error
from marketplace.core.formatting import rupiah
from marketplace.core.nav import register_nav
from marketplace.core.policy import GUEST, PUBLIC, SIGNED_IN, Role, allow
from marketplace.orders import cart as carts
from marketplace.orders import checkout as checkouts
from marketplace.orders import closing, delivery, drafts, fulfilment, lookup, notices
from marketplace.orders import status as order_status
from marketplace.orders.access import can_view, remember_order, visible_order_or_404
from marketplace.orders.errors import NotAllowed, OrderError, PaymentArrived, PricesChanged
from marketplace.orders.forms import (
    ActionForm,
    AddToCartForm,
    PlaceOrderForm,
    ProblemForm,
    QuantityForm,
    checkout_form,
)
from marketplace.orders.models import Order, SystemNote
from marketplace.payments.providers import available_methods

bp = Blueprint("orders", __name__)

# Who shops here: visitors, customers, and graduates buying from other sellers (the cart refuses their
# own products). Staff, admins, mentors and partner firms work here; the pages stay open to them.
BUYERS = {GUEST, Role.CUSTOMER, Role.GRADUATE}


def _has_bought() -> lookup.Purchases:
    """Anyone may buy from a graduate (a mentor, a firm's people): once they have, the links are theirs
    too. One query per page, asked only for signed-in people of other roles."""
    if "purchases" not in g:
        g.purchases = lookup.purchases_of(current_user.id)
    return g.purchases


register_nav(_l("Cart"), "orders.cart", BUYERS, 80, pinned=True, shown_when=lambda: _has_bought().in_cart)
register_nav(_l("My orders"), "orders.my_orders", BUYERS - {GUEST}, 81, shown_when=lambda: _has_bought().ordered)

CART_TOKEN_KEY = "cart_token"  # nosec B105  # a session key name, not a secret
REVIEWED_KEY = "reviewed"  # the prices on the review page this browser was shown last


SYSTEM_NOTE_LABELS = {
    SystemNote.PAYMENT_CONFIRMED.value: _l("Payment confirmed"),
    SystemNote.PAID_BY_CARD.value: _l("Paid by card"),
    SystemNote.NOT_PAID_IN_TIME.value: _l("Not paid in time"),
    SystemNote.CANCELLED_BY_CUSTOMER.value: _l("Cancelled by the customer"),
    SystemNote.RECEIVED_BY_CUSTOMER.value: _l("Received by the customer"),
    SystemNote.LATE_PAYMENT_REFUNDED.value: _l("Paid after the order had closed; the money goes back in full"),
    SystemNote.REFUND_SENT.value: _l("Refund sent"),
    SystemNote.CASH_RETURNED.value: _l("The seller gave the cash back"),
    SystemNote.RELEASED_TO_SELLER.value: _l("Payment released to the seller"),
}


@bp.app_template_filter("order_note")
def order_note(note: str | None) -> str:
    """A note the system wrote, in the reader's language; a person's note (a cancel reason, a tracking
    number) as they wrote it."""
    return str(SYSTEM_NOTE_LABELS.get(note, note or ""))


def _buyer_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def _current_cart(create: bool = False):
    if current_user.is_authenticated:
        return carts.cart_for_user(current_user.id, create=create)
    cart = carts.cart_for_token(session.get(CART_TOKEN_KEY), create=create)
    if cart is not None:
        session[CART_TOKEN_KEY] = cart.token
    return cart


@user_logged_in.connect
def _merge_cart_at_sign_in(sender, user, **extra) -> None:
    """A guest's cart follows them when they sign in (flask_login's signal; accounts code unchanged)."""
    token = session.pop(CART_TOKEN_KEY, None)
    if token:
        carts.merge_guest_cart(token, user.id)


# Cart ----------------------------------------------------------------------------------------------


def _render_cart(status: int = 200):
    summary = carts.summarize_cart(_current_cart(), _buyer_id())
    return render_template("orders/cart.html", summary=summary, quantity_form=QuantityForm(),
                           action_form=ActionForm(), problem_form=ProblemForm()), status


@bp.get("/cart")
@allow(PUBLIC)
def cart():
    return _render_cart()


@bp.post("/cart/add")
@allow(PUBLIC)
def add_to_cart():
    form = AddToCartForm()
    if not form.validate():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return _render_cart(400)
    cart = _current_cart(create=True)
    try:
        carts.add_to_cart(cart.id, form.variant_id.data, form.quantity.data, _buyer_id())
    except OrderError as exc:
        show_error(exc)
        return _render_cart(exc.status)
    flash(_("Added to your cart."), "success")
    return redirect(url_for("orders.cart"))


@bp.post("/cart/items/<int:variant_id>/quantity")
@allow(PUBLIC)
def update_quantity(variant_id: int):
    form = QuantityForm()
    cart = _current_cart()
    if cart is None:
        abort(404)
    if not form.validate():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return _render_cart(400)
    try:
        carts.set_quantity(cart.id, variant_id, form.quantity.data, _buyer_id())
    except OrderError as exc:
        show_error(exc)
        return _render_cart(400)
    return redirect(url_for("orders.cart"))


@bp.post("/cart/items/<int:variant_id>/remove")
@allow(PUBLIC)
def remove_item(variant_id: int):
    form = ActionForm()
    cart = _current_cart()
    if cart is None or not form.validate():
        abort(404 if cart is None else 400)
    carts.remove_from_cart(cart.id, variant_id)
    return redirect(url_for("orders.cart"))


# Checkout ------------------------------------------------------------------------------------------


def _ready_cart():
    """The cart if it can go to checkout; otherwise a redirect to the cart with the reason."""
    cart = _current_cart()
    summary = carts.summarize_cart(cart, _buyer_id())
    if summary.is_empty:
        flash(_("Your cart is empty."), "info")
        return cart, summary, redirect(url_for("orders.cart"))
    if summary.has_problems:
        flash(_("Some items in your cart need your attention first."), "error")
        return cart, summary, redirect(url_for("orders.cart"))
    return cart, summary, None


def _build_checkout_form(summary, **kwargs):
    businesses = [group.business for group in summary.groups]
    settings = {b.id: delivery.delivery_settings(b.id) for b in businesses}
    return checkout_form(businesses, available_methods(),
                         pickup={bid: s.pickup_enabled for bid, s in settings.items()},
                         delivery={bid: s.delivery_enabled for bid, s in settings.items()}, **kwargs)


@bp.route("/checkout", methods=["GET", "POST"])
@allow(PUBLIC)
def checkout():
    cart, summary, stop = _ready_cart()
    if stop:
        return stop
    saved = drafts.load_draft(cart.id) or {}  # on the server: no address in the cookie (issue 11)
    defaults = dict(saved.get("fields", {}))
    if not defaults.get("email") and current_user.is_authenticated:
        defaults["email"] = current_user.email
    form = _build_checkout_form(summary, data=defaults if request.method == "GET" else None)
    if form.validate_on_submit():
        choices = {group.business.id: form[f"delivery_{group.business.id}"].data for group in summary.groups}
        try:
            delivery.quote(summary, form.city.data, form.province.data, choices)
        except OrderError as exc:
            show_error(exc)
            return render_template("orders/checkout.html", form=form, summary=summary), 400
        fields = {name: form[name].data for name in ("email", "recipient", "phone", "street", "kelurahan",
                                                     "kecamatan", "city", "province", "postal_code",
                                                     "payment_method")}
        fields.update({f"delivery_{bid}": choice for bid, choice in choices.items()})
        drafts.save_draft(cart.id, {"fields": fields, "delivery": {str(k): v for k, v in choices.items()}})
        return redirect(url_for("orders.review"))
    status = 400 if request.method == "POST" else 200
    return render_template("orders/checkout.html", form=form, summary=summary), status


def _checkout_request(data: dict, cart_id: int, key: str,
                      reviewed: checkouts.ReviewedPrices) -> checkouts.CheckoutRequest:
    fields = data["fields"]
    address = checkouts.Address(**{name: fields[name] for name in (
        "recipient", "phone", "street", "kelurahan", "kecamatan", "city", "province", "postal_code")})
    return checkouts.CheckoutRequest(
        cart_id=cart_id, email=fields["email"], address=address,
        delivery={int(k): v for k, v in data["delivery"].items()}, payment_method=fields["payment_method"],
        idempotency_key=key, user_id=_buyer_id(), locale=str(get_locale()), reviewed=reviewed)


@bp.route("/checkout/review", methods=["GET", "POST"])
@allow(PUBLIC)
def review():
    form = PlaceOrderForm()
    if request.method == "POST":
        if not form.validate():
            flash(_("Please review your order again."), "error")
            return redirect(url_for("orders.checkout"), 303)
        existing = lookup.order_for_key(form.idempotency_key.data)
        if existing is not None:  # the same form sent twice: one order
            if not can_view(existing):
                abort(400)
            return redirect(url_for("payments.pay", public_id=existing.public_id))
    cart, summary, stop = _ready_cart()
    if stop:
        return stop
    data = drafts.load_draft(cart.id)
    if not data:
        return redirect(url_for("orders.checkout"))
    try:
        quotes = delivery.quote(summary, data["fields"]["city"], data["fields"]["province"],
                                {int(k): v for k, v in data["delivery"].items()})
    except (OrderError, KeyError, ValueError) as exc:
        if isinstance(exc, OrderError):
            show_error(exc)
        return redirect(url_for("orders.checkout"))
    if request.method == "POST":
        reviewed = _reviewed_prices(form.idempotency_key.data)
        if reviewed is None:  # not the review page this browser was shown last
            flash(_("Please review your order again."), "error")
            return _render_review(form, summary, quotes, data, status=409)
        try:
            order = checkouts.place_order(_checkout_request(data, cart.id, form.idempotency_key.data, reviewed))
        except PricesChanged as exc:
            show_error(exc)
            return _render_review(form, summary, quotes, data, changes=exc.changes, status=409)
        except OrderError as exc:
            show_error(exc)
            return redirect(url_for("orders.cart"))
        remember_order(order)
        session.pop(REVIEWED_KEY, None)
        drafts.discard_draft(cart.id)
        return redirect(url_for("payments.pay", public_id=order.public_id))
    return _render_review(form, summary, quotes, data)


def _reviewed_prices(key: str) -> checkouts.ReviewedPrices | None:
    shown = session.get(REVIEWED_KEY) or {}
    if shown.get("key") != key:
        return None
    return checkouts.ReviewedPrices.from_data(shown.get("prices"))


def _render_review(form, summary, quotes, data, changes=(), status: int = 200):
    """The review page with a new key; what it shows is remembered (in this browser's session) as what
    the customer reviewed, and an order is placed only at those prices."""
    form.idempotency_key.data = uuid.uuid4().hex
    session[REVIEWED_KEY] = {"key": form.idempotency_key.data,
                             "prices": checkouts.ReviewedPrices.of(summary, quotes).to_data()}
    by_variant = {c.variant_id: c for c in changes if c.variant_id is not None and c.kind != "quantity"}
    quantity_changed = {c.variant_id: c for c in changes if c.kind == "quantity"}
    by_business = {c.business_id: c for c in changes if c.kind == "delivery"}
    return render_template("orders/review.html", form=form, summary=summary, quotes=quotes, data=data["fields"],
                           total_idr=sum(q.total_idr for q in quotes), changed=bool(changes),
                           price_changes=by_variant, quantity_changes=quantity_changed,
                           delivery_changes=by_business), status


# The customer's orders -----------------------------------------------------------------------------


@bp.get("/orders")
@allow(SIGNED_IN)
def my_orders():
    return render_template("orders/my_orders.html", orders=lookup.orders_for_user(current_user.id))


@bp.get("/orders/<public_id>")
@allow(PUBLIC)
def order_detail(public_id: str):
    return _render_order(visible_order_or_404(public_id))


@bp.post("/orders/<public_id>/cancel")
@allow(PUBLIC)
def cancel_order(public_id: str):
    """The customer (or the guest holding the emailed link) cancels an order they have not paid."""
    order = visible_order_or_404(public_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        closing.cancel_unpaid_order(order.id, _buyer_id())
    except PaymentArrived:
        flash(_("Your payment had already arrived, so the order goes ahead."), "info")
    except OrderError:
        flash(_("This order cannot be cancelled now. If you have not paid yet, please try again in a few "
                "minutes."), "error")
    else:
        owed = order_status.refund_owed_idr(order)
        if owed:  # part of a transfer had already arrived (a flagged amount): it goes back
            flash(_("Your order is cancelled. The %(amount)s you transferred is owed back to you: program staff "
                    "will transfer it and you will get an email.", amount=rupiah(owed)), "success")
        else:
            flash(_("Your order is cancelled. Nothing is owed."), "success")
    return redirect(url_for("orders.order_detail", public_id=public_id))


@bp.post("/orders/<public_id>/parts/<int:part_id>/received")
@allow(PUBLIC)
def confirm_received(public_id: str, part_id: int):
    order = visible_order_or_404(public_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        fulfilment.confirm_received(order.id, part_id, _buyer_id())
    except NotAllowed:
        abort(404)
    except OrderError:
        flash(_("That parcel cannot be marked as received now."), "error")
    else:
        flash(_("Thank you! The seller sees that your parcel arrived."), "success")
    return redirect(url_for("orders.order_detail", public_id=public_id))


@bp.post("/orders/<public_id>/parts/<int:part_id>/problem")
@allow(PUBLIC)
def report_problem(public_id: str, part_id: int):
    """Something is wrong with a parcel: its seller's share stays held until the customer receives it."""
    order = visible_order_or_404(public_id)
    form = ProblemForm()
    if not form.validate_on_submit():
        flash(_("Say what is wrong with the parcel."), "error")
        return redirect(url_for("orders.order_detail", public_id=public_id))
    try:
        fulfilment.report_problem(order.id, part_id, form.note.data, _buyer_id())
    except NotAllowed:
        abort(404)
    except OrderError:
        flash(_("A problem cannot be reported for that parcel now."), "error")
    else:
        flash(_("Thank you. The seller and program staff see your message; the payment stays with the program "
                "until you mark the parcel received."), "success")
    return redirect(url_for("orders.order_detail", public_id=public_id))


@bp.get("/orders/view/<token>")
@allow(PUBLIC)
def guest_order(token: str):
    """The signed link from the order emails: proves the visitor holds the email."""
    order = notices.order_from_token(token)
    if order is None:
        abort(404)
    remember_order(order)
    return _render_order(order)


def _render_order(order: Order):
    order = lookup.load_order(order.id)  # with its payment
    return render_template("orders/order_detail.html", order=order, payment=order.payment,
                           live_total_idr=order_status.live_total_idr(order),
                           amount_to_pay_idr=order_status.amount_to_pay_idr(order),
                           action_form=ActionForm(), problem_form=ProblemForm())
