"""Behind nginx (TRUSTED_PROXY_COUNT=1) the visitor's address comes from X-Forwarded-For: each visitor
has their own sign-in limit instead of all sharing nginx's. Without the setting the header is ignored,
so nobody can dodge a limit by sending it."""
import pytest

from marketplace import create_app
from marketplace.extensions import db as _db
from marketplace.extensions import limiter
from tests.accounts.helpers import forget_cached_user


def _attempts(app, forwarded_for: str, n: int) -> list[int]:
    client = app.test_client()
    statuses = []
    with app.app_context():
        for _ in range(n):
            forget_cached_user()
            statuses.append(client.post("/account/login", data={"email": "nobody@example.com", "password": "x y z"},
                                        headers={"X-Forwarded-For": forwarded_for}).status_code)
    return statuses


@pytest.fixture
def limited(app, app_config):
    made = []

    def build(proxies: int):
        made.append(create_app({**app_config, "RATELIMIT_ENABLED": True, "LOGIN_FAILURES_PER_IP": "2 per hour",
                                "LOGIN_FAILURES_PER_ACCOUNT": "100 per hour",
                                "RATELIMIT_STORAGE_URI": "memory://", "TRUSTED_PROXY_COUNT": proxies}))
        return made[-1]

    yield build
    for other in made:
        with other.app_context():
            _db.session.remove()
            _db.engine.dispose()
    limiter.init_app(app)


def test_behind_one_proxy_each_forwarded_address_has_its_own_limit(limited):
    app = limited(1)
    assert _attempts(app, "203.0.113.1", 3) == [401, 401, 429]
    assert _attempts(app, "203.0.113.2", 1) == [401]


def test_without_a_trusted_proxy_the_header_changes_nothing(limited):
    app = limited(0)
    assert _attempts(app, "203.0.113.1", 2) == [401, 401]
    assert _attempts(app, "203.0.113.2", 1) == [429]
