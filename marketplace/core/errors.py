"""Domain errors, and the friendly error pages in the visitor's language.

Every rule a service enforces refuses with a ``DomainError``: ``code`` names the rule, the domain's
message table (``messages``, lazily translated, one table per domain root) says it to a person, and
``status`` is the HTTP answer when a view lets the error through. A domain declares its root once::

    class CatalogError(DomainError):
        messages = {"slug_taken": _l("That web address is already taken; choose another."), ...}

    class SlugTaken(CatalogError):
        code = "slug_taken"

Views turn an error into words through ``show_error`` (a flashed message, or the message under the
form field it concerns); an error a view does not catch becomes the error page with its ``status``
(``NotFound``: 404, so ids of other people's things cannot be probed).
"""
from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any, ClassVar

from flask import flash, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from marketplace.extensions import db, limiter

# Shown when a domain forgot a message for one of its codes (a test checks none does).
FALLBACK_MESSAGE = _l("That did not work. Please check and try again.")


class DomainError(Exception):
    """A rule refused the action; nothing was changed."""

    code: ClassVar[str] = "error"
    messages: ClassVar[Mapping[str, Any]] = {}
    status: ClassVar[int] = 400

    def __init__(self, code: str | None = None, **detail: Any) -> None:
        if code is not None:
            self.code = code  # an instance attribute: one class for a family of codes
        self.detail = detail
        super().__init__(self.code)

    @property
    def message(self) -> str:
        """The reason in the reader's language; ``%(name)s`` placeholders come from ``detail``."""
        template = self.messages.get(self.code)
        if template is None:
            return str(FALLBACK_MESSAGE)
        return str(template) % self.detail if self.detail else str(template)


class CoreError(DomainError):
    messages = {
        "not_found": _l("Not found."),
        "invalid_phone": _l("Please enter an Indonesian phone number, e.g. 0812 3456 7890."),
    }


class NotFound(CoreError):
    """Missing, or someone else's: answered as a 404 either way, so it cannot be probed."""

    code = "not_found"
    status = 404


class InvalidPhone(CoreError):
    code = "invalid_phone"


def show_error(error: DomainError, field=None) -> None:
    """Tell the person why their action was refused: under ``field`` (a WTForms field) when the error
    is about one input, otherwise as a flashed message. The one way views turn errors into words."""
    if field is not None:
        field.errors.append(error.message)
    else:
        flash(error.message, "error")


def register(app) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        db.session.rollback()
        return render_template("errors/error.html", code=error.status, reason=None), error.status

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _error_page(400, "csrf")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return _error_page(error.code)

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        app.logger.warning("database unavailable: %s", str(error).splitlines()[0])
        return _unavailable()

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return _error_page(500)


def _minutes_to_wait() -> int | None:
    """After a 429: until the last breached limit of this request lets the visitor in again."""
    resets = [limit.reset_at for limit in limiter.current_limits if limit.breached]
    if not resets:
        return None
    seconds = max(resets) - 1 - time.time()  # reset_at is rounded up to the next whole second
    return max(1, math.ceil(seconds / 60))


def _error_page(code: int, reason: str | None = None):
    minutes = _minutes_to_wait() if code == 429 else None
    try:
        return render_template("errors/error.html", code=code, reason=reason, minutes=minutes), code
    except OperationalError:  # the page's navigation needs the signed-in user, from the database
        return _unavailable()


def _unavailable():
    """PostgreSQL restarting, failing over or out of connections: a short outage, said plainly, with a
    503 that tells clients and proxies when to come back, instead of a 500."""
    try:
        db.session.rollback()
    except Exception:  # nosec B110  # the connection is gone; the pool replaces it on the next checkout
        pass
    try:
        body = render_template("errors/unavailable.html")
    except Exception:  # choosing the language may itself need the database (a signed-in user)
        body = UNAVAILABLE_FALLBACK
    return body, 503, {"Retry-After": "10"}


UNAVAILABLE_FALLBACK = (
    "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>Pasar Bangkit</title></head><body>"
    "<h1>Pasar Bangkit sedang tidak tersedia sebentar</h1><p>Silakan coba lagi dalam satu menit.</p>"
    "<p lang=\"en\">Pasar Bangkit is briefly unavailable. Please try again in a minute.</p></body></html>")
