"""Small helpers for request tests of accounts, staff and admin pages."""
from __future__ import annotations

import re

from flask import g

LINK = re.compile(r"http://localhost(/\S+)")


def link_path(message) -> str:
    """The path of the first link in an email (PUBLIC_URL is http://localhost in tests)."""
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def forget_cached_user() -> None:
    """Test-client requests share the test's app context, and Flask-Login caches the user in ``g``:
    drop it so the next request loads the user from its own cookie, as a real request would."""
    g.pop("_login_user", None)
