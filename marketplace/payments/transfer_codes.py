"""Kode unik: the last three digits of a bank transfer's amount tell transfers apart.

Customers in Indonesia are used to transferring "Rp 205.137" for a Rp 205.000 order: the 137 is the
order's code, so that staff reading the bank statement (mutasi rekening) can match each credit to its
order without guessing. The customer pays the code (at most Rp 999); it belongs to the program (it is
never credited to a seller) and is recorded on the payment (``unique_code_idr``), so the ledger and the
sellers' shares stay exact. It goes back to the customer only when the whole order is refunded.

No two open transfers (bank transfer, still pending) share a code: a partial unique index says so,
and a checkout that races another one for the same code tries the next free one.
"""
from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.extensions import db
from marketplace.payments.errors import TransferError
from marketplace.payments.models import Payment, PaymentMethod, PaymentStatus

CODES = range(1, 1000)
TRIES = 5


def codes_in_use() -> set[int]:
    return set(db.session.execute(
        select(Payment.unique_code_idr).where(Payment.provider == PaymentMethod.BANK_TRANSFER.value,
                                              Payment.status == PaymentStatus.PENDING.value)).scalars())


def add_with_unique_code(payment: Payment) -> Payment:
    """Add the new transfer with a code no open transfer has (inside a SAVEPOINT, so that losing a race
    for a code costs only this insert, not the order)."""
    taken = codes_in_use()
    for _ in range(TRIES):
        free = [code for code in CODES if code not in taken]
        if not free:
            break
        payment.unique_code_idr = secrets.choice(free)
        try:
            with db.session.begin_nested():
                db.session.add(payment)
                db.session.flush()
            return payment
        except IntegrityError:
            taken = codes_in_use() | {payment.unique_code_idr}
    raise TransferError("no_transfer_code")
