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
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.payments.models import LedgerEntry, LedgerKind


def commission_for(total_idr: int, percent: int | None = None) -> int:
    percent = current_app.config.get("COMMISSION_PERCENT", 0) if percent is None else percent
    return int(total_idr) * int(percent) // 100


def credit_sale(business_id: int, order_part_id: int, total_idr: int, cash_on_delivery: bool = False) -> None:
    """A paid order part (``order_part_id``) of ``total_idr`` for the seller ``business_id``."""
    entries = [LedgerEntry(business_id=business_id, order_part_id=order_part_id, kind=LedgerKind.SALE.value,
                           amount_idr=total_idr)]
    commission = commission_for(total_idr)
    if commission:
        entries.append(LedgerEntry(business_id=business_id, order_part_id=order_part_id,
                                   kind=LedgerKind.COMMISSION.value, amount_idr=-commission))
    if cash_on_delivery:
        entries.append(LedgerEntry(business_id=business_id, order_part_id=order_part_id,
                                   kind=LedgerKind.CASH_COLLECTED.value, amount_idr=-total_idr))
    db.session.add_all(entries)
    db.session.flush()


def reverse_part(business_id: int, order_part_id: int) -> int:
    """Debit whatever the part credited; returns the (signed) amount written."""
    net = db.session.execute(
        select(func.coalesce(func.sum(LedgerEntry.amount_idr), 0)).where(LedgerEntry.order_part_id == order_part_id)
    ).scalar_one()
    if net == 0:
        return 0
    db.session.add(LedgerEntry(business_id=business_id, order_part_id=order_part_id,
                               kind=LedgerKind.REFUND.value, amount_idr=-int(net)))
    db.session.flush()
    return -int(net)


def balance_idr(business_id: int) -> int:
    return int(db.session.execute(
        select(func.coalesce(func.sum(LedgerEntry.amount_idr), 0)).where(LedgerEntry.business_id == business_id)
    ).scalar_one())


def balances(business_ids: list[int]) -> dict[int, int]:
    if not business_ids:
        return {}
    rows = db.session.execute(
        select(LedgerEntry.business_id, func.sum(LedgerEntry.amount_idr))
        .where(LedgerEntry.business_id.in_(business_ids)).group_by(LedgerEntry.business_id)
    ).all()
    found = {business_id: int(total) for business_id, total in rows}
    return {business_id: found.get(business_id, 0) for business_id in business_ids}
