"""Redis away for a while (REDIS_URL set, the server stopped): signing in and asking for a password reset
still work, rate limits still hold (counted in each process until Redis answers), and the email that
Redis could not queue waits in the outbox until the worker queues and sends it once Redis is back.
A real redis-server on a free port, stopped and started again by the test, and a real SMTP server."""
from __future__ import annotations

import shutil
import subprocess
import time

import pytest
from redis import Redis

from marketplace import create_app
from marketplace.config import load_config
from marketplace.extensions import db, limiter
from marketplace.notifications.services import QUEUE_WAITING
from tests import factories
from tests.accounts.helpers import forget_cached_user
from tests.notifications.test_delivery import free_port, smtp_server, stored  # noqa: F401  (fixture)


class RedisServer:
    """A private redis-server that the test can stop and start again on the same port."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        connection = Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                if connection.ping():
                    break
            except Exception:  # not listening yet
                time.sleep(0.05)
        connection.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(binary)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_app(app, app_config, smtp_server, redis_server):  # noqa: F811
    """The app as deployed with Redis: the rate-limit and queue settings come from ``load_config``."""
    host, port, _ = smtp_server
    deployed = {key: value for key, value in load_config({"REDIS_URL": redis_server.url}).items()
                if key == "REDIS_URL" or key.startswith("RATELIMIT_")}
    redis_app = create_app({**app_config, **deployed, "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per hour",
                            "MAIL_SERVER": host, "MAIL_PORT": port, "MAIL_USE_TLS": False})
    yield redis_app
    with redis_app.app_context():
        db.session.remove()
        db.engine.dispose()
    # The limiter object is shared by every app of the test session, and ``init_app`` keeps its
    # "storage is down" flag (a process has one app in production): forget this test's outage.
    limiter._storage_dead = False
    limiter.init_app(app)  # the limiter object is shared: give the session's app its own settings back


def post(app, path: str, data: dict) -> int:
    with app.app_context():
        forget_cached_user()
        return app.test_client().post(path, data=data).status_code


def test_with_redis_down_sign_in_and_password_reset_work_and_the_mail_goes_out_when_redis_returns(
        redis_app, redis_server, smtp_server, outbox):  # noqa: F811
    _, _, inbox = smtp_server
    factories.user(email="andi@example.com")
    db.session.commit()
    redis_server.stop()

    assert post(redis_app, "/account/login", {"email": "andi@example.com", "password": factories.PASSWORD}) == 302
    assert post(redis_app, "/account/password/forgot", {"email": "andi@example.com"}) in (200, 302)

    [message] = outbox("andi@example.com")
    assert message.sent_at is None and message.error.startswith(QUEUE_WAITING)
    assert inbox.messages == []

    redis_server.start()
    with redis_app.app_context():
        result = redis_app.test_cli_runner().invoke(args=["rq-worker", "--burst"])
        assert result.exit_code == 0, result.output
        assert "queued 1 message(s) that waited in the outbox" in result.output
        sent = stored(message.id)
        assert sent.sent_at is not None and sent.error is None
    assert [rcpt for rcpt, _ in inbox.messages] == [["andi@example.com"]]


def test_rate_limits_are_shared_on_redis_and_still_hold_while_it_is_down(redis_app, redis_server):
    factories.user(email="andi@example.com")
    db.session.commit()
    wrong = {"email": "andi@example.com", "password": "guess guess"}

    assert post(redis_app, "/account/login", wrong) == 401
    assert Redis.from_url(redis_server.url).keys("LIMITS*"), "the attempt was counted on Redis"

    redis_server.stop()
    # From the outage on, each process counts in memory, from zero: the allowed failures, then refused.
    # (The limiter object is shared by every app of the test session and resolves an endpoint's limit
    # once, so the test reads the deployed default instead of overriding it per app.)
    allowed = int(redis_app.config["LOGIN_FAILURES_PER_ACCOUNT"].split()[0])
    assert [post(redis_app, "/account/login", wrong) for _ in range(allowed + 2)] == [401] * allowed + [429, 429]


def test_the_worker_says_clearly_when_redis_is_not_there(redis_app, redis_server):
    redis_server.stop()
    with redis_app.app_context():
        result = redis_app.test_cli_runner().invoke(args=["rq-worker", "--burst"])
    assert result.exit_code != 0
    assert "not reachable" in result.output
