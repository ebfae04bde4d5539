"""Payments, webhook events, the per-seller ledger and payouts.

The platform collects customers' money (Stripe, or bank transfer to the program) and owes each seller
the sum of their ledger entries; staff pay that out by bank transfer and record it here.

Payments know an order only by its id (``order_id``, ``order_part_id``): the orders domain reads
payments, never the reverse.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
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

    @property
    def collected_by_seller(self) -> bool:
        """The seller holds this money (cash on delivery): they confirm it, and they give it back when
        their part is refunded. Everything else reaches the platform, which refunds it."""
        return self is PaymentMethod.COD


class PaymentStatus(str, enum.Enum):
    PENDING = "pending"        # waiting for the card, the transfer or the cash
    SUCCEEDED = "succeeded"
    CANCELLED = "cancelled"    # the order expired or was cancelled before any money came


# Kode unik: a bank transfer's amount carries a code of 1..999 rupiah so that staff can tell transfers
# apart on the bank statement. No two open transfers share one (a partial unique index).
OPEN_TRANSFER = "provider = 'bank_transfer' AND status = 'pending'"


class Payment(db.Model):
    __tablename__ = "payments"
    __table_args__ = (Index("uq_payments_open_transfer_code", "unique_code_idr", unique=True,
                            sqlite_where=text(OPEN_TRANSFER), postgresql_where=text(OPEN_TRANSFER)),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    provider: Mapped[str] = mapped_column(String(20))
    provider_ref: Mapped[str | None] = mapped_column(String(100), unique=True)  # e.g. PaymentIntent id
    client_secret: Mapped[str | None] = mapped_column(String(200))
    amount_idr: Mapped[int]  # what the goods and delivery still cost (lowered when an unpaid part is cancelled)
    # Bank transfer: the customer adds this code to the amount (kode unik); it belongs to the program,
    # never to a seller, and goes back to the customer only when the whole order is refunded.
    unique_code_idr: Mapped[int] = mapped_column(default=0)
    received_idr: Mapped[int] = mapped_column(default=0)  # what staff (or the bank statement) say arrived
    # Set when a transfer of another amount was recorded: listed for staff, the order is not paid.
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refunded_idr: Mapped[int] = mapped_column(default=0)  # money that has gone back (refunds sent)
    status: Mapped[str] = mapped_column(String(20), default=PaymentStatus.PENDING.value, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def is_card(self) -> bool:
        return self.provider == PaymentMethod.STRIPE.value

    @property
    def is_transfer(self) -> bool:
        return self.provider == PaymentMethod.BANK_TRANSFER.value

    @property
    def to_transfer_idr(self) -> int:
        """The exact amount the customer transfers: what is due plus the kode unik."""
        return self.amount_idr + self.unique_code_idr


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


class RefundStatus(str, enum.Enum):
    # The customer is owed this money: by the program (a bank transfer: staff send it and record the
    # reference), or by the seller who collected it (cash on delivery: they give it back and say so).
    OWED = "owed"
    SENT = "sent"  # the money went back (a card refund at Stripe, a transfer staff recorded, cash returned)


class RefundReason(str, enum.Enum):
    PART_CANCELLED = "part_cancelled"  # a seller cancelled their part after it was paid
    OVERPAID = "overpaid"              # a transfer of more than was due, accepted by staff
    ORDER_CLOSED = "order_closed"      # money for an order that had already expired or been cancelled


class Refund(db.Model):
    """Money going back to a customer. Card refunds are made at Stripe at once (SENT); money that came
    by bank transfer is OWED until staff transfer it back and record the bank reference; cash on
    delivery is OWED by the seller who collected it until they mark it returned (the platform never
    held that cash: staff see it only to follow up, never as theirs to pay)."""

    __tablename__ = "refunds"
    # A part is refunded at most once.
    __table_args__ = (UniqueConstraint("order_part_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    order_part_id: Mapped[int | None] = mapped_column(ForeignKey("order_parts.id"))
    amount_idr: Mapped[int]
    reason: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default=RefundStatus.OWED.value, index=True)
    # Stripe's refund id, the bank reference, or how the seller gave cash back (their words, optional)
    reference: Mapped[str | None] = mapped_column(String(120))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def owed(self) -> bool:
        return self.status == RefundStatus.OWED.value


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
    # Escrow: a sale's entries are held (NULL) until the customer has the parcel; then they become
    # available for payout. Payouts and cash on delivery are available at once.
    available_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
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
