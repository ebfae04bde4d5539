"""The browser lane: the real app served on 127.0.0.1 with demo data, driven by Debian's Chromium.

Playwright is used with ``executable_path`` only: it never downloads a browser of its own.
"""
from __future__ import annotations

import re
import shutil
import socket
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

import pytest
from werkzeug.serving import make_server

from marketplace import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _compiled_translations(target: Path) -> Path:
    """The Indonesian catalog compiled from the .po files in git: ``.mo`` files are build output
    (``make translations``), and a stale or missing one would serve English without failing."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from marketplace.config import PROJECT_ROOT

    source = PROJECT_ROOT / "translations"
    for po_path in source.glob("*/LC_MESSAGES/messages.po"):
        out = target / po_path.parent.relative_to(source)
        out.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with (out / "messages.mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)
    return target


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_world(app_config, tmp_path_factory) -> Path:
    """A folder with the demo data, built once per run by the migrations and `flask seed-demo`:
    ``demo.db`` (SQLite), ``uploads/`` (its product photos) and ``i18n/`` (the compiled catalogs).
    Each site serves a copy of it."""
    from flask_migrate import upgrade

    from marketplace import demo
    from marketplace.extensions import db

    folder = tmp_path_factory.mktemp("demo-world")
    # Flask-Babel caches catalogs per language for every app in the process: the seed (its emails)
    # must load the real one, or the sites would serve what it cached.
    site = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.db'}",
                       "UPLOAD_DIR": str(folder / "uploads"),
                       "BABEL_TRANSLATION_DIRECTORIES": str(_compiled_translations(folder / "i18n"))})
    with site.app_context():
        upgrade()
        demo.seed()
        db.session.commit()
        db.engine.dispose()
    return folder


@contextmanager
def serve_site(app_config, demo_world: Path, tmp_path_factory, name: str = "e2e", **settings):
    """Our app on 127.0.0.1 on its own copy of the demo world (``demo_world``), with the Indonesian
    catalog and CSRF on; ``settings`` add to the configuration. Yields an object with ``url`` and ``app``."""
    from tests.e2e.axe import serving_axe_core

    folder = tmp_path_factory.mktemp(name)
    shutil.copyfile(demo_world / "demo.db", folder / f"{name}.db")
    shutil.copytree(demo_world / "uploads", folder / "uploads")
    port = _free_port()
    site = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / name}.db",
                       "WTF_CSRF_ENABLED": True, "PUBLIC_URL": f"http://127.0.0.1:{port}",
                       "UPLOAD_DIR": str(folder / "uploads"),
                       "BABEL_TRANSLATION_DIRECTORIES": str(demo_world / "i18n"), **settings})
    server = make_server("127.0.0.1", port, serving_axe_core(site), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield type("LiveServer", (), {"url": f"http://127.0.0.1:{port}", "app": site})
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(app_config, demo_world, tmp_path_factory):
    """The site with the demo data, for every journey."""
    with serve_site(app_config, demo_world, tmp_path_factory) as site:
        yield site


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Chromium logs every 4xx/5xx page as a console error; a test that means to be refused says so.
_REFUSALS_EXPECTED = "_refusals_expected"
_LISTENERS = "_problem_listeners"


def _watched(page, problems: list[str], base_url: str):
    expected: set[str] = set()
    setattr(page, _REFUSALS_EXPECTED, (base_url, expected))

    def on_console(message) -> None:
        if message.type != "error" or "favicon" in message.text:
            return
        if message.text.startswith("Failed to load resource") and message.location.get("url") in expected:
            return
        problems.append(message.text)

    def on_page_error(error) -> None:
        problems.append(str(error))

    setattr(page, _LISTENERS, [("console", on_console), ("pageerror", on_page_error)])
    for event, listener in getattr(page, _LISTENERS):
        page.on(event, listener)
    page.set_default_timeout(15_000)
    return page


PHONE_SCREEN = {"width": 390, "height": 844}
_WEB_STORAGE_USED = "() => { try { return localStorage.length + sessionStorage.length > 0; } catch { return false; } }"


class People:
    """Browser pages, each in a browser context of its own: one person, with their own cookies.

    When a test is done with a person, ``take_back`` leaves the page on about:blank and deletes its
    cookies (the session, the language), so that the next test gets it as someone new. A new context
    and page, closed afterwards, cost Chromium about 0.3 s: with some sixty people a run, a fifth of
    the lane. The site keeps nothing in the browser but cookies (a page that used web storage is closed,
    not lent again); what stays is the HTTP cache of static files and photos, the same for everyone."""

    def __init__(self, browser):
        self.browser = browser
        self.idle: dict[str, list] = {}

    def lend(self, base_url: str, problems: list[str], viewport: dict | None = None,
             language: str | None = None):
        idle = self.idle.setdefault(base_url, [])
        if idle:
            page = idle.pop()
            page.set_viewport_size(viewport or PHONE_SCREEN)
        else:
            context = self.browser.new_context(viewport=viewport or PHONE_SCREEN, base_url=base_url,
                                               locale="id-ID")
            page = context.new_page()
        if language:
            page.context.add_cookies([{"name": "lang", "value": language, "url": base_url}])
        return _watched(page, problems, base_url)

    def take_back(self, page, base_url: str) -> None:
        for event, listener in getattr(page, _LISTENERS):
            page.remove_listener(event, listener)
        try:
            # What a page put in web storage would follow the next person: that page is not lent again.
            reusable = not page.evaluate(_WEB_STORAGE_USED)
            page.goto("about:blank")
            page.context.clear_cookies()
        except Exception:  # noqa: BLE001  (nor is a page a failed test left broken)
            reusable = False
        if reusable:
            self.idle[base_url].append(page)
        else:
            page.context.close()

    @contextmanager
    def one_person(self, base_url: str):
        """A phone-sized page for the length of the ``with``, which fails on any CSP violation or
        JavaScript error seen on it."""
        problems: list[str] = []
        page = self.lend(base_url, problems)
        yield page
        self.take_back(page, base_url)
        assert problems == [], problems


@pytest.fixture(scope="session")
def people(browser):
    return People(browser)


def expect_refusal(page, path: str) -> None:
    """The page at ``path`` may answer 4xx (an error page, or a form shown again with its errors as
    400): only its own 'Failed to load resource' console line is excused; a CSP or script error on it
    still fails."""
    base_url, expected = getattr(page, _REFUSALS_EXPECTED)
    expected.add(urljoin(base_url, path))


def open_refused(page, path: str) -> int:
    """Open ``path`` expecting an error page (404, 403, 400): returns the status."""
    expect_refusal(page, path)
    response = page.goto(path)
    page.wait_for_load_state()
    return response.status


@pytest.fixture
def new_page(people, live_server):
    """``new_page()``: a phone-sized page for another person (a browser context of their own); each
    fails the test on any CSP violation or JavaScript error. ``viewport`` gives another screen size,
    ``language`` a guest's language cookie."""
    pages = []
    problems: list[str] = []

    def open_page(viewport: dict | None = None, language: str | None = None):
        pages.append(people.lend(live_server.url, problems, viewport, language))
        return pages[-1]

    yield open_page
    for page in pages:
        people.take_back(page, live_server.url)
    assert problems == [], problems


DEMO_PASSWORD = "bangkit-demo-2026"


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign ``page``'s person in through the real sign-in form's request (its CSRF token, the server's
    session), sent by the browser context's own HTTP client: the session cookie lands in the context
    without Chromium drawing two pages. The page stays where it was; journeys go on with ``goto``.
    Signing in through the form as a person does is what ``sign_in_with_the_form`` and the sign-in
    journeys prove."""
    request = page.context.request
    form = request.get("/account/login")
    token = re.search(r'name="csrf_token"[^>]*? value="([^"]+)"', form.text())
    assert form.ok and token, f"the sign-in page answered {form.status}"
    answer = request.post("/account/login", max_redirects=0,
                          form={"csrf_token": token.group(1), "email": email, "password": password})
    assert answer.status in (302, 303), f"signing in as {email} answered {answer.status}"
    assert "/account/login" not in answer.headers.get("location", ""), f"signing in as {email} was refused"


def sign_in_with_the_form(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in as a person does: open the form, type, press the button; the page lands where it leads."""
    page.goto("/account/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_load_state()
    assert "/account/login" not in page.url, page.content()[:2000]


@pytest.fixture
def page(people, live_server):
    """A phone-sized page that fails the test on any CSP violation or JavaScript error."""
    with people.one_person(live_server.url) as page:
        yield page


def open_menu(page) -> None:
    """Open the site menu as a person does on a phone (a tap on Menu), where the page shows it folded;
    on a wide screen every link is already there."""
    toggle = page.locator("button.menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"


def sign_out(page) -> None:
    open_menu(page)
    page.click("form[action='/account/logout'] button[type=submit]")
    page.wait_for_load_state()


def is_signed_in(page) -> bool:
    return page.locator("form[action='/account/logout']").count() > 0


def link_in_outbox(live_server, to: str, path_prefix: str) -> str:
    """The newest link to ``path_prefix`` emailed to ``to``, read from the development outbox."""
    from sqlalchemy import select

    from marketplace.extensions import db
    from marketplace.notifications.models import OutboxMessage

    with live_server.app.app_context():
        bodies = db.session.execute(select(OutboxMessage.body).where(OutboxMessage.to == to)
                                    .order_by(OutboxMessage.id.desc())).scalars().all()
        db.session.remove()
    for body in bodies:
        found = re.search(re.escape(live_server.url + path_prefix) + r"\S+", body)
        if found:
            return found.group(0)
    raise AssertionError(f"no {path_prefix} link emailed to {to}")
