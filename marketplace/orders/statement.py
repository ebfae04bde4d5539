"""Staff upload the bank statement (mutasi rekening) as CSV: every incoming transfer whose amount is
exactly what an open order asks (the kode unik makes those amounts unique) confirms that order. Lines
that match nothing are listed, so are lines whose order was confirmed before (a second upload of the
same file confirms nothing twice). A file that cannot be read changes nothing.

Each order is confirmed in a transaction of its own, as when staff confirm it by hand: it locks only
that order's sellers' roll-up rows, in the one lock order (orders/status.in_lock_order). One transaction
for the whole file held the first order's sellers while waiting for the next one's, so on PostgreSQL two
uploads (or an upload and a confirmation) touching the same sellers in other orders deadlocked, and
the aborted upload confirmed nothing."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from marketplace.core import audit
from marketplace.core.transactions import transaction
from marketplace.orders import lookup, settlement
from marketplace.orders.models import Order
from marketplace.payments import services as payments
from marketplace.payments.outcomes import Outcome
from marketplace.payments.statement import StatementLine, read_statement


@dataclass
class StatementResult:
    confirmed: list[tuple[StatementLine, Order]] = field(default_factory=list)
    already: list[tuple[StatementLine, Order]] = field(default_factory=list)
    unmatched: list[tuple[StatementLine, str]] = field(default_factory=list)


# Why a line confirmed nothing (the template says each in the reader's language).
NO_ORDER = "no_order"
SEVERAL_ORDERS = "several_orders"


def confirm_statement(data: bytes, staff) -> StatementResult:
    """Confirm the open transfers (of orders ``staff`` handles) that the statement shows arrived."""
    lines = read_statement(data)  # a bad file raises here, before anything changes
    waiting: dict[int, list[Order]] = defaultdict(list)
    for order in lookup.transfers_awaiting(staff):
        waiting[order.payment.to_transfer_idr].append(order)
    result = StatementResult()
    for line in lines:
        candidates = _by_number(waiting.get(line.amount_idr, []), line.description)
        if len(candidates) > 1:
            result.unmatched.append((line, SEVERAL_ORDERS))
            continue
        if not candidates:
            paid = lookup.transfer_paid_with(staff, line.amount_idr, line.description)
            if paid is not None:
                result.already.append((line, paid))
            else:
                result.unmatched.append((line, NO_ORDER))
            continue
        order = candidates[0]
        with transaction():
            outcome = payments.confirm_transfer(order, line.amount_idr, f"mutasi line {line.number}")
            settlement.settle(outcome, staff.id)
        waiting[line.amount_idr].remove(order)
        (result.confirmed if outcome.kind is Outcome.PAID else result.already).append((line, order))
    with transaction():
        audit.record(staff.id, "transfer.statement", "payment", None,
                     detail=f"{len(lines)} credits: {len(result.confirmed)} confirmed, {len(result.already)} "
                            f"confirmed before, {len(result.unmatched)} unmatched")
    return result


def _by_number(orders: list[Order], description: str) -> list[Order]:
    """Several orders asking the same amount: the one whose number the customer wrote in the note."""
    if len(orders) < 2:
        return orders
    named = [order for order in orders if order.number in description.upper()]
    return named or orders
