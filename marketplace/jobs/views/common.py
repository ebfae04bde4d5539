"""What the job board's views share: small helpers for the arguments of a request."""
from __future__ import annotations

from flask import request

from marketplace.jobs.errors import JobsError


def error_message(exc: JobsError) -> str:
    return exc.message


def int_arg(name: str) -> int | None:
    raw = (request.args.get(name) or "").strip().replace(".", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        return None
    return int(raw)


def page_arg() -> int:
    return int_arg("page") or 1
