"""``flask rq-worker``: sends queued email (the "mail" queue on REDIS_URL).

The worker outlives Redis outages: while Redis is away it retries every few seconds, and each time it
starts or falls idle it queues the messages that the web servers could not queue (they waited in the
outbox), so mail written during an outage goes out within seconds of Redis coming back.
"""
from __future__ import annotations

import signal
import time

import click
from flask import Flask, current_app

IDLE_SECONDS = 5  # how often an idle worker looks for messages that wait in the outbox
RETRY_SECONDS = 3  # at most this long between attempts to reach Redis


def register(app: Flask) -> None:
    @app.cli.command("rq-worker")
    @click.option("--burst", is_flag=True, help="Send what is queued, then stop (for cron and tests).")
    def rq_worker(burst: bool) -> None:
        """Run a worker that sends the emails queued on Redis."""
        url = current_app.config["REDIS_URL"]
        if not url:
            raise click.ClickException(
                "REDIS_URL is not set, so there is no mail queue to work on. Set REDIS_URL "
                "(e.g. redis://127.0.0.1:6379/0); without it email is sent inline or kept in the outbox.")
        from redis.exceptions import RedisError
        from rq import SimpleWorker
        from sqlalchemy.exc import SQLAlchemyError

        from marketplace.extensions import db
        from marketplace.notifications import services

        # No read timeout on this connection: the worker blocks on the queue for seconds at a time.
        queue = services.mail_queue(url, socket_timeout=None)
        while True:
            worker = None
            try:
                requeued = services.requeue_waiting()
                if requeued:
                    click.echo(f"queued {requeued} message(s) that waited in the outbox")
                # SimpleWorker runs jobs in this process, inside the app context the flask command
                # pushed: a forked work horse would share this process's pooled database connections.
                worker = SimpleWorker([queue], connection=queue.connection)
                worker.max_connection_wait_time = RETRY_SECONDS
                worker.work(burst=burst, max_idle_time=None if burst else IDLE_SECONDS)
            except (RedisError, OSError, SQLAlchemyError) as exc:
                _default_signals()
                db.session.rollback()  # by hand: the next attempt starts from a clean session
                if burst:
                    raise click.ClickException(f"Redis or the database is not reachable: {exc}") from exc
                if worker is not None and worker._shutdown_requested_date:
                    return  # SIGTERM arrived while Redis was away
                click.echo(f"Redis or the database is not reachable ({exc}); retrying in {RETRY_SECONDS} s",
                           err=True)
                time.sleep(RETRY_SECONDS)
                continue
            _default_signals()
            if burst or worker._shutdown_requested_date:  # SIGTERM or Ctrl-C reached rq: stop
                return


def _default_signals() -> None:
    """Outside ``worker.work`` no job runs: a signal stops the process at once (rq's handlers would
    talk to a worker that is gone, and to Redis)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
