"""The site opens in a real browser, on a phone-sized screen, with nothing blocked by the CSP."""
import pytest

from tests.e2e.conftest import open_menu

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
