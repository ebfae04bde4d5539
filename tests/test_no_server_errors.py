"""No request built from user input can make the site answer 500.

For each role, a crawler walks same-site links breadth-first from the home pages over the seeded demo
world, records every ``<form>`` and submits it with its own values and then with hostile ones (empty,
very long, emoji, NUL bytes, negative and huge numbers, SQL and HTML snippets, wrong types, duplicated
and missing fields, a file that is no image); each page it reached is also asked for again with hostile
query parameters and hostile values in its URL (a huge id, a NUL byte in a slug). Every answer must be
below 500. The random choices come from one fixed seed, so a failure reproduces.
"""
from __future__ import annotations

import io
import logging
import random
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from flask import url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, RequestRedirect
from werkzeug.test import TestResponse

from marketplace.accounts.models import User
from marketplace.extensions import db
from tests.conftest import empty_tables

PAGE_BUDGET = 150          # pages fetched per role while crawling
PAGES_PER_ENDPOINT = 3     # many product pages share one view: a few of each are enough
FIELDS_MUTATED_ONE_BY_ONE = 6

ROLES = {
    "guest": (None, ["/", "/cari", "/cart", "/checkout", "/account/login", "/account/register",
                     "/account/register/partner", "/account/password/forgot"]),
    "customer": ("pembeli1@pasarbangkit.id", ["/", "/account/", "/account/password", "/orders", "/cart",
                                              "/checkout"]),
    "graduate": ("sari@pasarbangkit.id", ["/seller/", "/seller/storefront", "/seller/products/new",
                                          "/seller/orders", "/seller/orders/sales", "/seller/orders/delivery",
                                          "/seller/earnings", "/account/", "/mentoring/me"]),
    "mentor": ("mentor1@pasarbangkit.id", ["/", "/account/", "/mentoring/"]),
    "partner": ("mitra1@pasarbangkit.id", ["/", "/account/"]),
    "staff": ("staf@lrppn-banyuwangi.id", ["/staff/", "/staff/partners", "/staff/moderation/", "/staff/payouts",
                                           "/staff/payouts/awaiting-payment", "/account/",
                                           "/mentoring/staff", "/mentoring/staff/impact"]),
    "admin": ("admin@pasarbangkit.id", ["/admin/", "/admin/outbox", "/staff/", "/staff/moderation/",
                                        "/staff/payouts", "/account/"]),
}

# Signing out or deleting the account would end the walk; media and static files are no views of ours.
SKIPPED_PREFIXES = ("/account/logout", "/account/delete", "/media/", "/static/")
# Forms that take something away: never submitted while crawling, and fuzzed last, so that the cart
# still holds an item when the checkout forms are tried.
DESTRUCTIVE_WORDS = ("remove", "delete", "archive", "cancel", "hide", "suspend", "reject", "revoke")

# Forms that are one and the same whoever sends them (the account's own settings, the language, the
# searches, the cart and checkout) are fuzzed only by the roles named here; the other roles still send
# them untouched on their way. Fuzzing them again as every role was a third of this test's requests.
SHARED_FORMS = {
    "accounts.": ("guest", "customer"),  # the guest's sign-in and registration, the customer's settings
    "core.set_language": ("guest", "customer"),
    "catalog.search": ("guest",),
    "jobs.listing": ("guest",),
    "orders.": ("guest", "customer", "graduate"),  # a graduate may not buy from their own shop
}

HOSTILE = [
    "",
    " ",
    "x" * 5000,
    "Ünïcödé 🛒🔥 ｆｕｌｌ　ｗｉｄｔｈ ٣ \u202e",
    "a\x00b",
    "-1",
    "0",
    "2147483648",                  # one more than a PostgreSQL integer holds
    "999999999999",
    "99999999999999999999",
    "-99999999999999999999",
    "1e309",
    "2.5",
    "NaN",
    "abc",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "//evil.example/x",
    "../../etc/passwd",
    "9999-12-31",
    "2026-13-45",
]
QUERY_PARAMS = ["page", "cursor", "q", "sort", "min", "max", "kategori", "kota", "next", "before"]
PATH_VALUES = {"int": ["0", "2147483648", "99999999999999999999"], "str": ["a\x00b", "x" * 300, "🛒", "' OR 1=1 --"]}

# Values a person would type, so that the untouched submission gets past "this field is required".
PLAUSIBLE = {
    "email": "fuzz@example.com", "phone": "081234567890", "whatsapp": "081234567890", "postal_code": "68416",
    "name": "Uji Coba", "recipient": "Uji Coba", "title": "Barang Uji", "city": "Banyuwangi",
    "street": "Jl. Gajah Mada No. 5", "kelurahan": "Tukangkayu", "kecamatan": "Banyuwangi",
    "institution": "Lembaga Uji", "organisation": "PT Uji", "reason": "Alasan uji", "started_on": "2026-01-05",
    "price_idr": "25000", "stock": "5", "quantity": "1", "amount_idr": "1000", "reference": "TRF-1",
}


@dataclass
class Field:
    name: str
    kind: str                  # text, number, hidden, checkbox, radio, select, textarea, file, submit, password...
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: list[Field]

    def names(self) -> list[str]:
        return list(dict.fromkeys(f.name for f in self.fields if f.kind not in ("file", "submit")))

    def file_names(self) -> list[str]:
        return list(dict.fromkeys(f.name for f in self.fields if f.kind == "file"))

    def defaults(self) -> MultiDict:
        """What a browser would send untouched, with plausible values in empty required-looking fields."""
        data = MultiDict()
        radios_done: set[str] = set()
        submit_done = False
        for f in self.fields:
            if f.kind == "file":
                continue
            if f.kind == "submit":
                if not submit_done:
                    data.add(f.name, f.value)
                    submit_done = True
                continue
            if f.kind == "checkbox":
                if f.checked:
                    data.add(f.name, f.value or "y")
                continue
            if f.kind == "radio":
                group = [g for g in self.fields if g.name == f.name and g.kind == "radio"]
                if f.name not in radios_done:
                    chosen = next((g for g in group if g.checked), group[0])
                    data.add(f.name, chosen.value)
                    radios_done.add(f.name)
                continue
            if f.kind == "select":
                data.add(f.name, f.value if f.value else next((o for o in f.options if o), ""))
                continue
            value = f.value
            if not value and f.kind not in ("password",):
                value = PLAUSIBLE.get(f.name, "1" if f.kind == "number" else ("Uji" if f.kind != "hidden" else ""))
            data.add(f.name, value)
        return data


class PageParser(HTMLParser):
    """Links and forms of one page (the standard library parser: no extra dependency)."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._by_id: dict[str, Form] = {}
        self._detached: list[tuple[str, Field]] = []  # <input form="id"> outside its form

    def parse(self, html: str) -> PageParser:
        self.feed(html)
        self.close()
        for form_id, f in self._detached:
            if form_id in self._by_id:
                self._by_id[form_id].fields.append(f)
        return self

    def _add(self, a: dict, f: Field) -> Field:
        if a.get("form"):
            self._detached.append((a["form"], f))
        elif self._form is not None:
            self._form.fields.append(f)
        return f

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            action = urljoin(self.page, a.get("action") or self.page)
            self._form = Form(self.page, action, (a.get("method") or "get").upper(), [])
            self.forms.append(self._form)
            if a.get("id"):
                self._by_id[a["id"]] = self._form
        elif (self._form is None and not a.get("form")) or not a.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("reset", "button", "image"):
                return
            self._add(a, Field(a["name"], kind, a.get("value", ""), "checked" in a))
        elif tag == "button":
            if (a.get("type") or "submit").lower() == "submit":
                self._add(a, Field(a["name"], "submit", a.get("value", "")))
        elif tag == "select":
            self._select = self._add(a, Field(a["name"], "select"))
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif tag == "textarea":
            self._textarea = self._add(a, Field(a["name"], "textarea"))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class ExceptionLog(logging.Handler):
    """The app logs every unhandled error before answering 500: keep the last line for the report."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.last: str = ""

    def emit(self, record):
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            tb, where = record.exc_info[2], ""
            while tb is not None:  # the deepest frame of our own code says where to look
                filename = tb.tb_frame.f_code.co_filename
                if "/marketplace/" in filename and "/site-packages/" not in filename:
                    where = f"marketplace/{filename.rsplit('/marketplace/', 1)[-1]}:{tb.tb_lineno}"
                tb = tb.tb_next
            self.last = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''} at {where}"


def _names(name: str, endpoint: str) -> bool:
    """A ``SHARED_FORMS`` key names an endpoint, or with a final dot every endpoint of a blueprint."""
    return endpoint == name or (name.endswith(".") and endpoint.startswith(name))


def _fuzzed_by_other_roles(endpoint: str, role: str | None) -> bool:
    for name, roles in SHARED_FORMS.items():
        if _names(name, endpoint):
            return role not in roles
    return False


class Fuzzer:
    def __init__(self, app, client, sign_in, user, role: str | None = None):
        """``role``: whose walk this is; forms of ``SHARED_FORMS`` are fuzzed in their roles' walks only
        (None fuzzes every form)."""
        self.app, self.client, self.sign_in, self.user, self.role = app, client, sign_in, user, role
        self.rng = random.Random(1234)
        self.adapter = app.url_map.bind("localhost")
        self.failures: list[str] = []
        self.visited: set[str] = set()
        self.pages_per_endpoint: dict[str, int] = {}
        self.first_url: dict[str, str] = {}          # endpoint -> a page that answered 200
        self.params_seen: dict[str, set[str]] = {}   # endpoint -> query names its links use
        self.forms: dict[tuple, Form] = {}
        self.queue: deque[tuple[str, bool]] = deque()
        self.fetched = 0
        self.requests = 0
        self.log = ExceptionLog()

    # --- requests -------------------------------------------------------------------------------
    def request(self, method: str, url: str, data=None, query=None) -> TestResponse | None:
        self.requests += 1
        self.log.last = ""
        try:
            response = self.client.open(url, method=method, data=data, query_string=query)
        except Exception as exc:  # an error inside the error page itself escapes the app
            self._fail(method, url, data or query, f"raised {type(exc).__name__}: {exc}"[:300])
            return None
        if method != "GET" and self.user is not None:
            self.sign_in(self.user)  # a changed password or a rotated session must not end the walk
        if response.status_code >= 500:
            self._fail(method, url, data or query, f"{response.status_code} {self.log.last}")
        elif response.status_code in (301, 302, 303, 307, 308):
            self._enqueue(urljoin(url, response.headers.get("Location", "")), again=method != "GET")
        return response

    def _fail(self, method, url, data, outcome):
        self.failures.append(f"{method} {url} {_summary(data)} -> {outcome}")

    # --- crawling -------------------------------------------------------------------------------
    def endpoint(self, url: str, method: str = "GET") -> str | None:
        parts = urlsplit(url)
        try:
            endpoint, _ = self.adapter.match(parts.path, method=method)
        except RequestRedirect as redirect:
            return self.endpoint(redirect.new_url, method)
        except HTTPException:
            return None
        return endpoint

    def _enqueue(self, url: str, again: bool = False) -> None:
        """``again``: the page follows a change (an item put in the cart), so a visited URL may differ now."""
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
            return
        if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.endswith(".xml"):
            return
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        endpoint = self.endpoint(local)
        if endpoint is None:
            return
        if parts.query:
            self.params_seen.setdefault(endpoint, set()).update(k for k, _ in parse_qsl(parts.query))
        if local in self.visited and not (again and local not in self.queue_urls()):
            return
        self.visited.add(local)
        self.queue.append((local, again))

    def queue_urls(self) -> set[str]:
        return {url for url, _ in self.queue}

    def crawl(self) -> None:
        while self.queue and self.fetched < PAGE_BUDGET:
            url, again = self.queue.popleft()
            endpoint = self.endpoint(url)
            if self.pages_per_endpoint.get(endpoint, 0) >= PAGES_PER_ENDPOINT:
                continue
            self.pages_per_endpoint[endpoint] = self.pages_per_endpoint.get(endpoint, 0) + 1
            self.fetched += 1
            response = self.request("GET", url)
            if response is None or response.status_code != 200 or "html" not in response.content_type:
                continue
            self.first_url.setdefault(endpoint, url)
            parser = PageParser(url).parse(response.get_data(as_text=True))
            for link in parser.links:
                self._enqueue(link, again)
            for form in parser.forms:
                self._record(form)

    def _record(self, form: Form) -> None:
        path = urlsplit(form.action).path
        if path.startswith(SKIPPED_PREFIXES):
            return
        key = (form.method, self.endpoint(path, form.method) or path, tuple(sorted(form.names())))
        if key in self.forms:
            return
        self.forms[key] = form
        if not _destructive(form):
            self.submit(form, form.defaults())  # the untouched form first: it leads to the next pages

    # --- fuzzing --------------------------------------------------------------------------------
    def submit(self, form: Form, data: MultiDict) -> None:
        url = urlsplit(form.action)
        target = url.path + (f"?{url.query}" if url.query else "")
        if form.method == "GET":
            self.request("GET", url.path, query=_merge_query(url.query, data))
        else:
            self.request("POST", target, data=data)

    def fuzz_form(self, form: Form) -> None:
        names = form.names()
        base = form.defaults()
        for value in HOSTILE:                                      # every field the same hostile value
            self.submit(form, MultiDict([(n, value) for n in names]))
        for name in self.rng.sample(names, min(len(names), FIELDS_MUTATED_ONE_BY_ONE)):
            for value in self.rng.sample(HOSTILE, 2):              # one field hostile, the rest plausible
                data = MultiDict(base)
                data.setlist(name, [value])
                self.submit(form, data)
        doubled = MultiDict(base)                                  # every field twice
        for n in names:
            doubled.add(n, self.rng.choice(HOSTILE))
        self.submit(form, doubled)
        self.submit(form, MultiDict())                             # nothing at all
        if names:
            missing = MultiDict(base)
            missing.poplist(self.rng.choice(names))
            self.submit(form, missing)
        if form.file_names() and form.method == "POST":            # a "photo" that is no image
            data = MultiDict(base)
            for n in form.file_names():
                data.add(n, (io.BytesIO(b"GIF89a not really an image \x00\xff" * 10), "foto.jpg"))
            self.submit(form, data)

    def fuzz_query_and_path(self) -> None:
        for endpoint, url in sorted(self.first_url.items()):
            path = urlsplit(url).path
            seen = sorted(self.params_seen.get(endpoint, set()))
            for value in self.rng.sample(HOSTILE, 5):              # every parameter at once
                self.request("GET", path, query={p: value for p in sorted(set(QUERY_PARAMS) | set(seen))})
            for p in seen:                                         # the ones its links use, one at a time
                for value in self.rng.sample(HOSTILE, 2):
                    self.request("GET", path, query={p: value})
            self.request("GET", path, query="q=%ff%fe&page=%ff&kategori=%00")  # bytes that are no UTF-8
            self._fuzz_path(path)

    def _fuzz_path(self, path: str) -> None:
        rule, args = self.adapter.match(path, method="GET", return_rule=True)
        for name, converter in rule._converters.items():
            kind = "int" if isinstance(converter, IntegerConverter) else "str"
            for value in PATH_VALUES[kind]:
                with self.app.test_request_context():
                    if kind == "int":  # url_for refuses what the converter would not match: swap it in
                        target = url_for(rule.endpoint, **{**args, name: 424242}).replace("424242", value)
                    else:
                        target = url_for(rule.endpoint, **{**args, name: value})
                self.request("GET", target)

    def run(self, start: list[str]) -> None:
        self.app.logger.addHandler(self.log)
        try:
            for url in start:
                self._enqueue(url)
            fuzzed: set[tuple] = set()
            for _ in range(2):  # hostile submissions redirect to new pages, which bring new forms
                self.crawl()
                for key in sorted(self.forms, key=lambda k: _destructive(self.forms[k])):
                    if key in fuzzed:
                        continue
                    fuzzed.add(key)
                    if self.role is None or not _fuzzed_by_other_roles(key[1], self.role):
                        self.fuzz_form(self.forms[key])
            self.fuzz_query_and_path()
        finally:
            self.app.logger.removeHandler(self.log)


def _destructive(form: Form) -> bool:
    return any(word in urlsplit(form.action).path for word in DESTRUCTIVE_WORDS)


def _merge_query(query: str, data: MultiDict) -> MultiDict:
    merged = MultiDict(parse_qsl(query))
    for key, value in data.items(multi=True):
        merged.add(key, value)
    return merged


def _summary(data) -> str:
    if not data:
        return "{}"
    if isinstance(data, bytes):
        return repr(data)
    items = data.items(multi=True) if isinstance(data, MultiDict) else data.items()
    shown = []
    for key, value in items:
        if isinstance(value, tuple):
            value = f"<file {value[1]}>"
        text = repr(value)
        shown.append(f"{key}={text[:28] + '…' if len(text) > 30 else text}")
    return "{" + ", ".join(shown) + "}"


@pytest.fixture(scope="module")
def demo_world(app):
    """The demo world, seeded and committed once for this module (seeding costs seconds of CPU, most
    of it encoding photos); each role's test runs in a transaction of its own over it and is rolled back
    (tests/conftest.py), so no role's fuzzing reaches the next one."""
    from marketplace import demo

    with app.app_context():
        demo.seed()
        db.session.commit()
        db.session.remove()
    yield
    with app.app_context():
        empty_tables()


@pytest.mark.long(3)
@pytest.mark.parametrize("role", list(ROLES))
def test_no_input_makes_the_site_answer_500(app, demo_world, client, login_as, role):
    from marketplace.catalog import pagecache

    pagecache.PAGES.clear()
    email, start = ROLES[role]
    user = None
    if email:
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        login_as(user)

    fuzzer = Fuzzer(app, client, login_as, user, role)
    fuzzer.run(start)

    assert fuzzer.fetched > 5, f"the crawler reached only {fuzzer.fetched} pages"
    assert fuzzer.failures == [], (
        f"{len(fuzzer.failures)} of {fuzzer.requests} requests as {role} answered 500:\n"
        + "\n".join(dict.fromkeys(fuzzer.failures)))


def test_each_shared_form_is_fuzzed_in_a_role_that_exists(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    for name, roles in SHARED_FORMS.items():
        assert set(roles) <= set(ROLES), name
        assert any(_names(name, endpoint) for endpoint in endpoints), name
