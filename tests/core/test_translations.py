"""Indonesian is the default language: no English source string may reach an Indonesian page.

Two checks. The catalog check: every string marked for translation (in any folder, including those
whose name starts with an underscore, which ``pybabel extract`` skips) has an Indonesian entry, and so
does every message WTForms itself can produce. The page check: as each role, a crawler walks the demo
world in Indonesian, submits every form empty and with wrong values (so that each shows its errors),
and fails on any English source string in what it reads: a string looked up at run time that the
catalog lacks (a label translated from a variable, a template string never extracted), a WTForms
message, or the English text of a msgid shown raw (a status word printed as stored).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from babel.support import NullTranslations
from sqlalchemy import select, update
from werkzeug.datastructures import MultiDict

from marketplace.accounts.models import User
from marketplace.extensions import db
from tests.conftest import app_with_translations, empty_tables
from tests.test_no_server_errors import ROLES, SKIPPED_PREFIXES, Form, Fuzzer, _destructive

# What these tests prove is the same on every database: the PostgreSQL lane skips them.
pytestmark = pytest.mark.database_independent

ROOT = Path(__file__).resolve().parents[2]
METHOD_MAP = [("marketplace/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
WTFORMS_POT = Path(__import__("wtforms").__file__).parent / "locale" / "wtforms.pot"


def _not_hidden(path: str) -> bool:
    """Every folder but dot-folders and caches: unlike extraction's default, ``_macros`` counts."""
    name = Path(path).name
    return not name.startswith(".") and name not in ("__pycache__", "node_modules")


def _source_messages(directory_filter=_not_hidden) -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHOD_MAP, keywords=KEYWORDS, options_map={"templates/**": {"extensions": ""}},
            directory_filter=directory_filter):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog():
    with open(ROOT / "translations/id/LC_MESSAGES/messages.po", "rb") as po:
        return read_po(po)


def _wtforms_messages() -> set[str]:
    with open(WTFORMS_POT, "rb") as pot:
        return {part for m in read_po(pot) if m.id for part in ([m.id] if isinstance(m.id, str) else m.id)}


def test_every_visible_string_has_an_indonesian_translation():
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog()
                  if m.id and m.string and (m.string if isinstance(m.string, str) else all(m.string))
                  and not m.fuzzy}
    missing = sorted(_source_messages() - translated)
    assert missing == [], (f"{len(missing)} strings lack Indonesian (run `make messages`, then translate): "
                           f"{missing[:20]}")


def test_string_extraction_sees_every_template_folder():
    """``pybabel extract`` skips folders whose name starts with an underscore (Babel's default): a
    template folder named so would never reach the catalog."""
    skipped = _source_messages() - _source_messages(directory_filter=None)
    assert skipped == set(), f"strings in folders that `make messages` skips: {sorted(skipped)[:10]}"


def test_every_wtforms_message_is_in_the_catalog():
    """WTForms ships no Indonesian: its messages are listed in core/form_messages.py and translated."""
    translated = {part for m in _catalog() if m.id and m.string and not m.fuzzy
                  for part in ([m.id] if isinstance(m.id, str) else m.id)}
    missing = sorted(_wtforms_messages() - translated - {"Invalid field name '%s'."})
    assert missing == [], f"WTForms messages without Indonesian (add them to core/form_messages.py): {missing}"


# --- the page check -------------------------------------------------------------------------------

class MissedLookups(NullTranslations):
    """The catalog's fallback: called only for a string the Indonesian catalog lacks."""

    def __init__(self):
        super().__init__()
        self.missed: set[str] = set()

    def gettext(self, message):
        self.missed.add(message)
        return message

    def ngettext(self, singular, plural, n):
        self.missed.add(singular)
        return singular if n == 1 else plural


class VisibleText(HTMLParser):
    """What a reader sees or hears: text outside scripts, and the attributes read out or shown."""

    SPOKEN = ("alt", "title", "placeholder", "aria-label")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.segments: list[str] = []
        self.lang = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag in ("script", "style"):
            self._skip += 1
        for name in self.SPOKEN:
            if a.get(name):
                self.segments.append(a[name])
        if tag == "input" and (a.get("type") or "") in ("submit", "button") and a.get("value"):
            self.segments.append(a["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.segments.append(" ".join(data.split()))


class EnglishDetector:
    """English source strings whose Indonesian differs: short ones must not be a whole segment (a raw
    "open"), longer ones must not appear anywhere, those with placeholders in any filling."""

    def __init__(self):
        english: set[str] = set(_wtforms_messages())
        indonesian: set[str] = set()
        for m in _catalog():
            if not m.id:
                continue
            ids = [m.id] if isinstance(m.id, str) else list(m.id)
            strings = [m.string] if isinstance(m.string, str) else list(m.string)
            indonesian.update(s.casefold() for s in strings if s)
            english.update(i for i in ids if i.casefold() not in {s.casefold() for s in strings if s})
        english = {e for e in english if e.casefold() not in indonesian and re.search("[A-Za-z]{2}", e)}
        self.whole = {e.casefold().rstrip(":.") for e in english if "%(" not in e and len(e.split()) < 3}
        self.inside = sorted(e for e in english if "%(" not in e and len(e.split()) >= 3)
        self.patterns = []
        for e in english:
            if "%(" in e:
                literal = re.sub(r"%\(\w+\)[sd]", " ", e)
                if len(literal.split()) >= 2:
                    self.patterns.append((e, _pattern(e)))

    def find(self, html: str, missed: set[str] = frozenset()) -> tuple[str | None, list[str], set[str]]:
        """The page's language, the English found on it, and which of the ``missed`` lookups it shows."""
        parser = VisibleText()
        parser.feed(html)
        found = [s for s in parser.segments if s.casefold().rstrip(":.") in self.whole]
        text = " \n ".join(parser.segments)
        found += [e for e in self.inside if e in text]
        found += [e for e, pattern in self.patterns if pattern.search(text)]
        shown = {m for m in missed if _pattern(m).search(text)}
        return parser.lang, found, shown


def _pattern(message: str) -> re.Pattern:
    return re.compile(".+?".join(re.escape(p) for p in re.split(r"%\(\w+\)[sd]", message)))


class LanguageWalk(Fuzzer):
    """The crawler of test_no_server_errors, reading every page it gets; each form is sent empty and
    with wrong values instead of the whole hostile list."""

    def __init__(self, *args, detector: EnglishDetector, missed: MissedLookups):
        super().__init__(*args)
        self.detector, self.missed = detector, missed
        self.leaks: dict[str, str] = {}
        self.missed_where: dict[str, str] = {}
        self.pages_read = 0

    def request(self, method, url, data=None, query=None):
        before = set(self.missed.missed)
        response = super().request(method, url, data=data, query=query)
        if method != "GET":  # a form may have chosen English (registration, profile): the walk stays Indonesian
            db.session.execute(update(User).where(User.locale != "id").values(locale="id"))
            db.session.commit()
        where = f"{method} {url}"
        for message in self.missed.missed - before:
            self.missed_where.setdefault(message, where)
        # Redirects carry Werkzeug's own little English page, which nobody sees.
        if response is not None and "html" in (response.content_type or "") and not 300 <= response.status_code < 400:
            self.pages_read += 1
            # A string the catalog lacks counts once a page shows it (a flash message shows on the page
            # after the redirect); WTForms also looks up the names of unlabelled hidden fields.
            lang, english, shown = self.detector.find(response.get_data(as_text=True), self.missed.missed)
            if lang != "id":
                self.leaks.setdefault(f'<html lang="{lang}">', where)
            for text in english:
                self.leaks.setdefault(f"English on the page: {text!r}", where)
            for message in shown:
                self.leaks.setdefault(f"lacks Indonesian: {message!r}", self.missed_where[message])
        if response is not None and response.status_code in (302, 303) and method == "POST":
            location = urlsplit(urljoin(url, response.headers.get("Location", "")))
            if location.netloc in ("", "localhost") and not location.path.startswith(SKIPPED_PREFIXES):
                self.request("GET", location.path + ("?" + location.query if location.query else ""))
        return response

    def submit(self, form: Form, data: MultiDict) -> None:
        if "language" in data:  # the walk stays in Indonesian (registration, profile, invitations)
            data = MultiDict(data)
            data.setlist("language", ["id"])
        super().submit(form, data)

    def _record(self, form: Form) -> None:
        if urlsplit(form.action).path != "/language":  # the walk stays in Indonesian
            super()._record(form)

    def show_errors(self, form: Form) -> None:
        visible = [f for f in form.fields if f.kind not in ("hidden", "submit", "file")]
        if not visible or urlsplit(form.action).path == "/language" or _destructive(form):
            return
        for wrong in ("", "abc"):
            data = form.defaults()
            for f in visible:
                if f.kind in ("checkbox", "radio"):
                    continue
                data.setlist(f.name, [wrong])
            self.submit(form, MultiDict(data))

    def run(self, start):
        self.app.logger.addHandler(self.log)
        try:
            for url in start:
                self._enqueue(url)
            self.crawl()
            for key in sorted(self.forms):
                self.show_errors(self.forms[key])
        finally:
            self.app.logger.removeHandler(self.log)


@pytest.fixture(scope="module")
def indonesian_demo(app, app_config):
    """The demo world with every account in Indonesian (its emails too), seeded and committed once for this
    module (seeding costs seconds, most of it encoding photos); each role's walk runs in a transaction of its
    own over it and is rolled back (tests/conftest.py)."""
    from marketplace import demo

    with app_with_translations(app_config) as translated, translated.app_context():
        demo.seed()
        db.session.execute(update(User).values(locale="id"))
        db.session.commit()
        db.session.remove()
    yield
    with app.app_context():
        empty_tables()


@pytest.fixture
def indonesian_world(translated_app, indonesian_demo):
    from flask_babel import force_locale, get_translations

    from marketplace.catalog import pagecache

    with translated_app.app_context():
        pagecache.PAGES.clear()
        with translated_app.test_request_context(), force_locale("id"):
            catalog = get_translations()
        missed = MissedLookups()
        catalog.add_fallback(missed)
        yield translated_app, missed


@pytest.mark.long(2)
@pytest.mark.parametrize("role", list(ROLES))
def test_no_english_on_indonesian_pages_and_forms(indonesian_world, role):
    app, missed = indonesian_world
    client = app.test_client()
    client.set_cookie("lang", "id")

    def sign_in(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True

    email, start = ROLES[role]
    user = None
    with app.app_context():
        if email:
            user = db.session.execute(select(User).where(User.email == email)).scalar_one()
            sign_in(user)
        walk = LanguageWalk(app, client, sign_in, user, detector=EnglishDetector(), missed=missed)
        walk.run(start)

    assert walk.pages_read > 5, f"the crawler read only {walk.pages_read} pages"
    assert walk.leaks == {}, f"{len(walk.leaks)} English strings on Indonesian pages as {role}:\n" + "\n".join(
        f"{leak}  ({where})" for leak, where in sorted(walk.leaks.items()))
