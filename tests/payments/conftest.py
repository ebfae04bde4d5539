"""Stripe for real, offline: localstripe on 127.0.0.1, and our app served over HTTP in a thread so that
localstripe's signed webhooks reach it."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
import stripe
from werkzeug.serving import make_server

WEBHOOK_SECRET = "whsec_test_pasar_bangkit"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, deadline_s: float = 20) -> None:
    end = time.monotonic() + deadline_s
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > end:
                raise RuntimeError(f"{url} did not start") from None
            time.sleep(0.1)


@pytest.fixture(scope="session")
def localstripe():
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/v1/customers")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def app_server(app):
    """Our app on a real port (localstripe posts webhooks to it)."""
    port = _free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(timeout=10)


def register_webhook(base: str, url: str, events: list[str] | None = None) -> None:
    data = [("url", url), ("secret", WEBHOOK_SECRET)] + [("events[]", e) for e in (events or [])]
    body = "&".join(f"{k}={urllib.request.quote(v, safe='')}" for k, v in data).encode()
    urllib.request.urlopen(urllib.request.Request(f"{base}/_config/webhooks/pasar", data=body, method="POST"),
                           timeout=5)


@pytest.fixture
def stripe_on(app):
    """Stripe configured (without a server: for hand-signed events)."""
    saved = {k: app.config.get(k) for k in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET",
                                            "STRIPE_API_BASE", "STRIPE_SEND_OPTIONAL_PARAMS")}
    app.config.update(STRIPE_SECRET_KEY="sk_test_pasar", STRIPE_PUBLISHABLE_KEY="pk_test_pasar",
                      STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET, STRIPE_SEND_OPTIONAL_PARAMS=False)
    yield app
    app.config.update(saved)


@pytest.fixture
def stripe_live(stripe_on, localstripe, app_server):
    """Stripe configured against localstripe, with its webhooks sent to our app."""
    stripe_on.config["STRIPE_API_BASE"] = localstripe
    register_webhook(localstripe, f"{app_server}/payments/webhooks/stripe")
    return stripe.StripeClient("sk_test_pasar", base_addresses={"api": localstripe}, max_network_retries=0).v1


def wait_for(check, what: str, deadline_s: float = 15):
    """Poll the database until ``check()`` is truthy (webhooks arrive about a second later)."""
    from marketplace.extensions import db

    end = time.monotonic() + deadline_s
    while True:
        db.session.rollback()
        db.session.expire_all()
        result = check()
        if result:
            return result
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def webhooks_withheld(localstripe, app_server, stripe_live):
    """localstripe sends our app no webhooks during the test (a webhook that never comes)."""
    url = f"{app_server}/payments/webhooks/stripe"
    register_webhook(localstripe, url, events=["nothing.ever"])
    yield
    register_webhook(localstripe, url)
