"""The per-seller ledger: what the platform owes each seller.

Rules:
- A paid order part credits its total (items plus delivery) as a ``sale`` and debits the program's
  commission: ``commission = total_idr * COMMISSION_PERCENT // 100``, i.e. rounded DOWN to a whole
  rupiah, in the seller's favour.
- Cash on delivery: the seller already holds the cash, so a ``cash_collected`` entry debits the total
  (only the commission stays owed to the program).
- A refund reverses everything the part put in the ledger (one ``refund`` entry).
- Payouts debit the balance. The balance is the sum of the entries.
A unique (order_part_id, kind) constraint makes each of these happen at most once per part.

Escrow: the program holds the customer's money until the customer has the parcel. A sale's entries are
*pending* (``available_at`` NULL) until the orders domain releases the part (the customer marked it
received, or ``ESCROW_RELEASE_DAYS`` passed after shipping); only *available* money may be paid out.
Cash on delivery is available at once (the seller already holds the cash), and so are payouts.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import case, func, select, update

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.payments.models import LedgerEntry, LedgerKind


def commission_for(total_idr: int, percent: int | None = None) -> int:
    percent = current_app.config.get("COMMISSION_PERCENT", 0) if percent is None else percent
    return int(total_idr) * int(percent) // 100


def credit_sale(business_id: int, order_part_id: int, total_idr: int, cash_on_delivery: bool = False) -> None:
    """A paid order part (``order_part_id``) of ``total_idr`` for the seller ``business_id``: pending
    until released, except cash the seller already holds."""
    available_at = utcnow() if cash_on_delivery else None
    entries = [LedgerEntry(business_id=business_id, order_part_id=order_part_id, kind=LedgerKind.SALE.value,
                           amount_idr=total_idr, available_at=available_at)]
    commission = commission_for(total_idr)
    if commission:
        entries.append(LedgerEntry(business_id=business_id, order_part_id=order_part_id,
                                   kind=LedgerKind.COMMISSION.value, amount_idr=-commission,
                                   available_at=available_at))
    if cash_on_delivery:
        entries.append(LedgerEntry(business_id=business_id, order_part_id=order_part_id,
                                   kind=LedgerKind.CASH_COLLECTED.value, amount_idr=-total_idr,
                                   available_at=available_at))
    db.session.add_all(entries)
    db.session.flush()


def reverse_part(business_id: int, order_part_id: int) -> int:
    """Debit whatever the part credited; returns the (signed) amount written. The debit is pending
    while the sale was (the part's pending money nets to zero) and available otherwise."""
    net, held = db.session.execute(
        select(func.coalesce(func.sum(LedgerEntry.amount_idr), 0),
               func.count(LedgerEntry.id).filter(LedgerEntry.available_at.is_(None)))
        .where(LedgerEntry.order_part_id == order_part_id)).one()
    if net == 0:
        return 0
    db.session.add(LedgerEntry(business_id=business_id, order_part_id=order_part_id,
                               kind=LedgerKind.REFUND.value, amount_idr=-int(net),
                               available_at=None if held else utcnow()))
    db.session.flush()
    return -int(net)


def release_part(order_part_id: int) -> int:
    """Escrow ends for one part: its pending entries become available (one conditional UPDATE, so a
    second call, or two at once, change nothing). Returns the amount released."""
    held = db.session.execute(
        select(func.coalesce(func.sum(LedgerEntry.amount_idr), 0))
        .where(LedgerEntry.order_part_id == order_part_id, LedgerEntry.available_at.is_(None))).scalar_one()
    db.session.execute(
        update(LedgerEntry).where(LedgerEntry.order_part_id == order_part_id, LedgerEntry.available_at.is_(None))
        .values(available_at=utcnow()).execution_options(synchronize_session=False))
    return int(held)


@dataclass(frozen=True)
class Balance:
    available_idr: int  # may be paid out now
    pending_idr: int    # held until the customers have their parcels

    @property
    def total_idr(self) -> int:
        return self.available_idr + self.pending_idr


def balance(business_id: int) -> Balance:
    return balances([business_id])[business_id]


def balance_idr(business_id: int) -> int:
    return int(db.session.execute(
        select(func.coalesce(func.sum(LedgerEntry.amount_idr), 0)).where(LedgerEntry.business_id == business_id)
    ).scalar_one())


def balances(business_ids: list[int]) -> dict[int, Balance]:
    """Each storefront's available and pending money, in one statement."""
    if not business_ids:
        return {}
    pending = case((LedgerEntry.available_at.is_(None), LedgerEntry.amount_idr), else_=0)
    rows = db.session.execute(
        select(LedgerEntry.business_id, func.sum(LedgerEntry.amount_idr), func.sum(pending))
        .where(LedgerEntry.business_id.in_(business_ids)).group_by(LedgerEntry.business_id)
    ).all()
    found = {business_id: Balance(int(total) - int(held), int(held)) for business_id, total, held in rows}
    return {business_id: found.get(business_id, Balance(0, 0)) for business_id in business_ids}
