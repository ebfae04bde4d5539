"""Email through one service.

``send_email`` renders a message in the recipient's language and stores it in the outbox within the
caller's transaction. Only after that transaction commits is it delivered, so a rolled-back action
never sends mail: kept in the outbox (no MAIL_SERVER), sent by SMTP at once, or queued on Redis (RQ)
when REDIS_URL is set (``flask rq-worker`` sends it). When Redis cannot take a message, the action still
succeeds: the message waits in the outbox (its ``error`` starts with ``QUEUE_WAITING``) and the worker
queues it once Redis answers again (``requeue_waiting``).
"""
from __future__ import annotations

import smtplib
import time
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event, select, update

from marketplace.config import REDIS_TIMEOUTS
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.notifications.models import OutboxMessage

_PENDING_KEY = "pending_outbox_ids"
MAIL_QUEUE = "mail"
# The error of a message that Redis could not take; the worker queues such messages when Redis is back.
QUEUE_WAITING = "waiting for the mail queue: "


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "text/calendar; method=REQUEST"
    text: str


def send_email(to: str, template: str, locale: str = "id", attachment: Attachment | None = None,
               **context) -> OutboxMessage:
    """Render ``templates/emails/<template>.txt`` (its first line is the subject) and queue it."""
    with force_locale(locale):
        rendered = render_template(f"emails/{template}.txt", **context).strip("\n")
    subject, _, body = rendered.partition("\n")
    message = OutboxMessage(to=to, subject=subject.strip()[:200], body=body.strip() + "\n", template=template)
    if attachment is not None:
        message.attachment_name = attachment.filename
        message.attachment_type = attachment.content_type
        message.attachment = attachment.text
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(_PENDING_KEY, []).append(
        (message.id, message.to, message.subject, message.body, attachment))
    return message


def _smtp_send(to: str, subject: str, body: str, attachment: Attachment | None = None) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = to
    email["Subject"] = subject
    email.set_content(body)
    if attachment is not None:
        subtype = attachment.content_type.partition("/")[2]
        subtype, _, params = subtype.partition(";")
        email.add_attachment(attachment.text, subtype=subtype.strip(), filename=attachment.filename,
                             params=dict(p.strip().split("=", 1) for p in params.split(";") if "=" in p))
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)


def _mark(message_id: int, error: str | None) -> None:
    # A connection of its own: this also runs right after the caller's commit, when its session
    # may not emit SQL any more.
    values = {"error": error[:500]} if error else {"sent_at": utcnow(), "error": None}
    with db.engine.begin() as connection:
        connection.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))


def deliver(message_id: int) -> None:
    """Send one stored message by SMTP (RQ worker path); a failure is recorded and re-raised for RQ."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.sent_at is not None:
        return
    try:
        _smtp_send(message.to, message.subject, message.body, _stored_attachment(message))
    except (OSError, smtplib.SMTPException) as exc:
        _mark(message_id, str(exc))
        raise
    _mark(message_id, None)


# The RQ job is ``marketplace.worker.deliver_email`` (named, not imported: the worker module sits above
# every domain, since a bare ``rq worker`` process has to build the app).
DELIVER_JOB = "marketplace.worker.deliver_email"


def _stored_attachment(message: OutboxMessage) -> Attachment | None:
    if not message.attachment_name:
        return None
    return Attachment(message.attachment_name, message.attachment_type or "text/plain", message.attachment or "")


DATABASE_RETRIES = (1, 2, 4, 8, 15)  # seconds between tries: rides out a PostgreSQL restart or failover


def deliver_through_database_blips(message_id: int) -> None:
    """The job fails for good only if the database stays away for half a minute; RQ does not retry,
    and a job that failed on a restart would leave its message unsent."""
    from sqlalchemy.exc import OperationalError

    for pause in (*DATABASE_RETRIES, None):
        try:
            deliver(message_id)
            return
        except OperationalError:
            if pause is None:
                raise
            current_app.logger.warning("database unavailable; mail %s tried again in %s s", message_id, pause)
            time.sleep(pause)
        finally:
            db.session.remove()  # one worker serves many jobs: start each from a fresh session


def _dispatch_after_commit(session) -> None:
    pending = session.info.pop(_PENDING_KEY, [])
    if not pending or not current_app.config["MAIL_SERVER"]:
        return  # development outbox: the stored message is the delivery
    if current_app.config["REDIS_URL"]:
        _enqueue_or_keep([message_id for message_id, *_rest in pending])
        return
    for message_id, to, subject, body, attachment in pending:
        try:
            _smtp_send(to, subject, body, attachment)
        except (OSError, smtplib.SMTPException) as exc:
            current_app.logger.exception("mail %s not sent; it stays in the outbox", message_id)
            _mark(message_id, str(exc))
        else:
            _mark(message_id, None)


def mail_queue(url: str | None = None, **options):
    """The RQ queue of outgoing mail, on a Redis connection that gives up within a second."""
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(url or current_app.config["REDIS_URL"], **{**REDIS_TIMEOUTS, **options})
    return Queue(MAIL_QUEUE, connection=connection)


def _enqueue_or_keep(message_ids: list[int]) -> None:
    """Queue each message; those Redis cannot take wait in the outbox for ``requeue_waiting``. The
    action that wrote them has committed: a Redis outage must not turn it into an error page."""
    from redis.exceptions import RedisError

    waiting = list(message_ids)
    try:
        queue = mail_queue()
        while waiting:
            queue.enqueue(DELIVER_JOB, waiting[0])
            waiting.pop(0)
    except (RedisError, OSError) as exc:
        current_app.logger.warning("mail queue unavailable (%s): %d message(s) wait in the outbox", exc,
                                   len(waiting))
        for message_id in waiting:
            _mark(message_id, QUEUE_WAITING + str(exc))


def requeue_waiting(limit: int = 500) -> int:
    """Queue the messages Redis could not take when they were written (the worker calls this when it
    starts and whenever it is idle). Each message is claimed with one conditional UPDATE, so two workers
    never queue the same one. Returns how many were queued; a Redis error propagates."""
    waiting = OutboxMessage.error.startswith(QUEUE_WAITING, autoescape=True)
    ids = list(db.session.execute(
        select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None), waiting)
        .order_by(OutboxMessage.id).limit(limit)).scalars())
    db.session.rollback()  # by hand: end the read before Redis; each claim below commits on its own connection
    if not ids:
        return 0
    queue = mail_queue()
    queue.connection.ping()  # fail before claiming anything if Redis is still away
    queued = 0
    for message_id in ids:
        with db.engine.begin() as connection:
            claimed = connection.execute(update(OutboxMessage).where(OutboxMessage.id == message_id, waiting)
                                         .values(error=None)).rowcount
        if not claimed:
            continue
        try:
            queue.enqueue(DELIVER_JOB, message_id)
        except Exception as exc:
            _mark(message_id, QUEUE_WAITING + str(exc))
            raise
        queued += 1
    return queued


def _forget_after_rollback(session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_PENDING_KEY, None)


def init_app(app) -> None:
    session_class = db.session.session_factory.class_
    if not getattr(session_class, "_outbox_hooks", False):
        event.listen(session_class, "after_commit", _dispatch_after_commit)
        event.listen(session_class, "after_soft_rollback", _forget_after_rollback)
        session_class._outbox_hooks = True


# The development outbox, read by the admin ------------------------------------------------------

OUTBOX_PAGE_SIZE = 30


@dataclass(frozen=True)
class OutboxPage:
    messages: list[OutboxMessage]
    older_than: int | None  # the ``before_id`` of the next (older) page, if there is one


def outbox_page(before_id: int | None = None, size: int = OUTBOX_PAGE_SIZE) -> OutboxPage:
    """Newest first, paged by id (keyset) so deep pages stay cheap."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(size + 1)
    if before_id is not None:
        query = query.where(OutboxMessage.id < before_id)
    rows = list(db.session.execute(query).scalars())
    more = len(rows) > size
    rows = rows[:size]
    return OutboxPage(messages=rows, older_than=rows[-1].id if more else None)


def outbox_message(message_id: int) -> OutboxMessage | None:
    return db.session.get(OutboxMessage, message_id)
