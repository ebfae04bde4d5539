"""The mechanics of ``core.pagecache.PageCache``, once for every domain that builds on it: a guest page is
rendered once and read back for one query, each visitor gets their own CSRF token in the shared page, a
page that made a real token is never shared, an ORM change to a watched model replaces the token in the
same transaction, and what plain SQL changes shows after the time limit. Which writes invalidate which
pages is each domain's own test (tests/catalog/, tests/jobs/)."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from flask import flash, g
from flask_login import login_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace.catalog.models import Category
from marketplace.core import pagecache
from marketplace.core.pagecache import PageCache
from marketplace.extensions import db
from marketplace.jobs.models import Firm, JobsState
from tests import factories
from tests.catalog.test_query_counts import counting_queries
from tests.jobs.conftest import firm

SECONDS = "TEST_PAGES_SECONDS"


class Page:
    """A stand-in for a view's template: counts its renderings and shows the CSRF token it was given."""

    def __init__(self) -> None:
        self.renderings = 0

    def __call__(self, csrf_token=generate_csrf) -> str:
        self.renderings += 1
        return f'<h1>Halo</h1><input name="csrf_token" value="{csrf_token()}">'


@pytest.fixture
def pages(app):
    """A cache keyed by ``jobs_state``'s token that watches firms (any state table and models would do)."""
    cache = PageCache(JobsState, (Firm,), SECONDS)
    cache.install()
    app.config[SECONDS] = 60
    yield cache
    event.remove(Session, "after_flush", cache._bump_after_flush)
    app.config.pop(SECONDS)


@contextmanager
def guest_request(app, path: str = "/halaman"):
    """A request of its own: the suite keeps one app context open, so forget what the last one kept in ``g``."""
    with app.test_request_context(path):
        for key in list(g):
            g.pop(key)
        yield


def served_from_cache(client, url: str) -> bytes:
    """A domain's page asked for twice by a guest: the second answer costs one query (the token)."""
    client.get(url)
    with counting_queries() as statements:
        body = client.get(url).data
    assert len(statements) == 1, url
    return body


def token_in(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]*)"', html).group(1)


def test_a_page_is_rendered_once_and_read_back_for_one_query(app, pages):
    page = Page()
    with guest_request(app):
        first = pages.render(page)
    with guest_request(app), counting_queries() as statements:
        second = pages.render(page)
    assert page.renderings == 1 and len(statements) == 1  # the token
    assert re.sub(r'value="[^"]*"', "", first) == re.sub(r'value="[^"]*"', "", second)
    with guest_request(app, "/halaman?urut=baru"):
        pages.render(page)
    assert page.renderings == 2  # another query string is another page


def test_each_guest_gets_their_own_csrf_token_in_the_shared_page(app, pages):
    page = Page()
    tokens = []
    for _ in range(2):
        with guest_request(app):
            html = pages.render(page)
            assert pages.placeholder not in html and token_in(html) == generate_csrf()
            tokens.append(token_in(html))
    assert page.renderings == 1 and tokens[0] != tokens[1]


def test_a_page_whose_rendering_made_a_real_token_is_not_shared(app, pages):
    renderings = []

    def page_with_a_form(csrf_token=None) -> str:  # like form.hidden_tag(): the visitor's token itself
        renderings.append(1)
        return f'<input name="csrf_token" value="{generate_csrf()}">'

    for _ in range(2):
        with guest_request(app):
            assert token_in(pages.render(page_with_a_form)) == generate_csrf()
    assert len(renderings) == 2


def test_an_orm_change_to_a_watched_model_replaces_the_token_in_the_same_transaction(app, pages):
    page = Page()
    with guest_request(app):
        pages.render(page)
    before = pages.token()
    db.session.add(Category(slug="kerajinan", name_id="Kerajinan", name_en="Crafts"))
    db.session.flush()
    assert pages.token() == before  # not watched
    firm()  # added and flushed
    assert pages.token() != before  # before any commit: the change and the new token land together
    with guest_request(app):
        pages.render(page)
    assert page.renderings == 2


def test_what_plain_sql_changes_shows_after_the_time_limit(app, pages, monkeypatch):
    page = Page()
    clock = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock[0])
    with guest_request(app):
        pages.render(page)
    clock[0] += 59
    with guest_request(app):
        pages.render(page)
    assert page.renderings == 1
    clock[0] += 2
    with guest_request(app):
        pages.render(page)
    assert page.renderings == 2
    app.config[SECONDS] = 0  # turned off
    for _ in range(2):
        with guest_request(app):
            pages.render(page)
    assert page.renderings == 4


def test_signed_in_visitors_and_pages_with_a_message_are_rendered_afresh(app, pages):
    page = Page()
    user = factories.user("customer")
    for _ in range(2):
        with guest_request(app):
            login_user(user)
            pages.render(page)
    for _ in range(2):
        with guest_request(app):
            flash("Tersimpan.")
            pages.render(page)
    assert page.renderings == 4


def test_the_oldest_pages_make_room(app):
    cache = PageCache(JobsState, (Firm,), SECONDS, max_entries=2)
    app.config[SECONDS] = 60
    page = Page()
    try:
        for path in ("/a", "/b", "/c", "/b", "/a"):
            with guest_request(app, path):
                cache.render(page)
    finally:
        app.config.pop(SECONDS)
    assert page.renderings == 4  # /a was pushed out by /c; /b stayed
