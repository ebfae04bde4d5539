"""Steps of a purchase that several browser journeys share."""
import re


def add_first_product_of(page, shop_slug: str) -> str:
    page.goto(f"/toko/{shop_slug}")
    page.locator(f"a[href^='/toko/{shop_slug}/']").first.click()
    page.wait_for_load_state()  # the shop page has an h1 too: read the product's
    title = page.locator("h1").inner_text()
    options = page.locator("form.add-to-cart select[name=variant_id] option:not([disabled]):not([value=''])")
    if options.count():
        page.select_option("form.add-to-cart select[name=variant_id]", options.first.get_attribute("value"))
    page.click("form.add-to-cart button[type=submit]")
    page.wait_for_load_state()
    return title


def check_out_by_bank_transfer(page, recipient: str) -> str:
    """From the cart to a placed order (the browser is left on its payment instructions); returns the
    order page's path."""
    return check_out(page, recipient, "bank_transfer")


def check_out(page, recipient: str, payment_method: str) -> str:
    """From the cart to a placed order paid by ``payment_method`` (the browser is left on the payment
    step); returns the order page's path."""
    page.goto("/cart")
    page.click("a[href='/checkout']")
    page.fill("input[name=recipient]", recipient)
    page.fill("input[name=phone]", "0812 3456 7890")
    page.fill("input[name=street]", "Jl. Ahmad Yani No. 12")
    page.fill("input[name=kelurahan]", "Penganjuran")
    page.fill("input[name=kecamatan]", "Banyuwangi")
    page.fill("input[name=city]", "Banyuwangi")
    page.select_option("select[name=province]", "Jawa Timur")
    page.fill("input[name=postal_code]", "68416")
    for group in page.locator("fieldset:has(input[name^=delivery_])").all():
        group.locator("input[type=radio]").first.check()
    page.check(f"input[name=payment_method][value={payment_method}]")
    page.click("form.checkout-form button[type=submit]")
    page.wait_for_url(re.compile(r"/checkout/review"))
    page.click("form[action='/checkout/review'] button[type=submit]")
    page.wait_for_load_state()
    assert "/pay/" in page.url
    return "/orders/" + page.url.rstrip("/").rsplit("/", 1)[1]
