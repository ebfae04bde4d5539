"""Shared fixtures: ``app``, ``db``, ``client``, ``login_as``, ``outbox``.

Every test runs on SQLite by default, and on PostgreSQL when ``TEST_DATABASE_URL`` is set (the CI
lane does that). The schema is built once per run (once per xdist worker) by the real migrations, so
every test also proves the migrations.

How a test's data goes away
---------------------------
By default a test runs inside one database transaction that is rolled back when it ends: the
``db`` fixture opens a connection, begins an outer transaction, and every ``db.session`` of the
test's database (the ``app``'s, and those of second apps on the same database such as
``translated_app``) works on that connection with ``join_transaction_mode="create_savepoint"``.
Services that call ``db.session.commit()`` or ``rollback()`` therefore behave as in production
(commit releases a SAVEPOINT, ``after_commit`` hooks run), but nothing reaches the disk and the next
test starts from empty tables without anything being deleted. Sequences (ids) are not reset: never
assert a literal id.

Mark a test ``@pytest.mark.committed`` when its data must really be committed, because another
connection, thread or process has to see it or write it:
  - threads that open their own app context (PostgreSQL concurrency tests),
  - our app served on a port in another thread or process (``app_server``, localstripe webhooks),
  - code that writes through ``db.engine`` on a connection of its own (mail delivery marking
    messages sent), the RQ worker, a subprocess running ``flask``.
Such a test commits for real and the tables are emptied afterwards (slower; still isolated). Tests
that use one of ``COMMITTED_FIXTURES`` below are marked automatically, and so is the browser lane.
A test that needs the marker and lacks it fails loudly: a ``db.session`` used from another thread
during a rolled-back test raises an error naming the marker.

Parallel runs (pytest-xdist, ``-n 2``): each worker has its own SQLite file, or its own PostgreSQL
database ``<TEST_DATABASE_URL's database>_<worker>``, created and dropped here.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import IllegalStateChangeError
from sqlalchemy.pool import NullPool

from marketplace import create_app
from marketplace.extensions import db as _db
from tests import factories

# Tables that migrations create outside the models (search indexes) and that need emptying too.
EXTRA_TABLES: tuple[str, ...] = ("product_search", "vacancy_search")

# Fixtures whose tests need really committed data (another thread, process or connection reads or
# writes it): a test using one of them runs as if marked ``@pytest.mark.committed``.
COMMITTED_FIXTURES: frozenset[str] = frozenset({"app_server", "stripe_live", "localstripe", "live_server",
                                                "mail_app", "smtp_server", "redis_url", "redis_server"})


def pytest_configure(config):
    config.addinivalue_line("markers", "committed: the test commits for real and its tables are emptied "
                                       "afterwards (needed when another thread, process or connection "
                                       "must see its data; see tests/conftest.py)")
    config.addinivalue_line("markers", "long(weight=1): the test runs for seconds (it seeds the demo world or "
                                       "walks the site); long tests run first, heaviest first")


def pytest_collection_modifyitems(config, items):
    on_sqlite = not os.environ.get("TEST_DATABASE_URL")
    for item in items:
        if item.get_closest_marker("e2e") or COMMITTED_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.committed)
        if on_sqlite and item.get_closest_marker("postgres_only"):
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: the PostgreSQL lane (TEST_DATABASE_URL) runs it"))
        if not on_sqlite and item.get_closest_marker("database_independent"):
            item.add_marker(pytest.mark.skip(reason="no database changes what it proves: the SQLite lane runs it"))
    # Longest first: `make test` hands the workers one test at a time (--maxschedchunk 1), so the few
    # long tests spread over both workers at the start and the many short ones even out the end,
    # instead of one worker finishing a long walk alone while the other idles.
    items.sort(key=_weight, reverse=True)  # stable: the rest keep pytest's order


def _weight(item) -> int:
    marker = item.get_closest_marker("long")
    if marker is None:
        return 0
    return marker.args[0] if marker.args else 1


# -- databases ---------------------------------------------------------------------------------------

def _worker() -> str | None:
    """The xdist worker's name (``gw0``...), or None in a plain run."""
    return os.environ.get("PYTEST_XDIST_WORKER")


def _postgres_database_for_worker(base_url: str) -> str:
    """``TEST_DATABASE_URL`` itself in a plain run; in a parallel run a database of this worker's own,
    named after the base one, created empty (and dropped by ``_drop_worker_database``)."""
    worker = _worker()
    if not worker:
        return base_url
    base = make_url(base_url)
    url = base.set(database=f"{base.database}_{worker}")
    with _maintenance_connection(base) as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    return url.render_as_string(hide_password=False)


@contextmanager
def _maintenance_connection(url: URL) -> Iterator[Connection]:
    # CREATE/DROP DATABASE cannot run inside a transaction; the base database is the one CI created.
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _drop_worker_database(url: str) -> None:
    worker_url = make_url(url)
    if not _worker() or worker_url.get_backend_name() != "postgresql":
        return
    base = worker_url.set(database=worker_url.database.removesuffix(f"_{_worker()}"))
    with _maintenance_connection(base) as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{worker_url.database}" WITH (FORCE)'))


def _test_config(tmp_path_factory) -> dict:
    from marketplace.config import _database_url

    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = _postgres_database_for_worker(_database_url(url))
    else:
        # tmp_path_factory is per xdist worker: one SQLite file each.
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    return {
        "APP_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        # Argon2 at its cheapest: the suite hashes hundreds of passwords (the real parameters cost ~0.1 s
        # of CPU each here); tests/accounts check that a deployment keeps the recommended ones.
        "ARGON2_PROFILE": "CHEAPEST",
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
    original_session = _db.session
    # One session class for the whole run: it joins the test's transaction when there is one.
    _db.session = _db._make_scoped_session({"class_": _TestSession,
                                            "join_transaction_mode": "create_savepoint"})
    with app.app_context():
        _drop_everything()
        upgrade()
        _DATABASE_USED.append(_server_description())
    yield app
    with app.app_context():
        _db.session.remove()
        _drop_everything()
        _db.engine.dispose()
    _db.session = original_session
    _drop_worker_database(app_config["SQLALCHEMY_DATABASE_URI"])


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


# -- one transaction per test ------------------------------------------------------------------------

class _TestTransaction:
    """The connection whose outer transaction the current test runs in (None: committed test)."""

    connection: Connection | None = None
    thread: int | None = None


class _TestSession(FlaskSession):
    """``db.session`` during tests: on the test's database it uses the test's connection, so commits
    become SAVEPOINT releases inside the outer transaction; other databases (the browser lane's live
    server) keep their own engines."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        connection = _TestTransaction.connection
        if bind is None and connection is not None:
            engine = self._db.engines.get(None)
            if engine is not None and engine.url == connection.engine.url:
                if threading.get_ident() != _TestTransaction.thread:
                    raise RuntimeError(
                        "db.session used from another thread during a rolled-back test: that thread "
                        "cannot see the test's uncommitted data. Mark the test @pytest.mark.committed "
                        "(see tests/conftest.py).")
                return connection
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


@event.listens_for(Engine, "engine_connect")
def _refuse_second_connection(connection: Connection) -> None:
    """During a rolled-back test the test's database has one connection: another one would not see
    the test's data (and on SQLite would wait for its lock, then fail with 'database is locked')."""
    ours = _TestTransaction.connection
    if ours is not None and connection is not ours and connection.engine.url == ours.engine.url:
        raise RuntimeError(
            "a second connection to the test database during a rolled-back test (code using db.engine "
            "directly, a thread or a subprocess): mark the test @pytest.mark.committed (see tests/conftest.py).")


@pytest.fixture(autouse=True)
def db(request, app):
    """An app context for the test; the test's writes are rolled back afterwards (or, for a test
    marked ``committed``, really committed and emptied afterwards)."""
    with app.app_context():
        if request.node.get_closest_marker("committed"):
            try:
                yield _db
            finally:
                _forget_sessions()
                empty_tables()
            return
        connection = _db.engine.connect()
        outer = _begin_outer_transaction(connection)
        _TestTransaction.connection, _TestTransaction.thread = connection, threading.get_ident()
        try:
            yield _db
        finally:
            _forget_sessions()
            _TestTransaction.connection = _TestTransaction.thread = None
            outer.rollback()
            _end_outer_transaction(connection)
            connection.close()


def _begin_outer_transaction(connection: Connection):
    outer = connection.begin()
    if connection.dialect.name == "sqlite":
        # pysqlite starts transactions only before writes, so a SAVEPOINT issued first would open
        # (and its RELEASE commit) the real transaction: take the transaction into our own hands.
        driver = connection.connection.driver_connection
        connection.info["isolation_level_before_test"] = driver.isolation_level
        driver.isolation_level = None
        connection.exec_driver_sql("BEGIN")
    return outer


def _end_outer_transaction(connection: Connection) -> None:
    if "isolation_level_before_test" in connection.info:
        connection.connection.driver_connection.isolation_level = connection.info.pop("isolation_level_before_test")


def _forget_sessions() -> None:
    """Close every scoped session of the test (requests of second apps, CLI commands): none may be
    handed to a later test whose app context happens to get the same id."""
    registry = _db.session.registry
    sessions = list(getattr(registry, "registry", {}).values())
    _db.session.remove()
    for session in sessions:
        try:
            session.close()
        except IllegalStateChangeError:
            # A browser-lane live server's request thread is inside this session right now; it is
            # closed by that request's own teardown, and forgetting it below is all this test needs.
            pass
    if hasattr(registry, "registry"):
        registry.registry.clear()


def empty_tables() -> None:
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


@contextmanager
def app_with_translations(app_config: dict):
    """An app on the same database with the Indonesian catalog loaded."""
    from marketplace.config import PROJECT_ROOT
    from marketplace.extensions import babel

    translated = create_app({**app_config, "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations")})
    translated.before_request_funcs.setdefault(None, []).insert(0, _fresh_request_globals)
    # Flask-Babel caches loaded catalogs per locale across apps: start and end with an empty cache.
    with translated.app_context():
        babel.domain_instance.cache.clear()
    try:
        yield translated
    finally:
        with translated.app_context():
            babel.domain_instance.cache.clear()


@pytest.fixture
def translated_app(app, app_config):
    """The same database, with the Indonesian catalog loaded: for tests of what visitors read."""
    with app_with_translations(app_config) as translated:
        yield translated


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


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)  # an xdist worker tells the controller
    if workeroutput is not None and _DATABASE_USED:
        workeroutput["database_used"] = _DATABASE_USED[0]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    used = getattr(node, "workeroutput", {}).get("database_used")
    if used:
        _DATABASE_USED.append(used)


def pytest_terminal_summary(terminalreporter):
    for used in dict.fromkeys(_DATABASE_USED):
        terminalreporter.write_line(f"database used by the tests: {used}")


def pytest_report_header(config):
    url = os.environ.get("TEST_DATABASE_URL")
    return f"database: {'PostgreSQL ' + url.rsplit('@', 1)[-1] if url else 'SQLite (temporary file)'}"
