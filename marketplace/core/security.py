"""Security headers for every response; the CSP forbids inline script everywhere."""
from urllib.parse import urlsplit

from flask import current_app, g, request
from flask_login import current_user
from sqlalchemy.exc import OperationalError


def allow_stripe_js() -> None:
    """Called by the payment step only: the one page that may load Stripe.js (PCI)."""
    g.csp_allow_stripe = True


def _content_security_policy() -> str:
    script = ["'self'"]
    frame = ["'none'"]
    connect = ["'self'"]
    if g.get("csp_allow_stripe"):
        stripe_js = urlsplit(current_app.config["STRIPE_JS_URL"])
        origin = f"{stripe_js.scheme}://{stripe_js.netloc}"
        script.append(origin)
        if origin == "https://js.stripe.com":
            frame = ["https://js.stripe.com", "https://hooks.stripe.com"]
            connect.append("https://api.stripe.com")
        else:  # localstripe's stand-in (tests only): no frames, and it calls its own origin
            connect.append(origin)
    return "; ".join([
        "default-src 'self'",
        f"script-src {' '.join(script)}",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        f"connect-src {' '.join(connect)}",
        f"frame-src {' '.join(frame)}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def _signed_in_or_unknown() -> bool:
    """Whether the page may hold someone's own data. When the database went away during the request
    (the user cannot be reloaded), assume it does: the answer must still go out, and uncached."""
    try:
        return current_user.is_authenticated
    except OperationalError:
        return True


def register(app) -> None:
    @app.after_request
    def set_security_headers(response):
        response.headers.setdefault("Content-Security-Policy", _content_security_policy())
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if (request.endpoint != "static" and not response.cache_control.public
                and _signed_in_or_unknown()):
            # A signed-in page holds someone's own data: no shared cache, and no copy left on a
            # shared phone for the back button after signing out. (Pictures and static files, the
            # same for everyone, keep the long cache their views give them.)
            response.headers["Cache-Control"] = "private, no-store"
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
