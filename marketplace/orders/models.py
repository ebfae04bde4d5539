"""Carts, orders, order parts (one seller's share of an order), lines, history and delivery rates.

Money is integer rupiah in ``*_idr`` columns. An order line keeps a snapshot of what was bought
(title, variant label, unit price) so later catalog edits never rewrite an order.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.timeutil import utcnow
from marketplace.core.types import UTCDateTime
from marketplace.extensions import db


class PartStatus(str, enum.Enum):
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    PACKED = "packed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class OrderStatus(str, enum.Enum):
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"            # every part that is still live has been paid
    CANCELLED = "cancelled"  # every part cancelled or refunded (expiry included)


class SystemNote(str, enum.Enum):
    """Notes and cancel reasons the system writes (shown translated); anything else a person wrote."""

    PAYMENT_CONFIRMED = "payment confirmed"   # by staff (bank transfer) or the seller (cash)
    REFUND_SENT = "refund sent"               # staff transferred money owed back to the customer
    CASH_RETURNED = "cash returned by the seller"  # cash on delivery given back for a refunded part
    RELEASED_TO_SELLER = "released to the seller"  # escrow ended: the seller's share may be paid out
    PAID_BY_CARD = "paid by card"
    NOT_PAID_IN_TIME = "expired"
    CANCELLED_BY_CUSTOMER = "cancelled by the customer"
    RECEIVED_BY_CUSTOMER = "received by the customer"
    LATE_PAYMENT_REFUNDED = "paid after expiry, refunded"


class DeliveryZone(str, enum.Enum):
    SAME_CITY = "same_city"
    SAME_PROVINCE = "same_province"
    JAVA = "java"
    OUTSIDE_JAVA = "outside_java"
    PICKUP = "pickup"


class Cart(db.Model):
    """A signed-in customer's cart is found by ``user_id``; a guest's by the random ``token`` kept in
    their session cookie."""

    __tablename__ = "carts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    items: Mapped[list[CartItem]] = relationship(back_populates="cart", cascade="all, delete-orphan",
                                                   order_by="CartItem.id")
    draft: Mapped[CheckoutDraft | None] = relationship(cascade="all, delete-orphan")


class CartItem(db.Model):
    __tablename__ = "cart_items"
    __table_args__ = (UniqueConstraint("cart_id", "variant_id"),
                      CheckConstraint("quantity > 0", name="quantity_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"), index=True)
    quantity: Mapped[int]

    cart: Mapped[Cart] = relationship(back_populates="items")
    variant = relationship("Variant")


class CheckoutDraft(db.Model):
    """What the customer typed at checkout (email, name, phone, address, delivery and payment choices)
    between the checkout form and "Place order". On the server, keyed by the cart: the session cookie is
    signed but readable, and a phone may be shared, so no personal data travels in it. Deleted with
    the cart, when the order is placed, and with the account (``orders/privacy.py``)."""

    __tablename__ = "checkout_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id"), unique=True)
    data: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class DeliverySettings(db.Model):
    """A seller's flat delivery rates by zone, and whether buyers may pick up. The zone is found from
    the storefront's city and province (``Business.province``)."""

    __tablename__ = "delivery_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), unique=True)
    same_city_idr: Mapped[int] = mapped_column(default=10_000)
    same_province_idr: Mapped[int] = mapped_column(default=20_000)
    java_idr: Mapped[int] = mapped_column(default=30_000)
    outside_java_idr: Mapped[int] = mapped_column(default=60_000)
    delivery_enabled: Mapped[bool] = mapped_column(default=True)
    pickup_enabled: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Order(db.Model):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # in URLs; never the row id
    # One order per submitted checkout form: a double submit finds the first order by this key.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(5), default="id")
    recipient: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20))
    street: Mapped[str] = mapped_column(String(200))
    kelurahan: Mapped[str] = mapped_column(String(80))
    kecamatan: Mapped[str] = mapped_column(String(80))
    city: Mapped[str] = mapped_column(String(80))
    province: Mapped[str] = mapped_column(String(60))
    postal_code: Mapped[str] = mapped_column(String(5))
    payment_method: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.AWAITING_PAYMENT.value, index=True)
    items_idr: Mapped[int]
    delivery_idr: Mapped[int]
    # What the order cost when it was placed; never lowered by a cancellation (the payment keeps what
    # is still due and what was refunded).
    total_idr: Mapped[int]
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    user = relationship("User")
    parts: Mapped[list[OrderPart]] = relationship(back_populates="order", order_by="OrderPart.id")
    events: Mapped[list[OrderEvent]] = relationship(back_populates="order", order_by="OrderEvent.id")
    # Read-only: the payments domain writes payments; order lists load it eagerly to show refunds.
    payment = relationship("Payment", uselist=False, viewonly=True)
    refunds = relationship("Refund", viewonly=True, order_by="Refund.id")

    @property
    def number(self) -> str:
        """The order number people read, and the reference customers put in a bank transfer note."""
        return self.public_id[:8].upper()


class OrderPart(db.Model):
    """One seller's share of an order, with its own fulfilment status."""

    __tablename__ = "order_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=PartStatus.AWAITING_PAYMENT.value, index=True)
    delivery_zone: Mapped[str] = mapped_column(String(20))
    items_idr: Mapped[int]
    delivery_idr: Mapped[int]
    total_idr: Mapped[int]
    courier: Mapped[str | None] = mapped_column(String(60))
    tracking_number: Mapped[str | None] = mapped_column(String(80))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # Escrow: when the seller's share became available for payout (the customer received the parcel,
    # or ESCROW_RELEASE_DAYS passed after shipping without a problem reported).
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    problem_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    problem_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    order: Mapped[Order] = relationship(back_populates="parts")
    business = relationship("Business")
    lines: Mapped[list[OrderLine]] = relationship(back_populates="part", order_by="OrderLine.id")


class OrderLine(db.Model):
    __tablename__ = "order_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("order_parts.id"), index=True)
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variants.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    title: Mapped[str] = mapped_column(String(120))
    variant_label: Mapped[str] = mapped_column(String(60), default="")
    unit_price_idr: Mapped[int]
    quantity: Mapped[int]
    line_total_idr: Mapped[int]

    part: Mapped[OrderPart] = relationship(back_populates="lines")


class OrderEvent(db.Model):
    """The timestamped history of an order and its parts (status changes, notes)."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    part_id: Mapped[int | None] = mapped_column(ForeignKey("order_parts.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    order: Mapped[Order] = relationship(back_populates="events")
