"""The browser lane: the real app served on 127.0.0.1 with demo data, driven by Debian's Chromium.

Playwright is used with ``executable_path`` only: it never downloads a browser of its own.
"""
from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

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
def live_server(app_config, tmp_path_factory):
    """A second app on its own SQLite database, built by migrations and `flask seed-demo`."""
    from flask_migrate import upgrade

    from marketplace import demo
    from marketplace.extensions import db

    database = tmp_path_factory.mktemp("e2e") / "e2e.db"
    port = _free_port()
    site = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                       "WTF_CSRF_ENABLED": True, "PUBLIC_URL": f"http://127.0.0.1:{port}",
                       "UPLOAD_DIR": str(tmp_path_factory.mktemp("e2e-uploads")),
                       "BABEL_TRANSLATION_DIRECTORIES": str(_compiled_translations(tmp_path_factory.mktemp("e2e-i18n")))})
    with site.app_context():
        upgrade()
        demo.seed()
        db.session.commit()
    server = make_server("127.0.0.1", port, site, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield type("LiveServer", (), {"url": f"http://127.0.0.1:{port}", "app": site})
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page()``: a phone-sized page of its own browser context (another person); each fails the
    test on any CSP violation or JavaScript error."""
    contexts = []
    problems: list[str] = []

    def open_page():
        context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url,
                                      locale="id-ID")
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: problems.append(message.text)
                if message.type == "error" and "favicon" not in message.text else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert problems == [], problems


def sign_in(page, email: str, password: str = "bangkit-demo-2026") -> None:
    page.goto("/account/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_load_state()
    assert "/account/login" not in page.url, page.content()[:2000]


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page that fails the test on any CSP violation or JavaScript error."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url,
                                  locale="id-ID")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" and "favicon" not in message.text else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert problems == [], problems
