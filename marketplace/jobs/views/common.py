"""What the job board's views share: small helpers for the arguments and one-button forms of a request."""
from __future__ import annotations

from flask import abort, request

from marketplace.jobs.forms import ActionForm


def int_arg(name: str) -> int | None:
    raw = (request.args.get(name) or "").strip().replace(".", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        return None
    return int(raw)


def page_arg() -> int:
    return int_arg("page") or 1


def require_action_form() -> None:
    """A one-button form (withdraw, remove, publish...): only its CSRF token to check; 400 without it."""
    if not ActionForm().validate_on_submit():
        abort(400)
