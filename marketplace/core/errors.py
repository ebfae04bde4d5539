"""Friendly error pages in the visitor's language."""
import math
import time

from flask import render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from marketplace.extensions import db, limiter


def _minutes_to_wait() -> int | None:
    """After a 429: until the last breached limit of this request lets the visitor in again."""
    resets = [limit.reset_at for limit in limiter.current_limits if limit.breached]
    if not resets:
        return None
    seconds = max(resets) - 1 - time.time()  # reset_at is rounded up to the next whole second
    return max(1, math.ceil(seconds / 60))


def register(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/error.html", code=400, reason="csrf"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        minutes = _minutes_to_wait() if error.code == 429 else None
        return render_template("errors/error.html", code=error.code, reason=None, minutes=minutes), error.code

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return render_template("errors/error.html", code=500, reason=None), 500
