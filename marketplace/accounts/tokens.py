"""Signed, expiring tokens for emailed links, and absolute links to put in emails.

Each purpose has its own salt, so a token minted for one purpose (verifying an email) can never be
replayed for another (resetting a password), even though both are signed with SECRET_KEY.
"""
from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

VERIFY_EMAIL = "verify-email"
PASSWORD_RESET = "password-reset"  # nosec B105  # the salt naming a token kind, not a password
ACCOUNT_SETUP = "account-setup"
INVITATION = "invitation"


class TokenInvalid(Exception):
    """Forged, damaged or meant for another purpose."""


class TokenExpired(TokenInvalid):
    """Genuine but too old."""


class _FixedTimeSigner(TimestampSigner):
    issued_at: int | None = None

    def get_timestamp(self) -> int:
        return self.issued_at if self.issued_at is not None else int(time.time())


def _serializer(purpose: str, issued_at: datetime | None = None) -> URLSafeTimedSerializer:
    signer = _FixedTimeSigner
    if issued_at is not None:
        # Lets a test (or a support tool) mint an already-old token without waiting for the clock.
        signer = type("_IssuedSigner", (_FixedTimeSigner,), {"issued_at": int(issued_at.timestamp())})
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"pasar-bangkit/{purpose}",
                                  signer=signer)


def make_token(purpose: str, payload: Any, issued_at: datetime | None = None) -> str:
    return _serializer(purpose, issued_at).dumps(payload)


def read_token(purpose: str, token: str, max_age_seconds: int | None) -> Any:
    try:
        return _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired as exc:
        raise TokenExpired() from exc
    except (BadSignature, UnicodeError, ValueError, TypeError) as exc:
        raise TokenInvalid() from exc


def public_link(endpoint: str, **values: Any) -> str:
    """An absolute link under PUBLIC_URL; works without a request (CLI commands, workers)."""
    path = current_app.url_map.bind("placeholder").build(endpoint, values)
    return current_app.config["PUBLIC_URL"] + path
