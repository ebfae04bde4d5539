"""Settings read from the environment, with safe development defaults.

This is the only module that reads ``os.environ``; everything else asks ``current_app.config``.
"""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


# Seconds to connect to Redis and to wait for an answer: an outage costs a request one second, never a
# hanging worker (rate limits and the mail queue both use them).
REDIS_TIMEOUTS = {"socket_connect_timeout": 1, "socket_timeout": 1}


class ConfigError(RuntimeError):
    """The environment cannot run the app; the message says what to set."""


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(raw: str | None) -> str:
    if not raw:
        return f"sqlite:///{INSTANCE_DIR / 'pasar.db'}"
    # Hosting providers hand out postgres:// URLs; SQLAlchemy wants an explicit driver (psycopg 3).
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


SECRET_KEY_FILE = "secret_key"  # nosec B105  # the file's name; the key is random


def _development_secret_key(instance_dir: Path) -> str:
    """A random key made on the first start and kept in ``instance/`` (ignored by git), so a
    development server's sessions and emailed links cannot be forged by anyone who reads the source,
    and stay valid across restarts. Production never comes here: it must be given SECRET_KEY.

    Processes may start at the same moment (the test suite's workers, gunicorn's): the key is written to
    a private temporary file first and linked into place whole, so no process ever reads a half-written
    file, and the first link wins."""
    path = instance_dir / SECRET_KEY_FILE
    instance_dir.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd, temporary = tempfile.mkstemp(dir=instance_dir, prefix=".secret_key-")  # mode 0600
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process linked its key first: everyone uses that one
        finally:
            os.unlink(temporary)
    key = path.read_text().strip()
    if len(key) >= 32:
        return key
    raise ConfigError(f"{path} is empty or too short: delete it and start again to make a new key.")


STRIPE_JS_URL = "https://js.stripe.com/v3/"


def load_config(env: dict[str, str] | None = None, instance_dir: Path = INSTANCE_DIR) -> dict:
    """Build the Flask config mapping from environment variables (documented in README.md)."""
    env = dict(os.environ if env is None else env)
    app_env = env.get("APP_ENV", "development").lower()
    production = app_env == "production"

    secret_key = env.get("SECRET_KEY")
    if production and not secret_key:
        raise ConfigError(
            "SECRET_KEY is not set. In production (APP_ENV=production) the app refuses to start "
            "without it, because sessions, CSRF tokens and emailed links are signed with it. "
            "Set SECRET_KEY to a long random value, e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`."
        )

    # Stripe.js must come from js.stripe.com (PCI). Only the browser tests point it elsewhere, at
    # localstripe's stand-in served on 127.0.0.1; a deployment refuses to start with another URL.
    stripe_js_url = env.get("STRIPE_JS_URL") or STRIPE_JS_URL
    if production and stripe_js_url != STRIPE_JS_URL:
        raise ConfigError(f"STRIPE_JS_URL must be {STRIPE_JS_URL} in production (it is only for tests).")

    if not secret_key:
        secret_key = _development_secret_key(instance_dir)

    redis_url = env.get("REDIS_URL") or None
    public_url = (env.get("PUBLIC_URL") or "").strip().rstrip("/")
    return {
        "APP_ENV": app_env,
        "DEBUG": False,
        "TESTING": app_env == "testing",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": _database_url(env.get("DATABASE_URL")),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Unset in development: the port of `PORT=8000 make run`, then the port really served
        # (core/public_url.py), so emailed links, the sitemap and share links reach this server.
        "PUBLIC_URL": public_url or f"http://127.0.0.1:{(env.get('PORT') or '5000').strip()}",
        "PUBLIC_URL_FOLLOWS_SERVER": app_env == "development" and not public_url,
        "REDIS_URL": redis_url,
        # How many proxies (nginx, a load balancer) stand in front and set X-Forwarded-For/-Proto/-Host.
        # Behind nginx set 1: otherwise every visitor has nginx's address and shares one rate limit.
        "TRUSTED_PROXY_COUNT": int(env.get("TRUSTED_PROXY_COUNT", "0")),
        # Argon2id parameters, a name from argon2.profiles (the library's recommended ones). Not read from
        # the environment: only the test suite lowers them (to "CHEAPEST"), never a deployment.
        "ARGON2_PROFILE": "RFC_9106_LOW_MEMORY",
        # Sessions and cookies
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead: slow phones fill forms slowly
        # Languages and time
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
        "LANGUAGES": ("id", "en"),
        # Rate limits: in memory by default, shared on Redis when it is configured
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # Redis down must not take sign-in down: count in this process until Redis answers again
        # (Flask-Limiter checks it with a growing interval, at most about a minute), and give up on
        # an unanswering Redis within a second instead of holding the request.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": REDIS_TIMEOUTS if redis_url else {},
        "RATELIMIT_ENABLED": _flag(env.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Forms that send mail or create accounts, per IP
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per 5 minutes"),
        # Failed sign-ins only (a success never counts): per account, and a higher limit per IP, as
        # a training centre or a carrier NAT puts many honest people behind one address.
        "LOGIN_FAILURES_PER_ACCOUNT": env.get("LOGIN_FAILURES_PER_ACCOUNT", "5 per 15 minutes"),
        "LOGIN_FAILURES_PER_IP": env.get("LOGIN_FAILURES_PER_IP", "50 per 15 minutes"),
        # Mail: without MAIL_SERVER every message goes to the development outbox
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _flag(env.get("MAIL_USE_TLS"), True),
        "MAIL_FROM": env.get("MAIL_FROM", "Pasar Bangkit <noreply@pasarbangkit.id>"),
        # Payments: Stripe only when a secret key is configured
        "STRIPE_SECRET_KEY": env.get("STRIPE_SECRET_KEY") or None,
        "STRIPE_PUBLISHABLE_KEY": env.get("STRIPE_PUBLISHABLE_KEY") or None,
        "STRIPE_WEBHOOK_SECRET": env.get("STRIPE_WEBHOOK_SECRET") or None,
        "STRIPE_API_BASE": env.get("STRIPE_API_BASE") or None,
        "STRIPE_JS_URL": stripe_js_url,
        # localstripe rejects some PaymentIntent parameters real Stripe accepts (see docs/payments.md)
        "STRIPE_SEND_OPTIONAL_PARAMS": _flag(env.get("STRIPE_SEND_OPTIONAL_PARAMS"), True),
        "COMMISSION_PERCENT": int(env.get("COMMISSION_PERCENT", "0")),
        "UNPAID_ORDER_HOURS": int(env.get("UNPAID_ORDER_HOURS", "48")),
        # Escrow: a seller's share becomes available this many days after shipping, unless the customer
        # marked the parcel received earlier or reported a problem (`flask orders release-escrow`).
        "ESCROW_RELEASE_DAYS": int(env.get("ESCROW_RELEASE_DAYS", "7")),
        # The program's account that customers transfer to; unset, customers are told the program will
        # send them the details, and staff and sellers see that they are missing.
        "BANK_TRANSFER_BANK": (env.get("BANK_TRANSFER_BANK") or "").strip() or None,
        "BANK_TRANSFER_ACCOUNT_NUMBER": (env.get("BANK_TRANSFER_ACCOUNT_NUMBER") or "").strip() or None,
        "BANK_TRANSFER_ACCOUNT_NAME": (env.get("BANK_TRANSFER_ACCOUNT_NAME") or "").strip() or None,
        # File storage: local folder by default, S3-compatible when S3_BUCKET is set
        "UPLOAD_DIR": env.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads")),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_UPLOAD_MB", "12")) * 1024 * 1024,
        "S3_BUCKET": env.get("S3_BUCKET") or None,
        "S3_ENDPOINT_URL": env.get("S3_ENDPOINT_URL") or None,
        "S3_REGION": env.get("S3_REGION") or None,
        "S3_ACCESS_KEY_ID": env.get("S3_ACCESS_KEY_ID") or None,
        "S3_SECRET_ACCESS_KEY": env.get("S3_SECRET_ACCESS_KEY") or None,
        "S3_PUBLIC_URL": env.get("S3_PUBLIC_URL") or None,
    }
