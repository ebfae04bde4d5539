"""Privacy declarations for payments (see ``marketplace/accounts/privacy.py``).

Payment records point at orders, not at people; the one table pointing at users records which staff
member recorded a payout."""
from __future__ import annotations

COVERS: dict[str, str] = {}
KEPT_BY_LAW = {
    "payouts": "a payout is a bookkeeping record (UU KUP art. 28, 10 years); recorded_by_id names the "
               "staff member accountable for the transfer",
}
