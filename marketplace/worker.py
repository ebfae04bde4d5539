"""Jobs run by RQ workers. ``flask rq-worker`` runs them inside its app context; a bare ``rq worker``
process has none, so the job builds one. This module sits above every domain, like the app factory."""
from __future__ import annotations

from flask import has_app_context

from marketplace.notifications.services import deliver, deliver_through_database_blips


def deliver_email(message_id: int) -> None:
    """Send one queued email (see ``marketplace.notifications.services``)."""
    if has_app_context():
        deliver_through_database_blips(message_id)  # removes the session after each try
        return
    from marketplace import create_app

    with create_app().app_context():
        deliver(message_id)
