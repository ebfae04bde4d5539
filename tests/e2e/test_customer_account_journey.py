"""A new customer registers, confirms the address through the emailed link, chooses English, and
finds the site in English again after signing out and back in, on another device too."""
import pytest

from tests.e2e.conftest import is_signed_in, link_in_outbox, sign_in_with_the_form, sign_out

pytestmark = pytest.mark.e2e

EMAIL = "ayu.lestari@example.com"
PASSWORD = "Pisang-Goreng-Madu-77"


def choose_language(page, language: str) -> None:
    page.select_option("form.language-switch select[name=language]", language)
    page.click("form.language-switch button[type=submit]")
    page.wait_for_load_state()


def test_a_customer_registers_confirms_and_keeps_english(new_page, live_server):
    customer = new_page()
    customer.goto("/account/register")
    customer.fill("input[name=name]", "Ayu Lestari")
    customer.fill("input[name=email]", EMAIL)
    customer.fill("input[name=password]", PASSWORD)
    customer.fill("input[name=confirm]", PASSWORD)
    customer.click("main form[method=post] button[type=submit]")
    customer.wait_for_load_state()
    assert not is_signed_in(customer)

    customer.goto(link_in_outbox(live_server, EMAIL, "/account/verify/"))
    customer.click("main a[href='/account/login']")
    sign_in_with_the_form(customer, EMAIL, PASSWORD)
    assert is_signed_in(customer)
    assert customer.locator("html").get_attribute("lang") == "id"

    customer.goto("/account/")
    choose_language(customer, "en")
    assert customer.url.endswith("/account/")  # back where the choice was made
    assert customer.locator("html").get_attribute("lang") == "en"
    assert customer.locator("form.language-switch select[name=language]").input_value() == "en"

    sign_out(customer)
    assert not is_signed_in(customer)
    assert customer.locator("html").get_attribute("lang") == "en"
    sign_in_with_the_form(customer, EMAIL, PASSWORD)
    assert customer.locator("html").get_attribute("lang") == "en"
    customer.goto("/account/")
    assert customer.locator("select[name=language]").first.input_value() == "en"

    # Another browser has no language cookie: the choice comes from the account itself.
    elsewhere = new_page()
    elsewhere.goto("/")
    assert elsewhere.locator("html").get_attribute("lang") == "id"
    sign_in_with_the_form(elsewhere, EMAIL, PASSWORD)
    assert elsewhere.locator("html").get_attribute("lang") == "en"
