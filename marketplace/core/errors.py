"""Friendly error pages in the visitor's language."""
from flask import render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from marketplace.extensions import db


def register(app) -> None:
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


def _error_page(code: int, reason: str | None = None):
    try:
        return render_template("errors/error.html", code=code, reason=reason), code
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
