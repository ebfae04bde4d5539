"""Shared fixtures: ``app``, ``db``, ``client``, ``login_as``.

Every test runs on SQLite by default, and on PostgreSQL when ``TEST_DATABASE_URL`` is set (the CI
lane does that). The schema is built once per session by the real migrations, so every test also
proves the migrations; each test starts from empty tables.
"""
from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from marketplace import create_app
from marketplace.extensions import db as _db
from tests import factories

# Tables that migrations create outside the models (search indexes) and that need emptying too.
EXTRA_TABLES: tuple[str, ...] = ("product_search", "vacancy_search")


def _test_config(tmp_path_factory) -> dict:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    return {
        "APP_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,  # tests/core/test_security.py turns it on to prove it works
        "RATELIMIT_ENABLED": False,  # tests/accounts/test_login_throttle.py turns it on
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
        "MAIL_SERVER": None,
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "STRIPE_SECRET_KEY": None,
        "PUBLIC_URL": "http://localhost",
        # Behaviour tests read the English source strings while the site still runs in Indonesian
        # (lang="id", Indonesian formats); the `translated_app` fixture has the real catalog.
        "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path_factory.mktemp("no-translations")),
    }


@pytest.fixture(scope="session")
def app_config(tmp_path_factory) -> dict:
    return _test_config(tmp_path_factory)


@pytest.fixture(scope="session")
def app(app_config):
    from flask_migrate import upgrade

    from marketplace.config import _database_url

    app_config["SQLALCHEMY_DATABASE_URI"] = _database_url(app_config["SQLALCHEMY_DATABASE_URI"])
    app = create_app(app_config)
    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_request_globals)
    with app.app_context():
        _drop_everything()
        upgrade()
        _DATABASE_USED.append(_server_description())
    yield app
    with app.app_context():
        _db.session.remove()
        _drop_everything()
        _db.engine.dispose()


def _fresh_request_globals() -> None:
    """Tests keep one app context open, and Flask reuses it for the test client's requests; forget
    what a request caches in ``g`` (signed-in user, language, CSP choice) so that nothing leaks into
    the next one, as in production where each request has a context of its own."""
    from flask import g

    for key in list(g):
        g.pop(key)


def _drop_everything() -> None:
    """PostgreSQL test databases may outlive a run; SQLite ones are new files every session."""
    if _db.engine.dialect.name == "postgresql":
        with _db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


@pytest.fixture(autouse=True)
def db(app):
    """An app context for the test, and empty tables afterwards."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        _empty_tables()


def _empty_tables() -> None:
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)] + list(EXTRA_TABLES)
    with _db.engine.begin() as connection:
        if _db.engine.dialect.name == "postgresql":
            connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def translated_app(app, app_config):
    """The same database, with the Indonesian catalog loaded: for tests of what visitors read."""
    from marketplace.config import PROJECT_ROOT
    from marketplace.extensions import babel

    translated = create_app({**app_config, "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations")})
    translated.before_request_funcs.setdefault(None, []).insert(0, _fresh_request_globals)
    # Flask-Babel caches loaded catalogs per locale across apps: start and end with an empty cache.
    babel.domain_instance.cache.clear()
    yield translated
    babel.domain_instance.cache.clear()


@pytest.fixture
def login_as(client):
    """``login_as(user)`` or ``login_as("customer")``: sign the test client in, return the user."""

    def sign_in(user_or_role, **fields):
        user = factories.user(role=user_or_role, **fields) if isinstance(user_or_role, str) else user_or_role
        _db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return sign_in


@pytest.fixture
def outbox():
    """The messages the app has sent, newest last."""
    from sqlalchemy import select

    from marketplace.notifications.models import OutboxMessage

    def messages(to: str | None = None):
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if to:
            query = query.where(OutboxMessage.to == to)
        return _db.session.execute(query).scalars().all()

    return messages


_DATABASE_USED: list[str] = []


def _server_description() -> str:
    """What the app's engine really talked to (not what the environment asked for)."""
    engine = _db.engine
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            version = connection.execute(text("SHOW server_version")).scalar_one()
            return f"PostgreSQL {version}, database {engine.url.database} on {engine.url.host}:{engine.url.port}"
        return f"{engine.dialect.name} {connection.execute(text('select sqlite_version()')).scalar_one()}"


def pytest_terminal_summary(terminalreporter):
    if _DATABASE_USED:
        terminalreporter.write_line(f"database used by the tests: {_DATABASE_USED[0]}")


def pytest_report_header(config):
    url = os.environ.get("TEST_DATABASE_URL")
    return f"database: {'PostgreSQL ' + url.rsplit('@', 1)[-1] if url else 'SQLite (temporary file)'}"
