"""A customer changes their mind before paying and cancels the order with the keyboard alone."""
import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.shopping import add_first_product_of, check_out_by_bank_transfer

pytestmark = pytest.mark.e2e


def test_a_customer_cancels_an_unpaid_order(page):
    sign_in(page, "pembeli3@pasarbangkit.id")
    add_first_product_of(page, "batik-gajah-oling-sari")
    order_path = check_out_by_bank_transfer(page, "Dewi Lestari")
    page.goto(order_path)
    assert page.locator("h1 .status-awaiting_payment").count() == 1

    page.focus("details.cancel-order summary")
    page.keyboard.press("Enter")  # opens the confirmation
    page.focus("form[action$='/cancel'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(order_path)
    assert page.locator("h1 .status-cancelled").count() == 1
    assert page.locator("details.cancel-order").count() == 0
