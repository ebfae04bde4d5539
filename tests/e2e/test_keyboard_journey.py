"""Someone who uses only the keyboard can put a product in the cart: Tab reaches the button, Enter
presses it."""
import pytest

pytestmark = pytest.mark.e2e

PRODUCT_URL = "/toko/kopi-ijen-bayu/drip-bag-arabika-isi-10"
ADD_BUTTON = "form.add-to-cart button[type=submit]"


def test_tab_reaches_add_to_cart_and_enter_adds_the_product(page):
    page.goto(PRODUCT_URL)
    title = page.locator("h1").inner_text()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("sel => document.activeElement.matches(sel)", ADD_BUTTON):
            break
    else:
        raise AssertionError("Tab never reached the add-to-cart button")
    focus_ring = page.evaluate("(s => [s.outlineStyle, s.boxShadow])(getComputedStyle(document.activeElement))")
    assert focus_ring != ["none", "none"], "the focused button shows no focus ring"

    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto("/cart")
    lines = page.locator(".cart-line .card-title", has_text=title)
    assert lines.count() == 1
    assert page.locator(".cart-line input[name=quantity]").first.input_value() == "1"
