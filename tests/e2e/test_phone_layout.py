"""Each role's main pages and forms on a cheap phone (360 x 740), in Indonesian: nothing wider than the
screen, every control a thumb taps at least 44 px high, each drop-down wide enough to show its chosen
option, the month labels under a chart's bars readable (they overlapped at 12 bars), and each page
passing the accessibility audit (axe-core, tests/e2e/axe.py) as it is on the phone."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.axe import Audit, assert_no_violations
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

# Chromium draws a drop-down's arrow in about 20 px beside its padding; its chosen option may take all
# but 16 px (a few pixels of tolerance, so that only words visibly cut off are reported).
SELECT_ARROW = 16

# The page's language, whether it fits the screen's width, the taps shorter than TAP, and the
# drop-downs that cut their chosen option off while narrower than the box they sit in (a card, or the
# page's column): one as wide as its box may cut a long option off, the phone's own list shows it whole.
_MEASURE = """([selector, tap, arrow]) => ({
  language: document.documentElement.lang,
  fits: document.documentElement.scrollWidth <= window.innerWidth + 1,
  tooSmall: Array.from(document.querySelectorAll(selector))
    .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.height < tap - 0.5; })
    .map(e => e.outerHTML.slice(0, 120) + ' h=' + Math.round(e.getBoundingClientRect().height)),
  cutChoices: Array.from(document.querySelectorAll('select'))
    .filter(s => s.getBoundingClientRect().width > 0 && s.selectedOptions.length)
    .filter(s => {
      const column = s.closest('.card, main, footer, header .wrap') || document.body, around = getComputedStyle(column);
      return s.offsetWidth < column.clientWidth - parseFloat(around.paddingLeft) - parseFloat(around.paddingRight) - 2;
    })
    .filter(s => {
      const style = getComputedStyle(s), pen = document.createElement('canvas').getContext('2d');
      pen.font = style.font;
      const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - arrow;
      return pen.measureText(s.selectedOptions[0].text).width > room;
    })
    .map(s => s.name + ': ' + s.selectedOptions[0].text),
})"""


class Phone(Audit):
    """One person's phone: each page checked is measured (its width, its taps, its language) and then
    audited by axe."""

    def __init__(self, page, language: str | None):
        super().__init__(page)
        self.language = language

    def check(self, path: str | None = None, label: str | None = None) -> None:
        if path is not None:
            self.open(path)
        page = self.page
        measured = page.evaluate(_MEASURE, [TAPPABLE, TAP, SELECT_ARROW])
        if self.language:
            assert measured["language"] == self.language, page.url
        assert measured["fits"], page.url
        assert measured["tooSmall"] == [], page.url
        assert measured["cutChoices"] == [], page.url
        super().check(None, label)

    def submit_empty(self, form: str, label: str) -> None:
        """Submit a form with its fields emptied and the browser's own checks off: the server's errors."""
        page = self.page
        page.evaluate("""(form) => { const f = document.querySelector(form); f.noValidate = true;
          f.querySelectorAll('input[type=text], input[type=email], input[type=date], textarea').forEach(e => e.value = ''); }""", form)
        expect_refusal(page, urlsplit(page.locator(form).evaluate("f => f.action")).path)  # answered 400
        with page.expect_navigation():
            page.locator(form).locator("button[type=submit]").last.click()
        assert page.locator(".error, .form-errors").count() > 0, page.url
        self.check(None, label)


@pytest.fixture
def phone(new_page):
    """``phone(email=..., language=...)``: a person on a phone of their own, signed in when ``email`` is
    given; ``language`` is the language their pages must be in (None: not checked)."""

    def person(email: str | None = None, language: str | None = "id") -> Phone:
        someone = Phone(new_page(viewport=PHONE), language)
        if email:
            sign_in(someone.page, email)
        return someone

    return person


def test_guest_pages_and_forms(phone):
    guest = phone()
    _header_folds_into_a_menu(guest, "guest", buys=True, signed_in=False)
    guest.check_each("/cari?q=kopi", "/toko/kopi-ijen-bayu", "/toko/kopi-ijen-bayu/drip-bag-arabika-isi-10",
                     "/lowongan", "/account/login", "/account/register", "/account/register/partner",
                     "/account/password/forgot")
    guest.open("/account/register")
    guest.submit_empty("main form[method=post]", "registration with errors")
    assert_no_violations(guest)


_WRAPPED_AMOUNTS = """() => Array.from(document.querySelectorAll('td.amount')).filter(td => {
  const text = document.createRange(); text.selectNodeContents(td);
  return new Set(Array.from(text.getClientRects()).map(r => Math.round(r.top))).size > 1; }).map(td => td.textContent)"""


def test_customer_pages(phone):
    customer = phone("pembeli1@pasarbangkit.id")
    _header_folds_into_a_menu(customer, "customer", buys=True)
    customer.check_each("/account/", "/account/password", "/account/delete", "/cart", "/orders")
    customer.follow("main a[href^='/orders/']", "an order")
    assert customer.page.locator("td.amount").count() > 0
    assert customer.page.evaluate(_WRAPPED_AMOUNTS) == []  # "Rp" and "450.000" on one line
    assert_no_violations(customer)


def test_seller_pages_and_product_form(phone):
    seller = phone("sari@pasarbangkit.id")
    _header_folds_into_a_menu(seller, "graduate", buys=True)
    seller.check_each("/seller/", "/seller/storefront", "/seller/earnings", "/seller/orders", "/seller/orders/sales",
                      "/seller/orders/delivery", "/kerja/", "/kerja/profil", "/mentoring/me")
    seller.page.goto("/seller/earnings")
    assert seller.page.evaluate(_WRAPPED_AMOUNTS) == []
    seller.check("/seller/products/new")
    seller.submit_empty("main form[method=post]", "product form with errors")
    seller.open("/seller/")
    seller.follow(".seller-product a[href^='/seller/products/']", "product form (edit)")
    assert_no_violations(seller)


def test_mentor_pages_and_a_chart_s_month_labels(phone):
    mentor = phone("mentor1@pasarbangkit.id")
    _header_folds_into_a_menu(mentor, "mentor", buys=False)
    mentor.check("/mentoring/", "mentor's dashboard")
    mentor.follow("main table a[href^='/mentoring/mentees/']", "a mentee's page (their business)")
    labels = mentor.page.locator("figure.chart").first.locator("svg text.chart-label:not(.chart-year)")
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count() - 1)]  # the last one is "max ..."
    assert len(boxes) == 12
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left["x"] + left["width"] <= right["x"], (left, right)
    mentee = urlsplit(mentor.page.url).path
    mentor.check(f"{mentee}/check-ins/new", "check-in form")
    mentor.submit_empty("main form[method=post]", "check-in form with errors")
    assert_no_violations(mentor)


def test_partner_pages_and_vacancy_form(phone):
    partner = phone("mitra1@pasarbangkit.id")
    _header_folds_into_a_menu(partner, "partner", buys=False)
    partner.check_each("/mitra/profil", "/mitra/tim", "/mitra/")
    partner.follow("main a[href^='/mitra/lowongan/']:not([href$='/baru'])", "a vacancy's applicants")
    partner.check("/mitra/lowongan/baru")
    partner.submit_empty("main form[method=post]", "vacancy form with errors")
    assert_no_violations(partner)


def test_staff_and_admin_pages(phone):
    staff = phone("staf@lrppn-banyuwangi.id")
    _header_folds_into_a_menu(staff, "staff", buys=False)
    staff.check_each("/staff/", "/staff/partners", "/staff/moderation/", "/staff/jobs/", "/staff/jobs/placements",
                     "/staff/jobs/pelatihan", "/staff/payouts", "/staff/problems", "/staff/payouts/awaiting-payment",
                     "/mentoring/staff/impact", "/mentoring/staff")
    staff.follow("main a[href^='/mentoring/mentees/']:not([href*='/check-ins'])", "staff: a graduate's record")
    staff.follow("main a[href$='/notes']", "staff: a graduate's check-in notes")
    staff.page.goto("/staff/moderation/")
    page = staff.page
    assert page.locator("main input[name=reason]:visible, main textarea[name=reason]:visible").count() == 0
    page.locator("main summary", has_text="Sembunyikan produk").first.click()
    assert page.locator("main input[name=reason]:visible").count() == 1
    staff.open("/staff/")
    staff.follow("main .link-list a", "a person's page")
    # The admin's own language may be English (tests/e2e/test_accessibility.py sets it): the layout is checked.
    admin = phone("admin@pasarbangkit.id", language=None)
    _header_folds_into_a_menu(admin, "admin", buys=False)
    admin.check_each("/admin/", "/admin/outbox")
    assert_no_violations(staff, admin)


# The header on a phone: one bar (the brand, the cart for those who buy, the Menu button) over the page.
HEADER_AT_MOST = 120  # px: two rows of taps; the page's own content starts above the fold
_MENU_LINKS_SHOWN = "() => Array.from(document.querySelectorAll('#site-menu a, #site-menu button'))" \
                    ".filter(e => e.getBoundingClientRect().height > 0).length"


def _header_folds_into_a_menu(person: Phone, role: str, buys: bool, signed_in: bool = True) -> None:
    """On the home page: the closed header is at most two rows, with the cart only for those who buy;
    the Menu button opens the other links, sign-out (sign-in for a guest) among them, and the open menu
    passes the tap-size and axe checks too."""
    page = person.page
    person.check("/", f"{role}: home, menu closed")
    assert page.locator("header.site-header").bounding_box()["height"] <= HEADER_AT_MOST, role
    menu, button = page.locator("#site-menu"), page.locator("button.menu-toggle")
    assert page.evaluate(_MENU_LINKS_SHOWN) == 0 and button.get_attribute("aria-expanded") == "false"
    assert page.locator("header a[href='/cart']").is_visible() == buys
    assert page.locator("header a[href='/orders']").count() == int(buys and signed_in)
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert page.evaluate(_MENU_LINKS_SHOWN) == menu.locator("a, button").count() >= 2
    sign = menu.locator("form[action='/account/logout'] button" if signed_in else "a[href='/account/login']")
    assert sign.is_visible(), f"{role}: sign-out (or sign-in) is not in the open menu"
    person.check(None, f"{role}: home, menu open")


def test_the_menu_opens_and_closes_from_the_keyboard(phone):
    guest = phone()
    page = guest.page
    page.goto("/")
    menu, button = page.locator("#site-menu"), page.locator("button.menu-toggle")
    for _ in range(10):  # Tab reaches the button, Enter opens the menu
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('button.menu-toggle')"):
            break
    else:
        raise AssertionError("Tab never reached the Menu button")
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true" and page.evaluate(_MENU_LINKS_SHOWN) > 0
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and page.evaluate(_MENU_LINKS_SHOWN) == 0
    assert page.evaluate("document.activeElement.matches('button.menu-toggle')"), "focus did not return"
    page.keyboard.press("Space")
    assert button.get_attribute("aria-expanded") == "true"
    for _ in range(menu.locator("a, button").count() + 1):  # Tab past the last link: the menu folds
        page.keyboard.press("Tab")
    assert button.get_attribute("aria-expanded") == "false" and page.evaluate(_MENU_LINKS_SHOWN) == 0
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    button.click()  # a second tap closes it
    assert page.evaluate(_MENU_LINKS_SHOWN) == 0
