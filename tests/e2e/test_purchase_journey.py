"""A customer buys from two graduates in one checkout (bank transfer), program staff confirm the
transfer, both sellers fulfil their part and see the ledger credit: the whole marketplace loop in a real
browser, on the demo data."""
import re

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.shopping import add_first_product_of, check_out_by_bank_transfer

pytestmark = pytest.mark.e2e

SHOPS = ("kopi-ijen-bayu", "camilan-bu-rina")
SELLERS = {"kopi-ijen-bayu": "bayu@pasarbangkit.id", "camilan-bu-rina": "rina@pasarbangkit.id"}


def test_a_customer_buys_from_two_sellers_who_fulfil_and_are_credited(new_page, live_server):
    customer = new_page()
    sign_in(customer, "pembeli2@pasarbangkit.id")
    titles = [add_first_product_of(customer, shop) for shop in SHOPS]

    customer.goto("/cart")
    for title in titles:
        assert title in customer.content()
    order_path = check_out_by_bank_transfer(customer, "Putri Ayu")

    # The transfer reaches the program's account: program staff record its exact amount.
    staff = new_page()
    sign_in(staff, "staf@lrppn-banyuwangi.id")
    staff.goto("/staff/payouts/awaiting-payment")
    waiting = staff.locator("li.card:has-text('Putri Ayu')").first
    waiting.locator("input[name=amount_idr]").fill(waiting.get_attribute("data-to-transfer"))
    waiting.locator("button[type=submit]").click()
    staff.wait_for_load_state()

    for shop in SHOPS:
        seller = new_page()
        sign_in(seller, SELLERS[shop])
        seller.goto("/seller/orders")
        seller.locator("a[href^='/seller/orders/']:has-text('Putri Ayu')").first.click()
        seller.click("form[action$='/advance/packed'] button[type=submit]")
        seller.fill("input[name=courier]", "JNE")
        seller.fill("input[name=tracking_number]", "JNE0012345678")
        seller.click("form[action$='/advance/shipped'] button[type=submit]")
        seller.wait_for_load_state()
        assert "JNE0012345678" in seller.content()
        seller.goto("/seller/earnings")
        assert "Putri Ayu" in seller.content() or re.search(r"Rp\s?[1-9]", seller.content())

    customer.goto("/orders")
    customer.locator("a[href^='/orders/']").first.click()
    customer.wait_for_load_state()
    assert customer.content().count("JNE0012345678") >= 2  # both parts show their tracking

    # One parcel arrived: the customer says so, and that seller's part is completed.
    customer.goto(order_path)
    with customer.expect_navigation():
        customer.locator("form[action$='/received'] button[type=submit]").first.click()
    assert customer.locator(".cart-group .status-completed").count() == 1
    assert customer.locator("form[action$='/received']").count() == 1  # the other parcel is still on its way
