"""Cart, checkout, stock reservation, order parts and fulfilment.

Knows nothing of requests: functions take ids and plain values, work in one transaction and raise an
``OrderError`` subclass the view turns into a message. Prices and totals always come from the
database, never from a form.
"""
from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Business, Product, Variant
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.notifications.services import send_email
from marketplace.orders.models import (
    Cart,
    CartItem,
    DeliverySettings,
    DeliveryZone,
    Order,
    OrderEvent,
    OrderLine,
    OrderPart,
    OrderStatus,
    PartStatus,
    SystemNote,
)
from marketplace.payments import ledger
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod
from marketplace.payments.providers import PaymentError, available_methods, bank_account

log = logging.getLogger(__name__)

MAX_QUANTITY_PER_LINE = 99

PROVINCES: tuple[str, ...] = (
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi", "Sumatera Selatan",
    "Kepulauan Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta", "Banten", "Jawa Barat", "Jawa Tengah",
    "DI Yogyakarta", "Jawa Timur", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat",
    "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara",
    "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan", "Sulawesi Tenggara", "Maluku",
    "Maluku Utara", "Papua", "Papua Barat", "Papua Barat Daya", "Papua Selatan", "Papua Tengah",
    "Papua Pegunungan",
)
JAVA_PROVINCES = frozenset({"Banten", "DKI Jakarta", "Jawa Barat", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur"})

LIVE_PART_STATUSES = frozenset(s.value for s in PartStatus) - {PartStatus.CANCELLED.value, PartStatus.REFUNDED.value}
# Counted as sales on the seller's history page.
SOLD_PART_STATUSES = (PartStatus.SHIPPED.value, PartStatus.DELIVERED.value, PartStatus.COMPLETED.value)
# What a seller may move a part to, from where.
SELLER_STEPS: dict[str, str] = {
    PartStatus.PACKED.value: PartStatus.PAID.value,
    PartStatus.SHIPPED.value: PartStatus.PACKED.value,
    PartStatus.DELIVERED.value: PartStatus.SHIPPED.value,
    PartStatus.COMPLETED.value: PartStatus.DELIVERED.value,
}


# Errors --------------------------------------------------------------------------------------------


class OrderError(Exception):
    code = "order_error"


class OutOfStock(OrderError):
    code = "out_of_stock"

    def __init__(self, title: str, available: int):
        super().__init__(f"only {available} left of {title}")
        self.title = title
        self.available = max(0, available)


class ProductUnavailable(OrderError):
    code = "unavailable"

    def __init__(self, title: str = ""):
        super().__init__(f"{title} is not for sale")
        self.title = title


class OwnStorefront(OrderError):
    code = "own_storefront"


class InvalidQuantity(OrderError):
    code = "invalid_quantity"


class CartEmpty(OrderError):
    code = "cart_empty"


class DeliveryUnavailable(OrderError):
    code = "delivery_unavailable"

    def __init__(self, business_name: str):
        super().__init__(business_name)
        self.business_name = business_name


class InvalidTransition(OrderError):
    code = "invalid_transition"


class PaymentArrived(OrderError):
    """The customer asked to cancel, but the money had already come: the order goes ahead."""

    code = "payment_arrived"


class NotAllowed(OrderError):
    code = "not_allowed"


class RefundFailed(OrderError):
    """The payment provider refused or could not be reached; nothing was changed."""

    code = "refund_failed"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Cart ----------------------------------------------------------------------------------------------


def cart_for_user(user_id: int, create: bool = True) -> Cart | None:
    cart = db.session.execute(select(Cart).where(Cart.user_id == user_id)).scalar_one_or_none()
    if cart is None and create:
        cart = Cart(user_id=user_id)
        db.session.add(cart)
        db.session.flush()
    return cart


def cart_for_token(token: str | None, create: bool = True) -> Cart | None:
    cart = None
    if token:
        cart = db.session.execute(select(Cart).where(Cart.token == token)).scalar_one_or_none()
    if cart is None and create:
        cart = Cart(token=secrets.token_urlsafe(24))
        db.session.add(cart)
        db.session.flush()
    return cart


def _variant_for_sale(variant_id: int, buyer_id: int | None) -> Variant:
    variant = db.session.get(Variant, variant_id)
    if variant is None:
        raise ProductUnavailable()
    product = variant.product
    if not product.is_public or not product.business.accepts_orders:
        raise ProductUnavailable(product.title)
    if buyer_id is not None and product.business.owner_id == buyer_id:
        raise OwnStorefront()
    return variant


def _check_quantity(quantity: int) -> None:
    if not isinstance(quantity, int) or quantity < 1 or quantity > MAX_QUANTITY_PER_LINE:
        raise InvalidQuantity()


def add_to_cart(cart_id: int, variant_id: int, quantity: int, buyer_id: int | None) -> CartItem:
    """Add ``quantity`` more of a variant; the line never exceeds the stock on hand."""
    _check_quantity(quantity)
    variant = _variant_for_sale(variant_id, buyer_id)
    item = db.session.execute(
        select(CartItem).where(CartItem.cart_id == cart_id, CartItem.variant_id == variant_id)
    ).scalar_one_or_none()
    wanted = quantity + (item.quantity if item else 0)
    if wanted > variant.stock:
        raise OutOfStock(_title(variant), variant.stock)
    _check_quantity(wanted)
    if item is None:
        item = CartItem(cart_id=cart_id, variant_id=variant_id, quantity=wanted)
        db.session.add(item)
    else:
        item.quantity = wanted
    db.session.commit()
    return item


def set_quantity(cart_id: int, variant_id: int, quantity: int, buyer_id: int | None) -> None:
    item = db.session.execute(
        select(CartItem).where(CartItem.cart_id == cart_id, CartItem.variant_id == variant_id)
    ).scalar_one_or_none()
    if item is None:
        raise ProductUnavailable()
    _check_quantity(quantity)
    variant = _variant_for_sale(variant_id, buyer_id)
    if quantity > variant.stock:
        raise OutOfStock(_title(variant), variant.stock)
    item.quantity = quantity
    db.session.commit()


def remove_from_cart(cart_id: int, variant_id: int) -> None:
    item = db.session.execute(
        select(CartItem).where(CartItem.cart_id == cart_id, CartItem.variant_id == variant_id)
    ).scalar_one_or_none()
    if item is not None:
        db.session.delete(item)
        db.session.commit()


def merge_guest_cart(token: str | None, user_id: int) -> None:
    """At sign-in: move a guest cart's lines into the user's cart (capped by stock; a seller's own
    products are dropped), then delete the guest cart."""
    guest = cart_for_token(token, create=False) if token else None
    if guest is None:
        return
    cart = cart_for_user(user_id)
    existing = {item.variant_id: item for item in cart.items}
    for item in list(guest.items):
        variant = item.variant
        if variant.product.business.owner_id == user_id:
            continue
        mine = existing.get(item.variant_id)
        wanted = min(item.quantity + (mine.quantity if mine else 0), max(variant.stock, 0), MAX_QUANTITY_PER_LINE)
        if wanted < 1:
            continue
        if mine:
            mine.quantity = wanted
        else:
            existing[item.variant_id] = CartItem(cart_id=cart.id, variant_id=item.variant_id, quantity=wanted)
            db.session.add(existing[item.variant_id])
    db.session.delete(guest)
    db.session.commit()


@dataclass
class CartLine:
    variant: Variant
    quantity: int
    unit_price_idr: int
    problem: str | None = None  # "unavailable", "not_enough_stock", "own_storefront"

    @property
    def product(self) -> Product:
        return self.variant.product

    @property
    def line_total_idr(self) -> int:
        return self.unit_price_idr * self.quantity


@dataclass
class CartGroup:
    business: Business
    lines: list[CartLine] = field(default_factory=list)

    @property
    def items_idr(self) -> int:
        return sum(line.line_total_idr for line in self.lines if line.problem is None)


@dataclass
class CartSummary:
    groups: list[CartGroup]

    @property
    def items_idr(self) -> int:
        return sum(group.items_idr for group in self.groups)

    @property
    def has_problems(self) -> bool:
        return any(line.problem for group in self.groups for line in group.lines)

    @property
    def count(self) -> int:
        return sum(line.quantity for group in self.groups for line in group.lines)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def summarize_cart(cart: Cart | None, buyer_id: int | None) -> CartSummary:
    """The cart grouped by seller, priced from the database, with anything that blocks checkout."""
    if cart is None:
        return CartSummary([])
    items = db.session.execute(
        select(CartItem).where(CartItem.cart_id == cart.id).order_by(CartItem.id)
        .options(selectinload(CartItem.variant).selectinload(Variant.product).selectinload(Product.business))
    ).scalars().all()
    groups: dict[int, CartGroup] = {}
    for item in items:
        variant = item.variant
        product = variant.product
        line = CartLine(variant=variant, quantity=item.quantity, unit_price_idr=variant.unit_price_idr)
        if not product.is_public or not product.business.accepts_orders:
            line.problem = "unavailable"
        elif buyer_id is not None and product.business.owner_id == buyer_id:
            line.problem = "own_storefront"
        elif item.quantity > variant.stock:
            line.problem = "not_enough_stock"
        groups.setdefault(product.business_id, CartGroup(product.business)).lines.append(line)
    return CartSummary(list(groups.values()))


def _title(variant: Variant) -> str:
    return f"{variant.product.title} ({variant.label})" if variant.label else variant.product.title


# Delivery ------------------------------------------------------------------------------------------


def delivery_settings(business_id: int) -> DeliverySettings:
    """The seller's settings, or the defaults (unsaved) when they never set any."""
    found = db.session.execute(
        select(DeliverySettings).where(DeliverySettings.business_id == business_id)
    ).scalar_one_or_none()
    if found is not None:
        return found
    return DeliverySettings(business_id=business_id, province=None, same_city_idr=10_000, same_province_idr=20_000,
                            java_idr=30_000, outside_java_idr=60_000, delivery_enabled=True, pickup_enabled=False)


def save_delivery_settings(business_id: int, *, province: str | None, same_city_idr: int, same_province_idr: int,
                           java_idr: int, outside_java_idr: int, delivery_enabled: bool,
                           pickup_enabled: bool) -> DeliverySettings:
    if province is not None and province not in PROVINCES:
        raise OrderError("unknown province")
    if min(same_city_idr, same_province_idr, java_idr, outside_java_idr) < 0:
        raise OrderError("rates cannot be negative")
    if not delivery_enabled and not pickup_enabled:
        raise DeliveryUnavailable("")
    settings = delivery_settings(business_id)
    if settings.id is None:
        db.session.add(settings)
    settings.province = province
    settings.same_city_idr, settings.same_province_idr = same_city_idr, same_province_idr
    settings.java_idr, settings.outside_java_idr = java_idr, outside_java_idr
    settings.delivery_enabled, settings.pickup_enabled = delivery_enabled, pickup_enabled
    db.session.commit()
    return settings


def _norm_city(name: str) -> str:
    name = " ".join(name.lower().split())
    for prefix in ("kota ", "kabupaten ", "kab. ", "kab "):
        name = name.removeprefix(prefix)
    return name


def delivery_zone(seller_city: str, seller_province: str | None, buyer_city: str, buyer_province: str) -> str:
    """Flat-rate zones. A seller who has not said which province they are in is charged as same city
    only on a city-name match, otherwise at the outside-Java rate (never undercharging them)."""
    same_city = _norm_city(seller_city) == _norm_city(buyer_city)
    if seller_province is None:
        return DeliveryZone.SAME_CITY.value if same_city else DeliveryZone.OUTSIDE_JAVA.value
    if seller_province == buyer_province:
        return DeliveryZone.SAME_CITY.value if same_city else DeliveryZone.SAME_PROVINCE.value
    if seller_province in JAVA_PROVINCES and buyer_province in JAVA_PROVINCES:
        return DeliveryZone.JAVA.value
    return DeliveryZone.OUTSIDE_JAVA.value


def delivery_rate(settings: DeliverySettings, zone: str) -> int:
    return {
        DeliveryZone.PICKUP.value: 0,
        DeliveryZone.SAME_CITY.value: settings.same_city_idr,
        DeliveryZone.SAME_PROVINCE.value: settings.same_province_idr,
        DeliveryZone.JAVA.value: settings.java_idr,
        DeliveryZone.OUTSIDE_JAVA.value: settings.outside_java_idr,
    }[zone]


@dataclass(frozen=True)
class DeliveryQuote:
    business: Business
    zone: str
    delivery_idr: int
    items_idr: int
    pickup_enabled: bool
    delivery_enabled: bool

    @property
    def total_idr(self) -> int:
        return self.items_idr + self.delivery_idr


def quote(summary: CartSummary, city: str, province: str, choices: dict[int, str]) -> list[DeliveryQuote]:
    """Per seller: the zone and rate for the buyer's address and choice ("delivery" or "pickup")."""
    quotes = []
    for group in summary.groups:
        settings = delivery_settings(group.business.id)
        choice = choices.get(group.business.id, "delivery")
        if choice == "pickup" and settings.pickup_enabled:
            zone = DeliveryZone.PICKUP.value
        elif choice == "delivery" and settings.delivery_enabled:
            zone = delivery_zone(group.business.city, settings.province, city, province)
        else:
            raise DeliveryUnavailable(group.business.name)
        quotes.append(DeliveryQuote(group.business, zone, delivery_rate(settings, zone), group.items_idr,
                                    settings.pickup_enabled, settings.delivery_enabled))
    return quotes


# Checkout ------------------------------------------------------------------------------------------


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


def order_for_key(idempotency_key: str) -> Order | None:
    return db.session.execute(select(Order).where(Order.idempotency_key == idempotency_key)).scalar_one_or_none()


def reserve_stock(variant_id: int, quantity: int) -> None:
    """One conditional UPDATE: two buyers can never both take the last unit."""
    result = db.session.execute(
        update(Variant).where(Variant.id == variant_id, Variant.stock >= quantity)
        .values(stock=Variant.stock - quantity).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        variant = db.session.get(Variant, variant_id)
        db.session.refresh(variant)
        raise OutOfStock(_title(variant), variant.stock)


def release_stock(variant_id: int | None, quantity: int) -> None:
    if variant_id is None:
        return
    db.session.execute(update(Variant).where(Variant.id == variant_id).values(stock=Variant.stock + quantity)
                       .execution_options(synchronize_session=False))


def place_order(req: CheckoutRequest) -> Order:
    """Turn a cart into an order with one part per seller, reserving stock for every line.

    The same idempotency key always gives the same order (a double submit makes one order)."""
    if existing := order_for_key(req.idempotency_key):
        return existing
    if req.payment_method not in available_methods():
        raise NotAllowed("payment method")
    if req.address.province not in PROVINCES:
        raise OrderError("province")
    cart = db.session.get(Cart, req.cart_id)
    summary = summarize_cart(cart, req.user_id)
    if summary.is_empty:
        raise CartEmpty()
    for group in summary.groups:
        for line in group.lines:
            if line.problem == "unavailable":
                raise ProductUnavailable(line.product.title)
            if line.problem == "own_storefront":
                raise OwnStorefront()
            if line.problem == "not_enough_stock":
                raise OutOfStock(_title(line.variant), line.variant.stock)
    quotes = quote(summary, req.address.city, req.address.province, req.delivery)

    now = utcnow()
    items_idr = sum(q.items_idr for q in quotes)
    delivery_idr = sum(q.delivery_idr for q in quotes)
    a = req.address
    order = Order(public_id=uuid.uuid4().hex, idempotency_key=req.idempotency_key, user_id=req.user_id,
                  email=req.email.strip().lower(), locale=req.locale, recipient=a.recipient, phone=a.phone,
                  street=a.street, kelurahan=a.kelurahan, kecamatan=a.kecamatan, city=a.city, province=a.province,
                  postal_code=a.postal_code, payment_method=req.payment_method, items_idr=items_idr,
                  delivery_idr=delivery_idr, total_idr=items_idr + delivery_idr,
                  expires_at=now + timedelta(hours=current_app.config["UNPAID_ORDER_HOURS"]))
    db.session.add(order)
    try:
        db.session.flush()  # a concurrent double submit stops here, on the unique key
    except IntegrityError:
        db.session.rollback()
        if existing := order_for_key(req.idempotency_key):
            return existing
        raise
    try:
        for q, group in zip(quotes, summary.groups, strict=True):
            part = OrderPart(order=order, business_id=q.business.id, delivery_zone=q.zone, items_idr=q.items_idr,
                             delivery_idr=q.delivery_idr, total_idr=q.total_idr)
            db.session.add(part)
            for line in group.lines:
                part.lines.append(OrderLine(variant_id=line.variant.id, product_id=line.product.id,
                                            title=line.product.title, variant_label=line.variant.label,
                                            unit_price_idr=line.unit_price_idr, quantity=line.quantity,
                                            line_total_idr=line.line_total_idr))
        # In id order, so that two multi-line orders on PostgreSQL never wait on each other in a circle.
        for line in sorted((ln for g in summary.groups for ln in g.lines), key=lambda ln: ln.variant.id):
            reserve_stock(line.variant.id, line.quantity)
    except OrderError:
        db.session.rollback()
        raise
    payments.open_payment(order, req.payment_method, order.total_idr)
    record_event(order, None, OrderStatus.AWAITING_PAYMENT.value, None, req.user_id)
    for item in list(cart.items):
        db.session.delete(item)
    db.session.flush()
    email_customer(order, "order_received", bank=bank_account(), amount_due_idr=order.total_idr)
    if not PaymentMethod(req.payment_method).online:
        for part in order.parts:  # offline payment: the seller acts on it right away (COD, transfer)
            email_seller(part, "order_new_for_seller")
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if existing := order_for_key(req.idempotency_key):
            return existing
        raise
    return order


# History and notices -------------------------------------------------------------------------------


def record_event(order: Order, part: OrderPart | None, status: str, note: str | None, actor_id: int | None) -> None:
    db.session.add(OrderEvent(order=order, part_id=part.id if part else None, status=status, note=note,
                              actor_id=actor_id))


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


def order_by_public_id(public_id: str) -> Order | None:
    return db.session.execute(select(Order).where(Order.public_id == public_id)).scalar_one_or_none()


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


# Payment and status changes ------------------------------------------------------------------------


def amount_due_idr(order: Order) -> int:
    """What the customer is asked to pay: the payment's amount (the order total less parts cancelled
    before any money came)."""
    due = payments.amount_due_idr(order)
    return due if due is not None else _live_total_idr(order)


def _live_total_idr(order: Order) -> int:
    return sum(p.total_idr for p in order.parts if p.status in LIVE_PART_STATUSES)


def refresh_order_status(order: Order) -> None:
    live = [p for p in order.parts if p.status in LIVE_PART_STATUSES]
    if not live:
        order.status = OrderStatus.CANCELLED.value
    elif all(p.status != PartStatus.AWAITING_PAYMENT.value for p in live):
        if order.status != OrderStatus.PAID.value:
            order.status = OrderStatus.PAID.value
            order.paid_at = order.paid_at or utcnow()
    else:
        order.status = OrderStatus.AWAITING_PAYMENT.value


def transition(part_id: int, from_statuses: set[str] | frozenset[str], to_status: str, **values) -> bool:
    """Conditional UPDATE: of two concurrent callers only one moves the part."""
    result = db.session.execute(
        update(OrderPart).where(OrderPart.id == part_id, OrderPart.status.in_(list(from_statuses)))
        .values(status=to_status, updated_at=utcnow(), **values).execution_options(synchronize_session=False))
    if result.rowcount == 1:
        part = db.session.get(OrderPart, part_id)
        db.session.refresh(part)
        return True
    return False


def advance_part(part_id: int, to_status: str, actor_id: int, courier: str | None = None,
                 tracking_number: str | None = None) -> OrderPart:
    """Seller steps: paid -> packed -> shipped (courier, tracking) -> delivered -> completed."""
    from_status = SELLER_STEPS.get(to_status)
    if from_status is None:
        raise InvalidTransition()
    values = {}
    part = db.session.get(OrderPart, part_id)
    if part is None:
        raise NotAllowed()
    if to_status == PartStatus.SHIPPED.value:
        courier, tracking_number = (courier or "").strip(), (tracking_number or "").strip()
        if part.delivery_zone != DeliveryZone.PICKUP.value and not (courier and tracking_number):
            raise InvalidTransition("courier and tracking number are required")
        values = {"courier": courier or None, "tracking_number": tracking_number or None}
    if not transition(part_id, {from_status}, to_status, **values):
        raise InvalidTransition()
    note = f"{courier} {tracking_number}".strip() if to_status == PartStatus.SHIPPED.value else None
    record_event(part.order, part, to_status, note, actor_id)
    if to_status == PartStatus.SHIPPED.value:
        email_customer(part.order, "order_shipped", part=part)
    db.session.commit()
    return part


def confirm_received(order_id: int, part_id: int, actor_id: int | None) -> OrderPart:
    """The customer says a seller's parcel arrived: shipped or delivered -> completed."""
    part = db.session.get(OrderPart, part_id)
    if part is None or part.order_id != order_id:
        raise NotAllowed()
    if not transition(part_id, {PartStatus.SHIPPED.value, PartStatus.DELIVERED.value}, PartStatus.COMPLETED.value):
        raise InvalidTransition()
    record_event(part.order, part, PartStatus.COMPLETED.value, SystemNote.RECEIVED_BY_CUSTOMER.value, actor_id)
    db.session.commit()
    return part


def cancel_part(part_id: int, actor_id: int | None, reason: str) -> OrderPart:
    """Cancel one seller's part with a reason: the stock goes back, and money paid is refunded.

    An unpaid part of a card order cannot be cancelled alone (the customer may be paying that exact
    amount right now); it expires with its order instead."""
    part = db.session.get(OrderPart, part_id)
    if part is None:
        raise NotAllowed()
    order = part.order
    reason = (reason or "").strip()
    if not reason:
        raise InvalidTransition("a reason is required")
    if part.status == PartStatus.AWAITING_PAYMENT.value:
        if PaymentMethod(order.payment_method).online:
            raise InvalidTransition("unpaid card orders expire by themselves")
        if not transition(part_id, {PartStatus.AWAITING_PAYMENT.value}, PartStatus.CANCELLED.value,
                           cancel_reason=reason):
            raise InvalidTransition()
        restock(part)
        record_event(order, part, PartStatus.CANCELLED.value, reason, actor_id)
        refresh_order_status(order)
        # The order keeps its original total; the payment says what the customer still has to pay.
        payments.set_amount_due(order, _live_total_idr(order))
        if order.status == OrderStatus.CANCELLED.value:
            payments.mark_cancelled(order)
        email_customer(order, "order_cancelled", part=part, reason=reason, refunded_idr=0)
        db.session.commit()
        return part
    if part.status not in (PartStatus.PAID.value, PartStatus.PACKED.value):
        raise InvalidTransition()
    # The conditional UPDATE comes before the provider is asked, and holds the row until the commit: of
    # two submits of the cancel form only one gets here, so one refund and one ledger debit.
    if not transition(part_id, {PartStatus.PAID.value, PartStatus.PACKED.value}, PartStatus.REFUNDED.value,
                       cancel_reason=reason):
        raise InvalidTransition()
    try:
        payments.refund(order, part.total_idr, idempotency_key=f"refund-part-{part.id}")
    except PaymentError as exc:
        db.session.rollback()  # the part stays paid: no money went back
        raise RefundFailed(exc.message) from exc
    except Exception:
        db.session.rollback()
        raise
    ledger.reverse_part(part.business_id, part.id)
    restock(part)
    record_event(order, part, PartStatus.REFUNDED.value, reason, actor_id)
    refresh_order_status(order)
    email_customer(order, "order_cancelled", part=part, reason=reason, refunded_idr=part.total_idr)
    db.session.commit()
    return part


def restock(part: OrderPart) -> None:
    for line in part.lines:
        release_stock(line.variant_id, line.quantity)


# Reading -------------------------------------------------------------------------------------------


def orders_for_user(user_id: int) -> list[Order]:
    return db.session.execute(
        select(Order).where(Order.user_id == user_id).order_by(Order.created_at.desc(), Order.id.desc())
        .options(selectinload(Order.parts).selectinload(OrderPart.business), selectinload(Order.payment))
    ).scalars().all()


def load_order(order_id: int) -> Order | None:
    return db.session.execute(
        select(Order).where(Order.id == order_id)
        .options(selectinload(Order.parts).selectinload(OrderPart.lines),
                 selectinload(Order.parts).selectinload(OrderPart.business), selectinload(Order.events),
                 selectinload(Order.payment))
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


business_of = catalog.business_of
