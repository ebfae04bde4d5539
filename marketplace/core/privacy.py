"""Privacy declarations for core (see ``marketplace/accounts/privacy.py``)."""
from __future__ import annotations

COVERS: dict[str, str] = {}
KEPT_BY_LAW = {
    "audit_log": "the record of who read or changed sensitive data (UU PDP 27/2022 accountability for "
                 "health data); it names the acting account by id only",
}
