"""A small HTML-form client over ``requests`` for the stack's journeys (the scale-out test, the backup test,
the load and fault benchmarks). It drives the site as a browser without JavaScript would: reads the forms
of a page (CSRF token included) and submits them, so it follows the site's pages rather than its code.

``Visitor(session, bases)`` sends each request to the next base URL in turn: with the two app servers as
bases, consecutive requests alternate between them. ``session`` may be a ``requests.Session`` or Locust's
``HttpSession`` (then ``name=`` groups the statistics by page).
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

BENCH_PASSWORD = "bench-password-2026"  # bench/data.py

ADDRESS = {"recipient": "Pembeli Uji", "phone": "0812 3456 7890", "street": "Jl. Ahmad Yani No. 12",
           "kelurahan": "Penganjuran", "kecamatan": "Banyuwangi", "city": "Banyuwangi",
           "province": "Jawa Timur", "postal_code": "68416"}


@dataclass
class Form:
    action: str
    method: str
    attrs: dict
    fields: dict[str, str] = field(default_factory=dict)        # what the browser would send as is
    choices: dict[str, list[str]] = field(default_factory=dict)  # radio and select options per name

    def values(self, **overrides) -> dict[str, str]:
        data = dict(self.fields)
        for name, options in self.choices.items():
            if name not in data and options:
                data[name] = options[0]
        data.update(overrides)
        return data


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower(), a))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind == "radio":
                form.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.fields[name] = a.get("value", "on")
            elif kind == "checkbox":
                if "checked" in a:
                    form.fields[name] = a.get("value", "y")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                form.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            form.choices.setdefault(name, [])
        elif tag == "option" and self._select and "disabled" not in a:
            form.choices[self._select].append(a.get("value", ""))
            if "selected" in a:
                form.fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            form.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


class JourneyError(AssertionError):
    """A page did not answer as a customer or seller would expect; ``response`` is that answer."""

    def __init__(self, message: str, response=None) -> None:
        super().__init__(message)
        self.response = response


def what_it_said(response) -> str:
    """The message a person would read on an error answer: the flashed error, else the page's heading."""
    if response is None:
        return ""
    text = response.text if "html" in response.headers.get("Content-Type", "") else ""
    for pattern in (r'class="flash flash-error"[^>]*>(.*?)</p>', r"<h1[^>]*>\s*(.*?)\s*</h1>",
                    r"<title>\s*(.*?)\s*</title>"):
        match = re.search(pattern, text, re.S)
        if match:
            return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1)))[:160]
    return (response.text or "")[:80].strip()


class Visitor:
    def __init__(self, session, bases: list[str], forwarded_for: str | None = None) -> None:
        self.session = session
        self.bases = [b.rstrip("/") for b in bases]
        self.turn = 0
        self.headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        self.servers_used: list[str] = []
        # Locust's HttpSession takes name= (statistics per page); requests' Session does not.
        self.named = "name" in inspect.signature(session.request).parameters

    def _url(self, path: str) -> str:
        if path.startswith("http"):
            path = urlsplit(path)._replace(scheme="", netloc="").geturl()
        base = self.bases[self.turn % len(self.bases)]
        self.turn += 1
        self.servers_used.append(base)
        return base + path

    def get(self, path: str, name: str | None = None, expect: tuple[int, ...] = (200,), **kwargs):
        response = self.session.get(self._url(path), headers=self.headers, allow_redirects=False,
                                    **({"name": name} if name and self.named else {}), **kwargs)
        return self._check(response, expect, "GET " + path)

    def post(self, path: str, data: dict, name: str | None = None, expect: tuple[int, ...] = (302, 303),
             files=None, **kwargs):
        response = self.session.post(self._url(path), data=data, files=files, headers=self.headers,
                                     allow_redirects=False, **({"name": name} if name and self.named else {}),
                                     **kwargs)
        return self._check(response, expect, "POST " + path)

    def follow(self, response, name: str | None = None, expect: tuple[int, ...] = (200,)):
        """GET the page a redirect points at (from the other server, as the next request)."""
        location = response.headers["Location"]
        return self.get(urljoin("/", urlsplit(location).path + (("?" + urlsplit(location).query)
                                                                if urlsplit(location).query else "")),
                        name=name, expect=expect)

    @staticmethod
    def _check(response, expect, what):
        if expect and response.status_code not in expect:
            raise JourneyError(f"{what} answered {response.status_code}: {what_it_said(response)!r}", response)
        return response

    def form(self, response, predicate) -> Form:
        for candidate in forms(response.text):
            if predicate(candidate):
                return candidate
        raise JourneyError(f"no such form on {response.url}")

    # Steps ----------------------------------------------------------------------------------------

    def sign_in(self, email: str, password: str = BENCH_PASSWORD, expect=(302, 303)):
        page = self.get("/account/login", name="/account/login")
        form = self.form(page, lambda f: "password" in f.fields)
        return self.post("/account/login", form.values(email=email, password=password), name="/account/login [POST]",
                         expect=expect)

    def add_to_cart(self, product_path: str, quantity: int = 1):
        page = self.get(product_path, name="/toko/[shop]/[product]")
        form = self.form(page, lambda f: f.action.endswith("/cart/add"))
        return self.post("/cart/add", form.values(quantity=str(quantity)), name="/cart/add")

    def check_out_by_bank_transfer(self) -> str:
        """From the cart to a placed order; returns the order's public id."""
        page = self.get("/checkout", name="/checkout")
        form = self.form(page, lambda f: "postal_code" in f.fields or "postal_code" in f.choices)
        self.post("/checkout", form.values(**ADDRESS, payment_method="bank_transfer"), name="/checkout [POST]")
        review = self.get("/checkout/review", name="/checkout/review")
        form = self.form(review, lambda f: f.action.endswith("/checkout/review"))
        placed = self.post("/checkout/review", form.values(), name="/checkout/review [POST]")
        match = re.search(r"/pay/([^/?#]+)", placed.headers.get("Location", ""))
        if not match:
            raise JourneyError(f"placing the order led to {placed.headers.get('Location')!r}, not a payment page")
        return match.group(1)

    def confirm_bank_transfers(self, limit: int = 5) -> int:
        """As program staff: record the exact amount (kode unik included) of transfers waiting to be
        confirmed, as the bank statement would show it (the ledger credits their sellers)."""
        page = self.get("/staff/payouts/awaiting-payment", name="/staff/payouts/awaiting-payment")
        waiting = re.findall(r'data-to-transfer="(\d+)".*?action="(/staff/payouts/orders/\d+/transfer)"', page.text,
                             re.DOTALL)[:limit]
        by_action = {form.action: form for form in forms(page.text)}
        confirmed = 0
        for amount, action in waiting:
            form = by_action.get(action)
            if form is not None:
                self.post(action, form.values(amount_idr=amount), name="/staff/payouts/orders/[order]/transfer")
                confirmed += 1
        return confirmed

    def shop_slug(self) -> str:
        """As a seller: the web address of their storefront."""
        page = self.get("/seller/storefront", name="/seller/storefront")
        return self.form(page, lambda f: "slug" in f.fields).fields["slug"]


def product_paths(html: str) -> list[str]:
    """Links to product pages on a catalog page."""
    return list(dict.fromkeys(re.findall(r'href="(/toko/[^"/]+/[^"/?#]+)"', html)))
