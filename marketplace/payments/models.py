"""Payments, webhook events, the per-seller ledger and payouts.

The platform collects customers' money (Stripe, or bank transfer to the program) and owes each seller
the sum of their ledger entries; staff pay that out by bank transfer and record it here.

Payments know an order only by its id (``order_id``, ``order_part_id``): the orders domain reads
payments, never the reverse.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.timeutil import utcnow
from marketplace.core.types import UTCDateTime
from marketplace.extensions import db


class PaymentMethod(str, enum.Enum):
    """How a customer pays; also the name of the provider that handles it (``Payment.provider``)."""

    STRIPE = "stripe"                # card, through Stripe PaymentIntents
    BANK_TRANSFER = "bank_transfer"  # to the program's account, confirmed by a person
    COD = "cod"                      # cash on delivery or pickup, confirmed by the seller

    @property
    def online(self) -> bool:
        """True: the customer pays on our payment step; False: a person confirms the money."""
        return self is PaymentMethod.STRIPE


class PaymentStatus(str, enum.Enum):
    PENDING = "pending"        # waiting for the card, the transfer or the cash
    SUCCEEDED = "succeeded"
    CANCELLED = "cancelled"    # the order expired or was cancelled before any money came


class Payment(db.Model):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    provider: Mapped[str] = mapped_column(String(20))
    provider_ref: Mapped[str | None] = mapped_column(String(100), unique=True)  # e.g. PaymentIntent id
    client_secret: Mapped[str | None] = mapped_column(String(200))
    amount_idr: Mapped[int]
    refunded_idr: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default=PaymentStatus.PENDING.value, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def is_card(self) -> bool:
        return self.provider == PaymentMethod.STRIPE.value


class WebhookEvent(db.Model):
    """Every provider event we accepted, once: the unique id makes a replay a no-op."""

    __tablename__ = "webhook_events"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(80))
    outcome: Mapped[str | None] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LedgerKind(str, enum.Enum):
    SALE = "sale"                      # + a paid order part (items and delivery)
    COMMISSION = "commission"          # - the program's commission on that sale
    CASH_COLLECTED = "cash_collected"  # - cash on delivery: the seller already holds the money
    REFUND = "refund"                  # - what the sale had credited, when the part is refunded
    PAYOUT = "payout"                  # - money staff transferred to the seller


class LedgerEntry(db.Model):
    __tablename__ = "ledger_entries"
    # At most one entry of each kind per order part: a replayed event can never credit twice.
    __table_args__ = (UniqueConstraint("order_part_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    order_part_id: Mapped[int | None] = mapped_column(ForeignKey("order_parts.id"))
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("payouts.id"))
    kind: Mapped[str] = mapped_column(String(20))
    amount_idr: Mapped[int]  # signed: credits positive, debits negative
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class Payout(db.Model):
    __tablename__ = "payouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    amount_idr: Mapped[int]
    reference: Mapped[str] = mapped_column(String(120))  # the bank transfer reference
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    business = relationship("Business")
    recorded_by = relationship("User")
