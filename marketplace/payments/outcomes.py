"""What happened to a payment, as a value the orders domain reacts to (``orders/settlement.py``).

Payments never change an order: they move their own records (payment, refund, ledger, webhook event)
and say what happened. The order that the payment is for is named by its id only.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol


class OrderRef(Protocol):
    """All payments know of an order: its id (the ``order_id`` of its payment)."""

    id: int


class PayableOrder(OrderRef, Protocol):
    """What a provider needs to start a card payment: a reference for the customer and an email."""

    public_id: str
    email: str


class Outcome(str, enum.Enum):
    # The values are what a webhook answers and stores as its outcome.
    PAID = "paid"                    # the money arrived in full: the order is paid
    LATE_REFUNDED = "late refunded"  # money came for an order that had closed; refunded in full
    ALREADY_SETTLED = "already paid"  # nothing to do: an earlier event or the customer's return did it
    UNDERPAID = "underpaid"          # less than due arrived: recorded on the payment, not paid
    OVERPAID = "overpaid"            # a transfer of more than due: recorded and flagged, not paid
    FAILED = "failed"                # a declined card: the order stays payable
    UNREACHABLE = "unreachable"      # the provider cannot be asked now: leave the order as it is
    UNKNOWN_PAYMENT = "unknown payment"
    IGNORED = "ignored"
    DUPLICATE = "duplicate"          # a replayed webhook event: nothing was done


@dataclass(frozen=True)
class PaymentOutcome:
    kind: Outcome
    order_id: int | None = None
    amount_idr: int = 0
    source: str = ""

    @property
    def settles_order(self) -> bool:
        """The order must react (marked paid, or told that its late money went back)."""
        return self.kind in (Outcome.PAID, Outcome.LATE_REFUNDED)

    @property
    def keeps_order_open(self) -> bool:
        """Before closing an unpaid order: the money came, or the provider cannot say it did not."""
        return self.kind in (Outcome.PAID, Outcome.LATE_REFUNDED, Outcome.ALREADY_SETTLED, Outcome.UNREACHABLE)
