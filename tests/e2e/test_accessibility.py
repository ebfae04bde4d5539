"""An automated accessibility audit: axe-core checks each role's key pages against WCAG 2.1 A and AA.

axe-core comes from the npm registry at the version pinned in the Makefile (`make axe`, run by
`make test-e2e`); the tests inject it into each page they audit, the site never loads it. Each test
walks one person's pages in one browser page and fails listing every violation: rule, impact, the
elements (CSS selectors) and the page it was found on.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import expect_refusal, link_in_outbox, open_refused, sign_in

pytestmark = pytest.mark.e2e


def _axe_core_js() -> Path:
    """Where `make axe` put the pinned axe-core (the Makefile's AXE_CORE_VERSION), unless
    AXE_CORE_JS says otherwise."""
    if os.environ.get("AXE_CORE_JS"):
        return Path(os.environ["AXE_CORE_JS"])
    root = Path(__file__).resolve().parents[2]
    version = re.search(r"^AXE_CORE_VERSION := (\S+)$", (root / "Makefile").read_text(), re.M).group(1)
    return root / ".venv" / f"axe-core-{version}" / "node_modules" / "axe-core" / "axe.min.js"


AXE_CORE_JS = _axe_core_js()

# WCAG 2.1 A and AA, and axe's best practices (landmarks, heading order, empty table headers ...).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    # Off by default since WCAG 2.2 dropped 4.1.1, but two controls sharing an id still confuse
    # labels and keyboard users, and ids must be unique on a page (hidden CSRF inputs carry none).
    "rules": {"duplicate-id-active": {"enabled": True}, "duplicate-id": {"enabled": True}},
}
# Rules axe reports as "needs review" rather than failed; for these a finding is a failure here. An id
# shared by two elements where a label or an aria-* attribute points to it sends that pointer to the
# wrong one.
FAIL_ON_REVIEW = ["duplicate-id-aria"]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}

PRODUCT_URL = "/toko/kopi-ijen-bayu/drip-bag-arabika-isi-10"
STOREFRONT_URL = "/toko/kopi-ijen-bayu"


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_CORE_JS.is_file():
        pytest.fail(f"axe-core is missing at {AXE_CORE_JS}: run `make axe` (or `make test-e2e`)")
    return AXE_CORE_JS.read_text(encoding="utf-8")


class Audit:
    """One person's browser page; ``check(path)`` opens a page and runs axe on it."""

    def __init__(self, page, axe_source: str):
        self.page = page
        self.axe_source = axe_source
        self.findings: list[str] = []
        self.audited: list[str] = []

    def open(self, path: str) -> None:
        response = self.page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"

    def check_each(self, *paths: str) -> None:
        for path in paths:
            self.check(path)

    def follow(self, selector: str, label: str) -> None:
        """Audit the page behind the first link matching ``selector``."""
        self.page.locator(selector).first.click()
        self.page.wait_for_load_state()
        self.check(None, label)

    def submit_invalid(self, form: str, label: str) -> None:
        """Send ``form`` as it is and audit the page it comes back on with its errors (400, or 401 for
        a refused sign-in)."""
        expect_refusal(self.page, urlsplit(self.page.url).path)
        self.page.click(f"{form} button[type=submit]")
        self.page.wait_for_load_state()
        self.check(None, label)

    def check(self, path: str | None = None, label: str | None = None) -> None:
        """Audit ``path`` (or the page already open when ``path`` is None)."""
        if path is not None:
            self.open(path)
        url = urlsplit(self.page.url)
        where = label or url.path + (f"?{url.query}" if url.query else "")
        # axe skips what is hidden: open the folded panels so that what they hold is audited too.
        self.page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        # Through the DevTools protocol, so the page's CSP (script-src 'self') does not block it.
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(self.axe_source)
        result = self.page.evaluate(
            """async ([options, failOnReview]) => {
                const result = await axe.run(document, {...options, resultTypes: ["violations"]});
                const found = result.violations.concat(
                    result.incomplete.filter(r => failOnReview.includes(r.id)));
                return {
                    rulesPassed: result.passes.length,
                    violations: found.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        targets: v.nodes.map(n => n.target.join(" ")),
                    })),
                };
            }""", [AXE_OPTIONS, FAIL_ON_REVIEW])
        assert result["rulesPassed"] > 10, f"axe checked next to nothing on {where}"
        self.audited.append(where)
        for v in result["violations"]:
            shown = v["targets"][:8]
            more = f" (+{len(v['targets']) - len(shown)} more)" if len(v["targets"]) > len(shown) else ""
            self.findings.append(f"{where}: {v['id']} [{v['impact']}] {v['help']} -> {', '.join(shown)}{more}")


def assert_no_violations(*people: Audit) -> None:
    assert all(person.audited for person in people), "someone audited no page"
    findings = [finding for person in people for finding in person.findings]
    if findings:
        report = "\n".join(findings)
        pytest.fail(f"axe found {len(findings)} violation(s):\n{report}", pytrace=False)


@pytest.fixture
def audit(new_page, axe_source):
    """``audit(viewport=..., language=..., email=...)``: a fresh person (browser context) to audit pages
    as, signed in when ``email`` is given; a CSP violation or JavaScript error on the way fails the
    test too (``new_page``)."""

    def person(viewport=DESKTOP, language: str | None = None, email: str | None = None) -> Audit:
        someone = Audit(new_page(viewport=viewport, language=language), axe_source)
        if email:
            sign_in(someone.page, email)
        return someone

    return person


def test_guest_pages_in_indonesian(audit):
    guest = audit()
    guest.check_each("/", "/kategori/makanan-minuman")
    guest.check("/cari?q=kopi", "search with results")
    guest.check("/cari?q=zzzxqyw", "search without results")
    guest.check_each(STOREFRONT_URL, PRODUCT_URL, "/tentang")
    guest.check("/cart", "empty cart")
    guest.check_each("/account/login", "/account/register", "/account/register/partner",
                     "/account/password/forgot")
    assert open_refused(guest.page, "/toko/no-such-shop") == 404
    guest.check(None, "404 page")
    assert_no_violations(guest)


def test_guest_pages_in_english(audit):
    guest = audit(language="en")
    guest.check("/")
    assert guest.page.locator("html").get_attribute("lang") == "en"
    guest.check("/cari?q=coffee", "search in English")
    guest.check_each(PRODUCT_URL, "/account/login")
    assert open_refused(guest.page, "/no-such-page") == 404
    guest.check(None, "404 page in English")
    assert_no_violations(guest)


@pytest.mark.parametrize("email, paths", [
    (None, ["/", PRODUCT_URL, "/account/register"]),
    ("pembeli1@pasarbangkit.id", ["/orders", "/account/"]),
    ("sari@pasarbangkit.id", ["/seller/", "/seller/orders", "/seller/earnings"]),
], ids=["guest", "customer", "seller"])
def test_key_pages_on_a_small_phone(audit, email, paths):
    person = audit(viewport=PHONE, email=email)
    person.check_each(*paths)
    assert_no_violations(person)


def test_forms_showing_their_errors(audit):
    guest = audit()
    guest.open("/account/login")
    guest.page.fill("input[name=email]", "nobody@example.com")
    guest.page.fill("input[name=password]", "not-the-password")
    guest.submit_invalid("form:has(input[name=password])", "sign-in refused")
    guest.open("/account/register")
    guest.page.fill("input[name=email]", "not-an-email")
    guest.page.evaluate("document.querySelectorAll('main form [required]').forEach(e => e.removeAttribute('required'))")
    guest.submit_invalid("main form[method=post]", "register with errors")
    assert_no_violations(guest)


def test_password_reset_pages(audit, live_server):
    guest = audit()
    guest.open("/account/password/forgot")
    guest.page.fill("input[name=email]", "pembeli3@pasarbangkit.id")
    guest.page.click("main form[method=post] button[type=submit]")
    guest.page.wait_for_load_state()
    guest.check(None, "reset link sent")
    guest.check(link_in_outbox(live_server, "pembeli3@pasarbangkit.id", "/account/password/reset/"),
                "choose a new password")
    assert_no_violations(guest)


def test_customer_pages_and_checkout_steps(audit):
    customer = audit(email="pembeli3@pasarbangkit.id")
    customer.check_each("/account/", "/account/password", "/account/delete", "/orders")
    customer.follow("main a[href^='/orders/']", "order detail")

    customer.open(PRODUCT_URL)
    customer.page.click("form.add-to-cart button[type=submit]")
    customer.page.wait_for_load_state()
    customer.check("/cart", "cart with a product")
    customer.check("/checkout", "checkout: address and delivery")
    customer.submit_invalid("form.checkout-form", "checkout with errors")
    customer.page.fill("input[name=recipient]", "Sekar Arum")
    customer.page.fill("input[name=phone]", "0812 3456 7891")
    customer.page.fill("input[name=street]", "Jl. Brawijaya No. 3")
    customer.page.fill("input[name=kelurahan]", "Kepatihan")
    customer.page.fill("input[name=kecamatan]", "Banyuwangi")
    customer.page.fill("input[name=city]", "Banyuwangi")
    customer.page.select_option("select[name=province]", "Jawa Timur")
    customer.page.fill("input[name=postal_code]", "68411")
    for group in customer.page.locator("fieldset:has(input[name^=delivery_])").all():
        group.locator("input[type=radio]").first.check()
    customer.page.check("input[name=payment_method][value=bank_transfer]")
    customer.page.click("form.checkout-form button[type=submit]")
    customer.page.wait_for_url(re.compile(r"/checkout/review"))
    customer.check(None, "checkout: review")
    customer.page.click("form[action='/checkout/review'] button[type=submit]")
    customer.page.wait_for_load_state()
    customer.check(None, "order placed: how to pay")
    assert open_refused(customer.page, "/seller/") == 403
    customer.check(None, "403 page")
    assert_no_violations(customer)


def test_seller_pages(audit):
    seller = audit(email="sari@pasarbangkit.id")
    seller.check_each("/seller/", "/seller/products/new")
    seller.submit_invalid("form.narrow-form", "product form with errors")
    seller.open("/seller/")
    seller.follow("main a[href^='/seller/products/']:not([href$='/new'])", "product form (edit)")
    seller.check_each("/seller/storefront", "/seller/orders")
    seller.follow("main a[href^='/seller/orders/']", "order part")
    seller.check_each("/seller/orders/sales", "/seller/orders/delivery", "/seller/earnings", "/seller/preview")
    assert_no_violations(seller)


def test_staff_pages(audit):
    staff = audit(email="staf@lrppn-banyuwangi.id")
    staff.check_each("/staff/", "/staff/partners", "/staff/moderation/", "/staff/payouts",
                     "/staff/payouts/awaiting-payment", "/staff/payouts/refunds")
    staff.open("/staff/payouts")
    staff.follow("main a[href^='/staff/payouts/']:not([href$='awaiting-payment']):not([href$='/refunds'])",
                 "payouts of one business")
    staff.open("/staff/")
    staff.follow("main a[href^='/staff/people/']", "a person's page")
    assert_no_violations(staff)


def test_admin_pages_in_english(audit):
    admin = audit(email="admin@pasarbangkit.id")
    admin.check("/admin/", "admin home in Indonesian")
    admin.page.select_option("form.language-switch select[name=language]", "en")
    admin.page.click("form.language-switch button[type=submit]")
    admin.page.wait_for_load_state()
    assert admin.page.locator("html").get_attribute("lang") == "en"
    admin.check_each("/admin/", "/admin/outbox")
    admin.follow("main a[href^='/admin/outbox/']", "an outbox message")
    admin.check("/staff/", "staff area as admin")
    admin.check("/account/")
    assert_no_violations(admin)


def register(person: Audit, path: str, password: str, **fields: str) -> None:
    person.open(path)
    for name, value in {**fields, "password": password, "confirm": password}.items():
        person.page.fill(f"input[name={name}]", value)
    person.page.click("main form[method=post] button[type=submit]")
    person.page.wait_for_load_state()


def test_registration_and_emailed_link_pages(audit, live_server):
    guest = audit()
    register(guest, "/account/register", name="Wulan Sari", email="wulan.sari@example.com",
             password="Rujak-Soto-Osing-31")
    guest.check(None, "check your email")
    guest.check(link_in_outbox(live_server, "wulan.sari@example.com", "/account/verify/"), "address confirmed")
    assert open_refused(guest.page, "/account/verify/not-a-real-token") == 400
    guest.check(None, "a broken emailed link")

    partner = audit()
    register(partner, "/account/register/partner", name="Hendra Gunawan", organisation="CV Makmur Jaya",
             email="hendra@cvmakmur.example.com", password="Tape-Singkong-Manis-8")
    partner.page.goto(link_in_outbox(live_server, "hendra@cvmakmur.example.com", "/account/verify/"))
    sign_in(partner.page, "hendra@cvmakmur.example.com", "Tape-Singkong-Manis-8")
    partner.check(None, "partner awaiting approval")

    staff = audit(email="staf@lrppn-banyuwangi.id")
    staff.check("/staff/partners", "partners waiting for approval")
    assert_no_violations(guest, partner, staff)


def test_an_invited_graduate_s_first_pages(audit, live_server):
    staff = audit(email="staf@lrppn-banyuwangi.id")
    staff.open("/staff/")
    invite = staff.page.locator("form[action^='/staff/invitations']")
    invite.locator("select[name=role]").select_option("graduate")
    invite.locator("input[name=name]").fill("Nyoman Arta")
    invite.locator("input[name=email]").fill("nyoman.arta@example.com")
    cohort = invite.locator("select[name=cohort_id] option:not([value='0'])").first.get_attribute("value")
    invite.locator("select[name=cohort_id]").select_option(cohort)
    invite.locator("button[type=submit]").click()
    staff.page.wait_for_url(re.compile(r"/staff/?$"))
    staff.check(None, "staff home after inviting")

    graduate = audit(viewport=PHONE)
    graduate.check(link_in_outbox(live_server, "nyoman.arta@example.com", "/account/invitation/"),
                   "accept an invitation")
    graduate.page.fill("input[name=password]", "Gandrung-Sewu-2026")
    graduate.page.fill("input[name=confirm]", "Gandrung-Sewu-2026")
    graduate.page.click("main form[method=post] button[type=submit]")
    graduate.page.wait_for_load_state()
    graduate.check("/seller/", "a new seller's welcome")
    graduate.check("/seller/storefront", "a new storefront form")
    graduate.submit_invalid("form.narrow-form", "storefront form with errors")
    assert_no_violations(staff, graduate)


def test_mentoring_pages_on_a_phone_in_indonesian(audit):
    """The mentor's dashboard, a mentee's page (their business's sales, goals, check-ins) and the check-in
    form with its errors; the graduate's own page; the program staff's mentoring pages and impact report."""
    mentor = audit(viewport=PHONE, email="mentor1@pasarbangkit.id")
    mentor.check("/mentoring/", "mentor's dashboard")
    assert mentor.page.locator("html").get_attribute("lang") == "id"
    mentor.follow("main table a[href^='/mentoring/mentees/']", "a mentee's page (their business)")
    mentee = urlsplit(mentor.page.url).path
    mentor.check(f"{mentee}/check-ins/new", "check-in form")
    mentor.submit_invalid("main form[method=post]", "check-in form with errors")

    graduate = audit(viewport=PHONE, email="sari@pasarbangkit.id")
    graduate.check("/mentoring/me", "graduate's own progress")

    staff = audit(viewport=PHONE, email="staf@lrppn-banyuwangi.id")
    staff.check("/mentoring/staff", "staff: mentors and graduates")
    staff.follow("main a[href^='/mentoring/mentees/']:not([href*='/check-ins'])", "staff: a graduate's record")
    staff.follow("main a[href$='/notes']", "staff: a graduate's check-in notes")
    staff.check("/mentoring/staff/impact", "staff: impact report")
    assert_no_violations(mentor, graduate, staff)
