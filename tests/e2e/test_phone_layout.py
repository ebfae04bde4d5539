"""Each role's main pages and forms on a cheap phone (360 x 740), in Indonesian: nothing wider than the
screen, every control a thumb taps at least 44 px high, and the month labels under a chart's bars
readable (they overlapped at 12 bars)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import expect_refusal, sign_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
TAP = 44

# What a thumb taps: buttons, fields, disclosure triangles, a checkbox's words, and links that stand
# on their own (navigation, back links, breadcrumbs, actions, lists of people). A link inside a
# sentence is read with its sentence and may be as tall as the line.
TAPPABLE = ", ".join([
    "button", "a.button", "select", "textarea", "summary", "label.checkbox",
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio])",
    ".brand", ".main-nav a", ".actions a", ".actions-row a", ".link-row a", ".link-list a", ".breadcrumbs a", ".tabs a",
])

_TOO_SMALL = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.height < %d - 0.5; })
  .map(e => e.outerHTML.slice(0, 120) + ' h=' + Math.round(e.getBoundingClientRect().height))""" % TAP


def _looks_right_on_a_phone(page, language: str | None = "id") -> None:
    if language:
        assert page.locator("html").get_attribute("lang") == language, page.url
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url
    assert page.evaluate(_TOO_SMALL, TAPPABLE) == [], page.url


def _check(page, *paths: str, language: str | None = "id") -> None:
    for path in paths:
        page.goto(path)
        _looks_right_on_a_phone(page, language)


def _submit_empty(page, form: str) -> None:
    """Submit a form with its fields emptied and the browser's own checks off: the server's errors."""
    page.evaluate("""(form) => { const f = document.querySelector(form); f.noValidate = true;
      f.querySelectorAll('input[type=text], input[type=email], input[type=date], textarea').forEach(e => e.value = ''); }""", form)
    expect_refusal(page, urlsplit(page.locator(form).evaluate("f => f.action")).path)  # answered 400
    with page.expect_navigation():
        page.locator(form).locator("button[type=submit]").last.click()
    assert page.locator(".error, .form-errors").count() > 0, page.url
    _looks_right_on_a_phone(page)


def test_guest_pages_and_forms(new_page):
    guest = new_page(viewport=PHONE)
    _check(guest, "/", "/cari?q=kopi", "/toko/kopi-ijen-bayu", "/toko/kopi-ijen-bayu/drip-bag-arabika-isi-10",
           "/lowongan", "/account/login", "/account/register/partner", "/account/password/forgot")
    guest.goto("/account/register")
    _submit_empty(guest, "main form[method=post]")


_WRAPPED_AMOUNTS = """() => Array.from(document.querySelectorAll('td.amount')).filter(td => {
  const text = document.createRange(); text.selectNodeContents(td);
  return new Set(Array.from(text.getClientRects()).map(r => Math.round(r.top))).size > 1; }).map(td => td.textContent)"""


def test_customer_pages(new_page):
    customer = new_page(viewport=PHONE)
    sign_in(customer, "pembeli1@pasarbangkit.id")
    _check(customer, "/account/", "/account/password", "/account/delete", "/cart", "/orders")
    customer.locator("main a[href^='/orders/']").first.click()
    _looks_right_on_a_phone(customer)
    assert customer.locator("td.amount").count() > 0
    assert customer.evaluate(_WRAPPED_AMOUNTS) == []  # "Rp" and "450.000" on one line


def test_seller_pages_and_product_form(new_page):
    seller = new_page(viewport=PHONE)
    sign_in(seller, "sari@pasarbangkit.id")
    _check(seller, "/seller/", "/seller/storefront", "/seller/earnings", "/seller/orders", "/seller/orders/sales",
           "/seller/orders/delivery", "/kerja/", "/kerja/profil")
    seller.goto("/seller/earnings")
    assert seller.evaluate(_WRAPPED_AMOUNTS) == []
    seller.goto("/seller/products/new")
    _submit_empty(seller, "main form[method=post]")
    seller.goto("/seller/")
    seller.locator(".seller-product a[href^='/seller/products/']").first.click()
    _looks_right_on_a_phone(seller)


def test_mentor_pages_and_a_chart_s_month_labels(new_page):
    mentor = new_page(viewport=PHONE)
    sign_in(mentor, "mentor1@pasarbangkit.id")
    _check(mentor, "/mentoring/")
    mentor.locator("main table a[href^='/mentoring/mentees/']").first.click()
    _looks_right_on_a_phone(mentor)
    labels = mentor.locator("figure.chart").first.locator("svg text.chart-label:not(.chart-year)")
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count() - 1)]  # the last one is "max ..."
    assert len(boxes) == 12
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left["x"] + left["width"] <= right["x"], (left, right)
    mentee = urlsplit(mentor.url).path
    mentor.goto(f"{mentee}/check-ins/new")
    _looks_right_on_a_phone(mentor)
    _submit_empty(mentor, "main form[method=post]")


def test_partner_pages_and_vacancy_form(new_page):
    partner = new_page(viewport=PHONE)
    sign_in(partner, "mitra1@pasarbangkit.id")
    _check(partner, "/mitra/profil", "/mitra/tim", "/mitra/")
    partner.locator("main a[href^='/mitra/lowongan/']:not([href$='/baru'])").first.click()
    _looks_right_on_a_phone(partner)
    partner.goto("/mitra/lowongan/baru")
    _submit_empty(partner, "main form[method=post]")


def test_staff_and_admin_pages(new_page):
    staff = new_page(viewport=PHONE)
    sign_in(staff, "staf@lrppn-banyuwangi.id")
    _check(staff, "/staff/", "/staff/partners", "/staff/moderation/", "/staff/jobs/", "/staff/jobs/placements",
           "/staff/jobs/pelatihan", "/mentoring/staff", "/mentoring/staff/impact", "/staff/payouts", "/staff/problems",
           "/staff/payouts/awaiting-payment")
    staff.goto("/staff/moderation/")
    assert staff.locator("main input[name=reason]:visible, main textarea[name=reason]:visible").count() == 0
    staff.locator("main summary", has_text="Sembunyikan produk").first.click()
    assert staff.locator("main input[name=reason]:visible").count() == 1
    staff.goto("/staff/")
    staff.locator("main .link-list a").first.click()
    _looks_right_on_a_phone(staff)
    admin = new_page(viewport=PHONE)
    sign_in(admin, "admin@pasarbangkit.id")
    # The admin's own language may be English (tests/e2e/test_accessibility.py sets it): the layout is checked.
    _check(admin, "/admin/", "/admin/outbox", language=None)
