"""Email leaves only after the transaction that wrote it commits: by SMTP, via the RQ worker, or not
at all (the development outbox). A real SMTP server (aiosmtpd) and a real Redis receive it."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from marketplace import create_app
from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage
from marketplace.notifications.services import send_email
from tests import factories


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.hostname, controller.port, inbox
    controller.stop()


@pytest.fixture
def mail_app(app_config, smtp_server):
    """The app as deployed with a mail server: same database, MAIL_SERVER set, no TLS on localhost."""
    host, port, _ = smtp_server
    mail_app = create_app({**app_config, "MAIL_SERVER": host, "MAIL_PORT": port, "MAIL_USE_TLS": False})
    yield mail_app
    with mail_app.app_context():
        db.session.remove()
        db.engine.dispose()


def stored(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def reset_email(user, link: str = "http://localhost/account/password/reset/abc") -> OutboxMessage:
    return send_email(user.email, "account_password_reset", user.locale, user=user, link=link)


def test_a_committed_email_is_delivered_by_smtp_and_marked_sent(mail_app, smtp_server):
    _, _, inbox = smtp_server
    with mail_app.app_context():
        user = factories.user(email="andi@example.com")
        message_id = reset_email(user).id
        db.session.commit()
        assert stored(message_id).sent_at is not None
    [(recipients, content)] = inbox.messages
    assert recipients == ["andi@example.com"]
    assert "Subject: Choose a new password for Pasar Bangkit" in content
    assert "http://localhost/account/password/reset/abc" in content


def test_a_rolled_back_email_is_never_sent(mail_app, smtp_server):
    _, _, inbox = smtp_server
    with mail_app.app_context():
        user = factories.user(email="andi@example.com")
        db.session.commit()
        reset_email(user)
        db.session.rollback()
        assert db.session.execute(select(OutboxMessage)).scalars().all() == []
        # A later commit of something else must not send the forgotten message either.
        user = db.session.get(type(user), user.id)
        user.name = "Andi W."
        db.session.commit()
    assert inbox.messages == []


@pytest.mark.committed  # the failure is recorded on a connection of its own, after the commit
def test_a_failing_mail_server_leaves_the_message_in_the_outbox_with_the_error(app_config):
    dead_port = free_port()  # nothing listens here
    broken = create_app({**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": dead_port, "MAIL_USE_TLS": False})
    try:
        with broken.app_context():
            user = factories.user()
            message_id = reset_email(user).id
            db.session.commit()  # the action itself succeeds
            message = stored(message_id)
            assert message.sent_at is None and message.error
    finally:
        with broken.app_context():
            db.session.remove()
            db.engine.dispose()


def test_without_a_mail_server_email_stays_in_the_outbox(client, outbox):
    user = factories.user(email="andi@example.com")
    db.session.commit()
    client.post("/account/password/forgot", data={"email": "andi@example.com"})
    [message] = outbox("andi@example.com")
    assert message.sent_at is None and message.error is None
    assert message.subject == "Choose a new password for Pasar Bangkit"
    assert "/account/password/reset/" in message.body
    assert user.name in message.body


# The queue: REDIS_URL set, the RQ worker sends -------------------------------------------------------


@pytest.fixture
def redis_url():
    """A private redis-server on a free port, so tests never touch anyone's data."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    from redis import Redis

    connection = Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(100):
            try:
                if connection.ping():
                    break
            except Exception:  # not listening yet
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        connection.close()
        process.terminate()
        process.wait(timeout=10)


def test_with_redis_the_email_is_queued_and_the_worker_delivers_it(app_config, smtp_server, redis_url):
    from redis import Redis
    from rq import Queue

    host, port, inbox = smtp_server
    queued_app = create_app({**app_config, "MAIL_SERVER": host, "MAIL_PORT": port, "MAIL_USE_TLS": False,
                             "REDIS_URL": redis_url})
    try:
        with queued_app.app_context():
            user = factories.user(email="andi@example.com")
            message_id = reset_email(user).id
            db.session.commit()
            assert inbox.messages == []  # queued, not sent inline
            assert Queue("mail", connection=Redis.from_url(redis_url)).count == 1

            result = queued_app.test_cli_runner().invoke(args=["rq-worker", "--burst"])
            assert result.exit_code == 0, result.output
            assert stored(message_id).sent_at is not None
        assert [rcpt for rcpt, _ in inbox.messages] == [["andi@example.com"]]
    finally:
        with queued_app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_worker_refuses_to_start_without_redis(app):
    result = app.test_cli_runner().invoke(args=["rq-worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output


def test_an_attachment_travels_with_the_email(mail_app, smtp_server):
    """The interview's .ics file (jobs) reaches the SMTP server as a text/calendar part."""
    from marketplace.notifications.services import Attachment

    _, _, inbox = smtp_server
    with mail_app.app_context():
        user = factories.user(email="sari@example.com")
        send_email(user.email, "account_password_reset", user.locale, user=user, link="http://localhost/x",
                   attachment=Attachment("interview.ics", "text/calendar; method=PUBLISH",
                                         "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
        db.session.commit()
    [(_, content)] = inbox.messages
    assert "Content-Type: text/calendar" in content and 'filename="interview.ics"' in content
    assert "method=\"PUBLISH\"" in content or "method=PUBLISH" in content
