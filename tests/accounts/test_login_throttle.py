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
                            "LOGIN_FAILURES_PER_ACCOUNT": "3 per 15 minutes",
                            "LOGIN_FAILURES_PER_IP": "6 per 15 minutes", "RATELIMIT_STORAGE_URI": "memory://"})
    yield throttled
    with throttled.app_context():
        _db.session.remove()
        _db.engine.dispose()
    # The limiter object is shared by both apps: give the session's app back its own settings.
    limiter.init_app(app)


def _sign_in(app, email, password, ip="10.0.0.1"):
    with app.app_context():
        forget_cached_user()
        return app.test_client().post("/account/login", data={"email": email, "password": password},
                                      environ_base={"REMOTE_ADDR": ip})


def _accounts(*emails):
    for email in emails:
        factories.user(email=email)
    factories.db.session.commit()


def test_wrong_passwords_for_one_account_end_in_a_429_that_says_how_long_to_wait(throttled_app):
    _accounts("andi@example.com")
    statuses = [_sign_in(throttled_app, "andi@example.com", "guess guess").status_code for _ in range(3)]
    blocked = _sign_in(throttled_app, "ANDI@example.com", "guess guess")
    assert statuses == [401, 401, 401]
    assert blocked.status_code == 429
    assert b"Too many attempts" in blocked.data
    assert b"Please wait 15 minutes before trying again" in blocked.data
    assert 0 < int(blocked.headers["Retry-After"]) <= 15 * 60
    # Even the right password waits: the guesser must not learn it by trying it now.
    assert _sign_in(throttled_app, "andi@example.com", factories.PASSWORD).status_code == 429


def test_guesses_spread_over_many_addresses_are_limited_per_account(throttled_app):
    """Issue 11, item 4: an attacker on many IPs is still limited on the account."""
    _accounts("andi@example.com")
    statuses = [_sign_in(throttled_app, "andi@example.com", "guess guess", ip=f"10.0.1.{n}").status_code
                for n in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_successful_sign_ins_are_never_counted(throttled_app):
    """Issue 11, item 4: on one shared Wi-Fi (a training centre) the 11th person is not locked out."""
    emails = [f"peserta{n}@example.com" for n in range(10)]
    _accounts(*emails)
    for _ in range(2):
        assert {_sign_in(throttled_app, email, factories.PASSWORD).status_code for email in emails} == {302}


def test_one_ip_has_a_higher_limit_of_failures_than_one_account(throttled_app):
    emails = [f"peserta{n}@example.com" for n in range(4)]
    _accounts(*emails)
    statuses = [_sign_in(throttled_app, email, "typo typo").status_code for email in emails for _ in range(2)]
    assert statuses[:6] == [401] * 6  # two typos each: no account reached its limit of 3
    assert statuses[6:] == [429, 429]  # but the IP reached its limit of 6
    assert _sign_in(throttled_app, emails[0], factories.PASSWORD, ip="10.0.0.2").status_code == 302


def test_the_wait_is_said_in_indonesian(throttled_app, app_config):
    from marketplace.config import PROJECT_ROOT
    from marketplace.extensions import babel

    translated = create_app({**app_config, "RATELIMIT_ENABLED": True, "LOGIN_FAILURES_PER_ACCOUNT": "1 per 5 minutes",
                             "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations")})
    babel.domain_instance.cache.clear()
    try:
        _accounts("andi@example.com")
        _sign_in(translated, "andi@example.com", "guess guess", ip="10.9.9.9")
        blocked = _sign_in(translated, "andi@example.com", "guess guess", ip="10.9.9.9")
        assert blocked.status_code == 429
        assert "Silakan tunggu 5 menit" in blocked.get_data(as_text=True)
    finally:
        babel.domain_instance.cache.clear()
        with translated.app_context():
            _db.session.remove()
            _db.engine.dispose()


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
