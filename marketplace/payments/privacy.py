"""Privacy declarations for payments (see ``marketplace/accounts/privacy.py``).

Payment records point at orders, not at people; two tables point at users, to name the staff member
who recorded a payout or a refund."""
from __future__ import annotations

COVERS: dict[str, str] = {}
KEPT_BY_LAW = {
    "payouts": "a payout is a bookkeeping record (UU KUP art. 28, 10 years); recorded_by_id names the "
               "staff member accountable for the transfer",
    "refunds": "a refund is a bookkeeping record of money paid back (UU KUP art. 28, 10 years); recorded_by_id "
               "names the staff member accountable for the transfer; it points at the order, not the customer",
}
