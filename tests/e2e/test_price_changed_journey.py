"""A seller raises a price while the customer reads the review page: "Buat pesanan" (Place order)
sends the customer back to the review with the change highlighted and nothing ordered; the second
click orders at the price now shown (issue 11 item 7). In Indonesian, on a 360 px wide phone."""
import re

import pytest

from tests.e2e.conftest import expect_refusal, sign_in

pytestmark = pytest.mark.e2e

SHOP = "camilan-bu-rina"
TITLE = "Kue Kering Nastar (toples)"  # Rp 85.000 in the demo


def _set_price(seller, price: str) -> None:
    seller.goto("/seller/")
    seller.locator(f"a[href^='/seller/products/']:has-text('{TITLE}')").first.click()
    seller.fill("form.narrow-form input[name=price_idr]", price)
    seller.click("form.narrow-form button[type=submit]")
    seller.wait_for_load_state()


def _fill_checkout(page) -> None:
    page.fill("input[name=email]", "tamu.harga@surel.co.id")
    page.fill("input[name=recipient]", "Sari Harga")
    page.fill("input[name=phone]", "0812 3456 7890")
    page.fill("input[name=street]", "Jl. Ahmad Yani No. 12")
    page.fill("input[name=kelurahan]", "Penganjuran")
    page.fill("input[name=kecamatan]", "Banyuwangi")
    page.fill("input[name=city]", "Genteng")  # the seller's own town: same-city delivery, Rp 10.000
    page.select_option("select[name=province]", "Jawa Timur")
    page.fill("input[name=postal_code]", "68416")
    for group in page.locator("fieldset:has(input[name^=delivery_])").all():
        group.locator("input[type=radio]").first.check()
    page.check("input[name=payment_method][value=bank_transfer]")
    page.click("form.checkout-form button[type=submit]")
    page.wait_for_url(re.compile(r"/checkout/review"))


def test_a_price_changed_after_the_review_is_shown_before_the_order_is_placed(new_page):
    customer = new_page(viewport={"width": 360, "height": 780})
    customer.goto(f"/toko/{SHOP}")
    customer.locator(f"a[href^='/toko/{SHOP}/']:has-text('{TITLE}')").first.click()
    customer.click("form.add-to-cart button[type=submit]")
    customer.wait_for_load_state()
    customer.goto("/cart")
    customer.click("a[href='/checkout']")
    _fill_checkout(customer)
    assert "Rp 85.000" in customer.content()

    seller = new_page()
    sign_in(seller, "rina@pasarbangkit.id")
    _set_price(seller, "95000")
    try:
        expect_refusal(customer, "/checkout/review")  # sent back with 409 Conflict
        customer.click("form[action='/checkout/review'] button[type=submit]")
        customer.wait_for_load_state()
        assert "/checkout/review" in customer.url  # sent back, no order
        alert = customer.locator(".flash, [role=alert]").first.inner_text()
        assert "Ada yang berubah" in alert
        changed = customer.locator(".cart-line.changed")
        assert changed.count() == 1
        assert "sebelumnya Rp 85.000" in changed.inner_text() and "Rp 95.000" in changed.inner_text()
        # Nothing wider than the phone: the highlighted line wraps instead of scrolling sideways.
        assert customer.evaluate("document.documentElement.scrollWidth") <= 360

        customer.click("form[action='/checkout/review'] button[type=submit]")
        customer.wait_for_url(re.compile(r"/pay/"))
        assert "Rp 105.000" in customer.content()  # 95.000 + Rp 10.000 same-city delivery
    finally:
        _set_price(seller, "85000")
