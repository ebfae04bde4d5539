"""Payouts: staff transfer a seller's available money and record it (a payout and a ledger debit);
the seller's ledger and payouts as their pages list them."""
from __future__ import annotations

from sqlalchemy import select

from marketplace.core import audit
from marketplace.core.timeutil import utcnow
from marketplace.core.transactions import transactional
from marketplace.extensions import db
from marketplace.payments import ledger
from marketplace.payments.errors import PayoutError
from marketplace.payments.models import LedgerEntry, LedgerKind, Payout


@transactional
def record_payout(business_id: int, amount_idr: int, reference: str, actor_id: int, note: str | None = None) -> Payout:
    """Staff transferred money to a seller: a payout and a ledger debit, in one transaction. The
    caller has checked the staff member belongs to the seller's program."""
    reference = (reference or "").strip()
    if amount_idr <= 0 or not reference:
        raise PayoutError()  # amount and reference are required
    if amount_idr > ledger.balance(business_id).available_idr:
        raise PayoutError()  # more than the money available (pending money waits for the parcels)
    payout = Payout(business_id=business_id, amount_idr=amount_idr, reference=reference, note=note,
                    recorded_by_id=actor_id)
    db.session.add(payout)
    db.session.flush()
    db.session.add(LedgerEntry(business_id=business_id, payout_id=payout.id, kind=LedgerKind.PAYOUT.value,
                               amount_idr=-amount_idr, available_at=utcnow()))
    audit.record(actor_id, "payout.record", "business", business_id, detail=f"Rp {amount_idr} ref {reference}")
    return payout


def ledger_entries(business_id: int, limit: int = 200) -> list[LedgerEntry]:
    return db.session.execute(
        select(LedgerEntry).where(LedgerEntry.business_id == business_id)
        .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc()).limit(limit)).scalars().all()


def payouts_for(business_id: int) -> list[Payout]:
    return db.session.execute(
        select(Payout).where(Payout.business_id == business_id).order_by(Payout.created_at.desc(), Payout.id.desc())
    ).scalars().all()
