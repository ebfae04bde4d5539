"""A shared phone (issue 11, item 3): a customer checks out and signs out; the next person on the same
phone sees no order of theirs and a checkout with nothing filled in. On a small phone (360 px), in
Indonesian, as most customers use the site."""
import re

import pytest

from tests.e2e.conftest import expect_refusal, is_signed_in, open_refused, sign_in_with_the_form, sign_out
from tests.e2e.shopping import add_first_product_of, check_out_by_bank_transfer

pytestmark = pytest.mark.e2e

SHOP = "kopi-ijen-bayu"
RECIPIENT = "Sri Rahayu Ningsih"
PERSONAL = (RECIPIENT, "Ahmad Yani", "81234567890", "Penganjuran", "68416", "pembeli1@pasarbangkit.id")


def test_the_next_person_on_a_shared_phone_sees_nothing_of_the_last_customer(new_page, live_server):
    phone = new_page(viewport={"width": 360, "height": 740})
    sign_in_with_the_form(phone, "pembeli1@pasarbangkit.id")
    assert phone.locator("html").get_attribute("lang") == "id"
    add_first_product_of(phone, SHOP)
    order_path = check_out_by_bank_transfer(phone, RECIPIENT)
    payment_path = phone.url.replace(phone.url.split("/pay/")[0], "")
    phone.goto(order_path)
    assert RECIPIENT in phone.content()

    # A second checkout, filled in and left at the review page.
    add_first_product_of(phone, SHOP)
    phone.goto("/checkout")
    assert phone.locator("input[name=email]").input_value() == "pembeli1@pasarbangkit.id"
    phone.fill("input[name=recipient]", RECIPIENT)

    phone.goto(order_path)
    sign_out(phone)
    assert not is_signed_in(phone)
    assert "Anda sudah keluar" in phone.content()  # Indonesian: "You are signed out."

    # The back button does not bring the order back: signed-in pages were never stored.
    expect_refusal(phone, order_path)
    phone.go_back()
    phone.wait_for_load_state()
    assert RECIPIENT not in phone.content()

    # The next person: the order and its payment page are not theirs to see.
    assert open_refused(phone, order_path) == 404
    assert open_refused(phone, payment_path) == 404
    phone.goto("/orders")
    assert "/account/login" in phone.url

    add_first_product_of(phone, SHOP)
    phone.goto("/cart")
    phone.click("a[href='/checkout']")
    phone.wait_for_url(re.compile(r"/checkout$"))
    for name in ("email", "recipient", "phone", "street", "kelurahan", "kecamatan", "city", "postal_code"):
        assert phone.locator(f"input[name={name}]").input_value() == "", name
    page = phone.content()
    assert not [text for text in PERSONAL if text in page]
    # Nothing personal in the session cookie either (it is signed, not encrypted: anyone can read it).
    app = live_server.app
    [cookie] = [c["value"] for c in phone.context.cookies() if c["name"] == app.config["SESSION_COOKIE_NAME"]]
    session = repr(app.session_interface.get_signing_serializer(app).loads(cookie))
    assert not [text for text in PERSONAL if text in session]
    # The page fits the small screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
