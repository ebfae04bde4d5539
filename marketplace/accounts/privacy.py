""""Download my data" and "delete my account" across every domain.

Each domain whose tables point at users has ``marketplace/<domain>/privacy.py`` declaring, for every
such table of its own, what happens to it:

- ``COVERS = {"table": "what erasing does"}``: exported by ``export_user_data(user) -> dict`` and erased
  (deleted or anonymised) by ``erase_user_data(user) -> None``, both required when ``COVERS`` is not empty;
- ``KEPT_BY_LAW = {"table": "why it must be kept"}``: kept as it is, with the reason.

The helpers below walk the domain registry (``marketplace.core.domains``), so a new domain only adds
its own file; ``tests/core/test_privacy_coverage.py`` fails when a table pointing at users is in
neither. This module is also the accounts domain's own part (the profile and invitations).
"""
from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

from sqlalchemy import select, update

from marketplace.accounts.models import Invitation, User
from marketplace.core.domains import domain_modules
from marketplace.extensions import db

COVERS = {
    "users": "anonymised: name, email, phone and organisation replaced; the row stays for the records "
             "that point at it (accounts.services.anonymise)",
    "invitations": "the invitation that created the account: name and email replaced",
}
KEPT_BY_LAW: dict[str, str] = {}


def privacy_modules() -> Iterator[tuple[str, ModuleType]]:
    yield from domain_modules("privacy")


def collect_user_data(user: User) -> dict:
    """Everything we hold about the person, one key per domain."""
    return {domain: module.export_user_data(user) for domain, module in privacy_modules()
            if getattr(module, "COVERS", None)}


def erase_user_data_everywhere(user: User) -> None:
    """Called inside the deleting transaction; each domain keeps what the law requires."""
    for _domain, module in privacy_modules():
        if getattr(module, "COVERS", None):
            module.erase_user_data(user)


# The accounts domain's own part -------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_user_data(user: User) -> dict:
    invitation = db.session.execute(
        select(Invitation).where(Invitation.accepted_user_id == user.id)
    ).scalar_one_or_none()
    return {
        "profile": {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "phone": user.phone,
            "role": user.role,
            "language": user.locale,
            "organisation": user.organisation,
            "program": user.program.name if user.program else None,
            "cohort": user.cohort.name if user.cohort else None,
            "created_at": _iso(user.created_at),
            "email_verified_at": _iso(user.email_verified_at),
            "approved_at": _iso(user.approved_at),
        },
        "invitation": None if invitation is None else {
            "name": invitation.name,
            "email": invitation.email,
            "role": invitation.role,
            "created_at": _iso(invitation.created_at),
            "used_at": _iso(invitation.used_at),
        },
    }


def erase_user_data(user: User) -> None:
    # The invitation that created the account repeats the name and address.
    db.session.execute(
        update(Invitation).where(Invitation.accepted_user_id == user.id)
        .values(name="Deleted user", email=f"deleted-{user.id}@invalid.local")
    )
