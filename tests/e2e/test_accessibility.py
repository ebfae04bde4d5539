"""An automated accessibility audit: axe-core (tests/e2e/axe.py) checks each role's pages against WCAG
2.1 A and AA, on a desktop screen and in English where a person may choose it. Each test walks one
person's pages in one browser page and fails listing every violation: rule, impact, the elements (CSS
selectors) and the page it was found on. The pages on a phone are audited by tests/e2e/test_phone_layout.py
as it measures them.
"""
from __future__ import annotations

import re

import pytest

from tests.e2e.axe import Audit, assert_no_violations
from tests.e2e.conftest import link_in_outbox, open_refused, sign_in, sign_in_with_the_form

pytestmark = pytest.mark.e2e


DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}

# The header on a desktop (1024 px and wider): the links beside the brand, in two rows at most, for the
# staff's dozen links too (they took three rows under it, 160 px).
HEADER_AT_MOST = 120  # px

PRODUCT_URL = "/toko/kopi-ijen-bayu/drip-bag-arabika-isi-10"
STOREFRONT_URL = "/toko/kopi-ijen-bayu"


@pytest.fixture
def audit(new_page):
    """``audit(viewport=..., language=..., email=...)``: a fresh person (browser context) to audit pages
    as, signed in when ``email`` is given; a CSP violation or JavaScript error on the way fails the
    test too (``new_page``)."""

    def person(viewport=DESKTOP, language: str | None = None, email: str | None = None) -> Audit:
        someone = Audit(new_page(viewport=viewport, language=language))
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
    assert seller.page.locator("header.site-header").bounding_box()["height"] <= HEADER_AT_MOST
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
    for width in (1280, 1024):
        staff.page.set_viewport_size({"width": width, "height": 768})
        assert staff.page.locator("header.site-header").bounding_box()["height"] <= HEADER_AT_MOST, width
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
    sign_in_with_the_form(partner.page, "hendra@cvmakmur.example.com", "Tape-Singkong-Manis-8")
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
