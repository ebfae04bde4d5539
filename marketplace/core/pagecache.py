"""Rendered public pages shared by every guest of the same language: what a domain's guest pages are
built on when rendering them costs more than reading them back (the job board's listing and vacancy pages).

A domain makes one ``PageCache`` with its state table (one row: a random token and when it changed) and the
models its public pages show. The token changes in the same transaction as any change to those models made
through the ORM (an ``after_flush`` hook), so a suspended vacancy is gone on the next request in every
worker; changes made with plain SQL show after ``<NAME>_CACHE_SECONDS`` at most. A hit costs one
primary-key query (the token).

Pages contain the visitor's CSRF token (the language switch, the sign-out form): they are rendered with a
placeholder in its place, which is swapped for the visitor's own token on every response. A page whose
rendering made a real token (a form's ``hidden_tag()``) is not shared.
"""
from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from marketplace.core.policy import role_of
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


class PageCache:
    def __init__(self, state_model, watched: tuple[type, ...], seconds_setting: str, default_seconds: int = 60,
                 max_entries: int = 512) -> None:
        self.state_model = state_model
        self.watched = watched
        self.seconds_setting = seconds_setting
        self.default_seconds = default_seconds
        self.max_entries = max_entries
        self.placeholder = f"__{state_model.__tablename__}_csrf_{secrets.token_hex(8)}__"
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, tuple[float, str]] = OrderedDict()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def token(self) -> str:
        return db.session.execute(select(self.state_model.token).where(self.state_model.id == 1)).scalar() or "none"

    def _csrf_placeholder(self) -> Markup:
        return Markup(self.placeholder)  # nosec B704  # our own constant, no user data

    def render(self, render: Callable[..., str], *key: Hashable, **context) -> str:
        """``render(**context)`` through the cache; ``key`` adds what the page depends on besides its path,
        language, the visitor's role and the state token (e.g. today's date, for pages that hide what closed)."""
        seconds = int(current_app.config.get(self.seconds_setting, self.default_seconds))
        # Guests only: signed-in pages greet the user or know what they applied for.
        if seconds <= 0 or current_user.is_authenticated or session.get("_flashes") or "csrf_token" in g:
            return render(**context)
        full_key = (request.full_path, str(get_locale()), role_of(current_user), self.token(), *key)
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(full_key)
            if hit and hit[0] > now:
                self._entries.move_to_end(full_key)
                html = hit[1]
            else:
                html = None
        if html is None:
            html = render(csrf_token=self._csrf_placeholder, **context)
            if "csrf_token" in g:
                return html  # something made a real token (form.hidden_tag()): not safe to share
            with self._lock:
                self._entries[full_key] = (now + seconds, html)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return html.replace(self.placeholder, generate_csrf()) if self.placeholder in html else html

    def _bump_after_flush(self, session_: Session, flush_context) -> None:
        changed = list(session_.new) + list(session_.dirty) + list(session_.deleted)
        if not any(isinstance(o, self.watched) for o in changed):
            return
        connection = session_.connection()
        values = {"token": secrets.token_hex(16), "changed_at": utcnow()}
        result = connection.execute(update(self.state_model).where(self.state_model.id == 1).values(**values))
        if result.rowcount == 0:
            connection.execute(insert(self.state_model).values(id=1, **values))

    def install(self) -> None:
        if not event.contains(Session, "after_flush", self._bump_after_flush):
            event.listen(Session, "after_flush", self._bump_after_flush)
