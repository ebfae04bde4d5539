"""Checkout: a cart becomes one order with one part per seller, stock reserved for every line, in one
transaction. Prices and totals come from the database, never from a form."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from marketplace.core.regions import PROVINCES
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.orders.cart import CartSummary, summarize_cart, title
from marketplace.orders.delivery import DeliveryQuote, quote
from marketplace.orders.errors import (
    CartEmpty,
    NotAllowed,
    OrderError,
    OutOfStock,
    OwnStorefront,
    PricesChanged,
    ProductUnavailable,
    UnknownProvince,
)
from marketplace.orders.lookup import order_for_key
from marketplace.orders.models import Cart, Order, OrderLine, OrderPart, OrderStatus
from marketplace.orders.notices import email_customer, email_seller
from marketplace.orders.status import amount_to_pay_idr, record_event
from marketplace.orders.stock import reserve_stock
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod
from marketplace.payments.providers import available_methods, bank_account


@dataclass(frozen=True)
class Address:
    recipient: str
    phone: str          # E.164, validated by the form (phonenumbers, region ID)
    street: str
    kelurahan: str
    kecamatan: str
    city: str
    province: str
    postal_code: str


@dataclass(frozen=True)
class CheckoutRequest:
    cart_id: int
    email: str
    address: Address
    delivery: dict[int, str]     # business id -> "delivery" | "pickup"
    payment_method: str
    idempotency_key: str
    user_id: int | None = None
    locale: str = "id"
    reviewed: ReviewedPrices | None = None  # from the review page; None only where no person reviews


@dataclass(frozen=True)
class ReviewedPrices:
    """What the customer saw on the review page: each line's quantity and unit price, and each
    seller's delivery zone and cost. An order is placed only at these."""

    lines: tuple[tuple[int, int, int], ...]       # (variant id, quantity, unit price)
    deliveries: tuple[tuple[int, str, int], ...]  # (business id, zone, delivery cost)

    @classmethod
    def of(cls, summary: CartSummary, quotes: list[DeliveryQuote]) -> ReviewedPrices:
        return cls(tuple((line.variant.id, line.quantity, line.unit_price_idr)
                         for group in summary.groups for line in group.lines),
                   tuple((q.business.id, q.zone, q.delivery_idr) for q in quotes))

    def to_data(self) -> dict:
        return {"lines": [list(line) for line in self.lines], "deliveries": [list(d) for d in self.deliveries]}

    @classmethod
    def from_data(cls, data) -> ReviewedPrices | None:
        """None for anything that is not what ``to_data`` wrote."""
        try:
            lines = tuple((int(v), int(q), int(p)) for v, q, p in data["lines"])
            deliveries = tuple((int(b), str(z), int(c)) for b, z, c in data["deliveries"])
        except (KeyError, TypeError, ValueError):
            return None
        return cls(lines, deliveries)


@dataclass(frozen=True)
class PriceChange:
    """One difference between the review page and the database now."""

    kind: str                     # "price", "quantity", "added", "removed", "delivery"
    variant_id: int | None = None
    business_id: int | None = None
    title: str = ""
    old_idr: int | None = None    # unit price, or delivery cost; for "quantity" the old quantity
    new_idr: int | None = None


def changes_since(reviewed: ReviewedPrices, summary: CartSummary, quotes: list[DeliveryQuote]) -> list[PriceChange]:
    seen = {variant_id: (quantity, price) for variant_id, quantity, price in reviewed.lines}
    changes: list[PriceChange] = []
    current = set()
    for group in summary.groups:
        for line in group.lines:
            current.add(line.variant.id)
            name = title(line.variant)
            if line.variant.id not in seen:
                changes.append(PriceChange("added", line.variant.id, title=name, new_idr=line.unit_price_idr))
                continue
            quantity, price = seen[line.variant.id]
            if price != line.unit_price_idr:
                changes.append(PriceChange("price", line.variant.id, title=name, old_idr=price,
                                           new_idr=line.unit_price_idr))
            if quantity != line.quantity:
                changes.append(PriceChange("quantity", line.variant.id, title=name, old_idr=quantity,
                                           new_idr=line.quantity))
    changes += [PriceChange("removed", variant_id) for variant_id in seen if variant_id not in current]
    delivered = {business_id: (zone, cost) for business_id, zone, cost in reviewed.deliveries}
    for q in quotes:
        if delivered.get(q.business.id) != (q.zone, q.delivery_idr):
            old = delivered.get(q.business.id)
            changes.append(PriceChange("delivery", business_id=q.business.id, title=q.business.name,
                                       old_idr=old[1] if old else None, new_idr=q.delivery_idr))
    return changes


def place_order(req: CheckoutRequest) -> Order:
    """Turn a cart into an order with one part per seller, reserving stock for every line.

    The same idempotency key always gives the same order (a double submit makes one order). Raises
    PricesChanged, before anything is reserved or stored, when the prices or delivery costs are not
    the ones the customer reviewed."""
    if existing := order_for_key(req.idempotency_key):
        return existing
    _check_request(req)
    cart = db.session.get(Cart, req.cart_id)
    summary = _summary_ready_to_order(cart, req.user_id)
    quotes = quote(summary, req.address.city, req.address.province, req.delivery)
    if req.reviewed is not None and (changes := changes_since(req.reviewed, summary, quotes)):
        raise PricesChanged(changes)
    order, created = _new_order(req, quotes)
    if not created:  # a concurrent double submit made it first
        return order
    try:
        _add_parts(order, summary, quotes)
        _reserve_stock(summary)
    except OrderError:
        db.session.rollback()
        raise
    payments.open_payment(order, req.payment_method, order.total_idr)
    record_event(order, None, OrderStatus.AWAITING_PAYMENT.value, None, req.user_id)
    _empty(cart)
    _tell_customer_and_sellers(order)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if existing := order_for_key(req.idempotency_key):
            return existing
        raise
    return order


def _check_request(req: CheckoutRequest) -> None:
    if req.payment_method not in available_methods():
        raise NotAllowed()  # not a payment method offered now
    if req.address.province not in PROVINCES:
        raise UnknownProvince()


def _summary_ready_to_order(cart: Cart | None, buyer_id: int | None) -> CartSummary:
    """The cart priced from the database; raises on the first line that cannot be ordered."""
    summary = summarize_cart(cart, buyer_id)
    if summary.is_empty:
        raise CartEmpty()
    for group in summary.groups:
        for line in group.lines:
            if line.problem == "unavailable":
                raise ProductUnavailable(line.product.title)
            if line.problem == "own_storefront":
                raise OwnStorefront()
            if line.problem == "not_enough_stock":
                raise OutOfStock(title(line.variant), line.variant.stock)
    return summary


def _new_order(req: CheckoutRequest, quotes: list[DeliveryQuote]) -> tuple[Order, bool]:
    """The order row, flushed, and True; a concurrent double submit stops here on the unique key and
    gets the order the first submit made, and False."""
    items_idr = sum(q.items_idr for q in quotes)
    delivery_idr = sum(q.delivery_idr for q in quotes)
    a = req.address
    order = Order(public_id=uuid.uuid4().hex, idempotency_key=req.idempotency_key, user_id=req.user_id,
                  email=req.email.strip().lower(), locale=req.locale, recipient=a.recipient, phone=a.phone,
                  street=a.street, kelurahan=a.kelurahan, kecamatan=a.kecamatan, city=a.city, province=a.province,
                  postal_code=a.postal_code, payment_method=req.payment_method, items_idr=items_idr,
                  delivery_idr=delivery_idr, total_idr=items_idr + delivery_idr,
                  expires_at=utcnow() + timedelta(hours=current_app.config["UNPAID_ORDER_HOURS"]))
    db.session.add(order)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        if existing := order_for_key(req.idempotency_key):
            return existing, False
        raise
    return order, True


def _add_parts(order: Order, summary: CartSummary, quotes: list[DeliveryQuote]) -> None:
    """One part per seller, each line a snapshot of what was bought (title, option, unit price)."""
    for q, group in zip(quotes, summary.groups, strict=True):
        part = OrderPart(order=order, business_id=q.business.id, delivery_zone=q.zone, items_idr=q.items_idr,
                         delivery_idr=q.delivery_idr, total_idr=q.total_idr)
        db.session.add(part)
        for line in group.lines:
            part.lines.append(OrderLine(variant_id=line.variant.id, product_id=line.product.id,
                                        title=line.product.title, variant_label=line.variant.label,
                                        unit_price_idr=line.unit_price_idr, quantity=line.quantity,
                                        line_total_idr=line.line_total_idr))


def _reserve_stock(summary: CartSummary) -> None:
    # In id order, so that two multi-line orders on PostgreSQL never wait on each other in a circle.
    for line in sorted((ln for g in summary.groups for ln in g.lines), key=lambda ln: ln.variant.id):
        reserve_stock(line.variant.id, line.quantity)


def _empty(cart: Cart) -> None:
    for item in list(cart.items):
        db.session.delete(item)
    db.session.flush()


def _tell_customer_and_sellers(order: Order) -> None:
    email_customer(order, "order_received", bank=bank_account(), amount_due_idr=amount_to_pay_idr(order),
                   unique_code_idr=payments.payment_for(order).unique_code_idr)
    if PaymentMethod(order.payment_method) is PaymentMethod.COD:
        for part in order.parts:  # cash: the seller acts on it right away; others once the money is in
            email_seller(part, "order_new_for_seller")
