import unicodedata
from urllib.parse import urlsplit

from flask import abort, request


def _is_control_or_space(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"}


def safe_next_url(target: str | None) -> str | None:
    """Only same-site paths: a ``next`` parameter must never send people to another host.

    No whitespace or control character at all: browsers drop tabs and newlines inside a URL (so
    ``/<TAB>/evil.example`` would become ``//evil.example``), and a newline cannot go in a header."""
    if not target or any(_is_control_or_space(ch) for ch in target):
        return None
    try:
        parts = urlsplit(target)
    except ValueError:  # "//[" is an unclosed IPv6 host to urlsplit
        return None
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse_nul_bytes() -> None:
    """Before every request: no person types a NUL character, and PostgreSQL refuses to store or even
    compare one in a text column (a 500). Answer 400 for any in the path, query string or form."""
    values = [request.path]
    values += [text for pair in request.args.items(multi=True) for text in pair]
    if request.mimetype in _FORM_TYPES:
        values += [text for pair in request.form.items(multi=True) for text in pair]
    if any("\x00" in value for value in values):
        abort(400)
