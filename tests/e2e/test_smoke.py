"""The site opens in a real browser, on a phone-sized screen, with nothing blocked by the CSP."""
import pytest

from tests.e2e.conftest import is_signed_in, open_menu, sign_in
from tests.e2e.shopping import add_first_product_of

pytestmark = pytest.mark.e2e


def test_home_page_shows_demo_products_in_indonesian(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "id"
    open_menu(page)  # on a phone the sign-in link is in the menu
    assert page.get_by_role("link", name="Masuk").first.is_visible()


def test_keyboard_users_can_skip_to_content_and_switch_language(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.select_option("#site-language", "en")
    page.get_by_role("button", name="Ganti").click()
    assert page.locator("html").get_attribute("lang") == "en"


def test_a_demo_customer_can_sign_in(page):
    page.goto("/account/login")
    page.get_by_label("Email").fill("pembeli1@pasarbangkit.id")
    page.get_by_label("Kata sandi").fill("bangkit-demo-2026")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    open_menu(page)
    assert page.get_by_role("button", name="Keluar").is_visible()


def test_a_page_lent_again_is_someone_new(people, live_server):
    """The browser lane lends a person's page to the next test (``People``): by then whoever used it
    is signed out, their cart and language are gone, and the screen is the one asked for."""
    problems: list[str] = []
    guest = people.lend(live_server.url, problems, language="en")
    add_first_product_of(guest, "kopi-ijen-bayu")
    guest.goto("/cart")
    assert guest.locator("html").get_attribute("lang") == "en"
    assert guest.locator("li.cart-line").count() == 1
    people.take_back(guest, live_server.url)

    customer = people.lend(live_server.url, problems, viewport={"width": 1280, "height": 800})
    assert customer is guest  # the same page, lent again
    assert customer.viewport_size == {"width": 1280, "height": 800}
    customer.goto("/cart")
    assert customer.locator("html").get_attribute("lang") == "id"
    assert customer.locator("li.cart-line").count() == 0
    sign_in(customer, "pembeli1@pasarbangkit.id")
    customer.goto("/account/")
    assert is_signed_in(customer)
    people.take_back(customer, live_server.url)

    someone = people.lend(live_server.url, problems)
    assert someone is guest
    someone.goto("/account/")
    assert not is_signed_in(someone) and "/account/login" in someone.url
    people.take_back(someone, live_server.url)
    assert problems == [], problems
