"""``flask rq-worker``: sends queued email (the "mail" queue on REDIS_URL)."""
from __future__ import annotations

import click
from flask import Flask, current_app

MAIL_QUEUE = "mail"


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
        from redis import Redis
        from rq import Queue, SimpleWorker

        connection = Redis.from_url(url)
        # SimpleWorker runs jobs in this process, inside the app context the flask command pushed:
        # a forked work horse would share this process's pooled database connections.
        worker = SimpleWorker([Queue(MAIL_QUEUE, connection=connection)], connection=connection)
        worker.work(burst=burst)
