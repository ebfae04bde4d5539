""""Download my data" and "delete my account" across every domain.

Each domain that holds personal data has ``marketplace/<domain>/privacy.py`` with
``export_user_data(user) -> dict`` and ``erase_user_data(user) -> None``. The helpers below find them
the same way the app factory finds views and models, so a new domain only adds its own file.
This module is also the accounts domain's own part (the profile and invitations).
"""
from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator
from types import ModuleType

from sqlalchemy import select, update

from marketplace.accounts.models import Invitation, User
from marketplace.extensions import db


def privacy_modules() -> Iterator[tuple[str, ModuleType]]:
    from marketplace import DOMAINS

    for domain in DOMAINS:
        if (importlib.util.find_spec(f"marketplace.{domain}") is not None
                and importlib.util.find_spec(f"marketplace.{domain}.privacy") is not None):
            yield domain, importlib.import_module(f"marketplace.{domain}.privacy")


def collect_user_data(user: User) -> dict:
    """Everything we hold about the person, one key per domain."""
    return {domain: module.export_user_data(user) for domain, module in privacy_modules()}


def erase_user_data_everywhere(user: User) -> None:
    """Called inside the deleting transaction; each domain keeps what the law requires."""
    for _domain, module in privacy_modules():
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
