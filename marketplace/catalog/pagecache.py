"""A cache of rendered public catalog pages, shared by every visitor of the same role and language.

Rendering a 24-card page costs ~3 ms of CPU and two or three queries; serving it from here costs one
primary-key query.
The key includes the token in ``catalog_state``, which changes in the same transaction as any change to
products, variants, photos, storefronts or categories made through the ORM (see ``_bump_after_flush``),
so hiding a product or suspending a shop is visible on the next request in every worker. Changes made
with plain SQL (e.g. stock reservations) show after ``CATALOG_CACHE_SECONDS`` at most.

Pages contain the visitor's CSRF token (the language switch, the sign-out form): they are rendered with
a placeholder in its place, which is swapped for the visitor's own token on every response.
"""
from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from marketplace.catalog.models import CatalogState
from marketplace.core.policy import role_of
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db

CSRF_PLACEHOLDER = "__catalog_csrf_" + secrets.token_hex(8) + "__"
MAX_ENTRIES = 512

_lock = threading.Lock()
_entries: OrderedDict[tuple, tuple[float, str]] = OrderedDict()


def clear() -> None:
    with _lock:
        _entries.clear()


def _placeholder() -> Markup:
    return Markup(CSRF_PLACEHOLDER)  # nosec B704  # our own constant, no user data


def current_token() -> str:
    return db.session.execute(select(CatalogState.token).where(CatalogState.id == 1)).scalar() or "none"


def cached_render(render: Callable[..., str], **context) -> str:
    """``render(**context)`` through the cache. ``render`` is ``render_template`` bound to a template."""
    seconds = int(current_app.config.get("CATALOG_CACHE_SECONDS", 60))
    # Guests only: signed-in pages may one day greet the user by name; the bench measures guests.
    if seconds <= 0 or current_user.is_authenticated or session.get("_flashes") or "csrf_token" in g:
        return render(**context)
    key = (request.full_path, str(get_locale()), role_of(current_user), current_token())
    now = time.monotonic()
    with _lock:
        hit = _entries.get(key)
        if hit and hit[0] > now:
            _entries.move_to_end(key)
            html = hit[1]
        else:
            html = None
    if html is None:
        html = render(csrf_token=_placeholder, **context)
        if "csrf_token" in g:
            return html  # something made a real token (form.hidden_tag()): not safe to share
        with _lock:
            _entries[key] = (now + seconds, html)
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
    return html.replace(CSRF_PLACEHOLDER, generate_csrf()) if CSRF_PLACEHOLDER in html else html


_WATCHED = ("Product", "Variant", "ProductPhoto", "Business", "Category")


def _bump_after_flush(session_: Session, flush_context) -> None:
    changed = list(session_.new) + list(session_.dirty) + list(session_.deleted)
    if not any(type(o).__name__ in _WATCHED and type(o).__module__ == "marketplace.catalog.models"
               for o in changed):
        return
    connection = session_.connection()
    values = {"token": secrets.token_hex(16), "changed_at": utcnow()}
    result = connection.execute(update(CatalogState).where(CatalogState.id == 1).values(**values))
    if result.rowcount == 0:
        connection.execute(insert(CatalogState).values(id=1, **values))


def install() -> None:
    if not event.contains(Session, "after_flush", _bump_after_flush):
        event.listen(Session, "after_flush", _bump_after_flush)
