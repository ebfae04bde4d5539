"""A customer buys from two graduates in one checkout (bank transfer), both fulfil their part and
see the ledger credit: the whole marketplace loop in a real browser, on the demo data."""
import re

import pytest

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

SHOPS = ("kopi-ijen-bayu", "camilan-bu-rina")
SELLERS = {"kopi-ijen-bayu": "bayu@pasarbangkit.id", "camilan-bu-rina": "rina@pasarbangkit.id"}


def add_first_product_of(page, shop_slug: str) -> str:
    page.goto(f"/toko/{shop_slug}")
    page.locator(f"a[href^='/toko/{shop_slug}/']").first.click()
    title = page.locator("h1").inner_text()
    options = page.locator("form.add-to-cart select[name=variant_id] option:not([disabled])")
    if options.count():
        page.select_option("form.add-to-cart select[name=variant_id]", options.first.get_attribute("value"))
    page.click("form.add-to-cart button[type=submit]")
    page.wait_for_load_state()
    return title


def test_a_customer_buys_from_two_sellers_who_fulfil_and_are_credited(new_page, live_server):
    customer = new_page()
    sign_in(customer, "pembeli2@pasarbangkit.id")
    titles = [add_first_product_of(customer, shop) for shop in SHOPS]

    customer.goto("/cart")
    for title in titles:
        assert title in customer.content()
    customer.click("a[href='/checkout']")
    customer.fill("input[name=recipient]", "Putri Ayu")
    customer.fill("input[name=phone]", "0812 3456 7890")
    customer.fill("input[name=street]", "Jl. Ahmad Yani No. 12")
    customer.fill("input[name=kelurahan]", "Penganjuran")
    customer.fill("input[name=kecamatan]", "Banyuwangi")
    customer.fill("input[name=city]", "Banyuwangi")
    customer.select_option("select[name=province]", "Jawa Timur")
    customer.fill("input[name=postal_code]", "68416")
    for group in customer.locator("fieldset:has(input[name^=delivery_])").all():
        group.locator("input[type=radio]").first.check()
    customer.check("input[name=payment_method][value=bank_transfer]")
    customer.click("form.checkout-form button[type=submit]")
    customer.wait_for_url(re.compile(r"/checkout/review"))
    customer.click("form[action='/checkout/review'] button[type=submit]")
    customer.wait_for_load_state()
    order_url = customer.url
    assert "/checkout" not in order_url

    for shop in SHOPS:
        seller = new_page()
        sign_in(seller, SELLERS[shop])
        seller.goto("/seller/orders")
        seller.locator("a[href^='/seller/orders/']:has-text('Putri Ayu')").first.click()
        seller.click("form[action$='/confirm-payment'] button[type=submit]")
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
    assert customer.content().count("JNE0012345678") >= 2  # both parts show their tracking
