"""Guessing passwords (and spamming mail-sending forms) ends in a friendly 429, never a 500."""
import pytest

from marketplace import create_app
from marketplace.extensions import db as _db
from marketplace.extensions import limiter
from tests import factories
from tests.accounts.helpers import forget_cached_user


@pytest.fixture
def throttled_app(app, app_config):
    """A second app on the same database with rate limiting on and a low limit."""
    throttled = create_app({**app_config, "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per hour",
                            "RATELIMIT_STORAGE_URI": "memory://"})
    yield throttled
    with throttled.app_context():
        _db.session.remove()
        _db.engine.dispose()
    # The limiter object is shared by both apps: give the session's app back its own settings.
    limiter.init_app(app)


def test_many_wrong_passwords_end_in_a_friendly_429(throttled_app):
    factories.user(email="andi@example.com")
    factories.db.session.commit()
    client = throttled_app.test_client()
    statuses = []
    with throttled_app.app_context():
        for _ in range(6):
            forget_cached_user()
            response = client.post("/account/login", data={"email": "andi@example.com", "password": "guess guess"})
            statuses.append(response.status_code)
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3:] == [429, 429, 429]
    assert b"Too many attempts" in response.data
    assert b"wait a few minutes" in response.data


@pytest.mark.parametrize("path, data", [
    ("/account/register", {"name": "A", "email": "x@example.com", "password": "x", "confirm": "y"}),
    ("/account/verify/resend", {"email": "x@example.com"}),
    ("/account/password/forgot", {"email": "x@example.com"}),
    ("/account/register/partner", {"email": "bad"}),
])
def test_forms_that_send_mail_or_create_accounts_are_throttled_too(throttled_app, path, data):
    client = throttled_app.test_client()
    with throttled_app.app_context():
        statuses = [client.post(path, data=data).status_code for _ in range(5)]
    assert 500 not in statuses
    assert statuses[-1] == 429


def test_reading_the_login_page_is_not_throttled(throttled_app):
    client = throttled_app.test_client()
    with throttled_app.app_context():
        assert {client.get("/account/login").status_code for _ in range(6)} == {200}
