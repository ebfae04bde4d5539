"""A graduate's first hour, on a 360px phone in Indonesian: the emailed invitation leads to "My shop",
whose checklist (storefront with province, delivery rates, first product, open) links each step and
ticks it once done, until the shop is open and the list steps aside."""
import re

import pytest
from sqlalchemy import select

from tests.e2e.conftest import link_in_outbox, open_menu

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
INVITEE = "wayan.sudarma@example.com"
SHOP_NAME = "Kopi Bubuk Wayan"
PRODUCT = "Kopi Robusta Kalibaru 250 g"
STEPS = ["storefront", "delivery", "first_product", "open"]


def _invite(live_server) -> str:
    """Program staff invite the graduate (their side has its own journey); the link is read from the
    email, as the graduate would."""
    from marketplace.accounts.models import User
    from marketplace.extensions import db
    from marketplace.programs import services as programs
    from marketplace.programs.models import Cohort

    with live_server.app.app_context():
        staff = db.session.execute(select(User).where(User.email == "staf@lrppn-banyuwangi.id")).scalar_one()
        cohort = db.session.execute(select(Cohort).where(Cohort.program_id == staff.program_id)).scalars().first()
        programs.create_invitation(staff, staff.program, role="graduate", name="Wayan Sudarma", email=INVITEE,
                                   cohort_id=cohort.id, locale="id")
        db.session.remove()
    return link_in_outbox(live_server, INVITEE, "/account/invitation/")


def _done_steps(page) -> list[str]:
    return [page.locator(".setup-checklist li.is-done").nth(i).get_attribute("data-step")
            for i in range(page.locator(".setup-checklist li.is-done").count())]


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def _back_to_my_shop(page) -> None:
    open_menu(page)
    page.click("nav a[href='/seller/']")
    page.wait_for_url(re.compile(r"/seller/?$"))
    _fits_the_phone(page)


def test_a_new_graduate_is_led_from_the_invitation_to_an_open_shop(new_page, live_server):
    link = _invite(live_server)
    graduate = new_page(viewport=PHONE)

    graduate.goto(link)
    assert graduate.locator("html").get_attribute("lang") == "id"
    graduate.fill("input[name=password]", "Kopi-Kalibaru-2026")
    graduate.fill("input[name=confirm]", "Kopi-Kalibaru-2026")
    graduate.click("main form[method=post] button[type=submit]")

    # The invitation leads to "My shop", with the path ahead.
    graduate.wait_for_url(re.compile(r"/seller/?$"))
    _fits_the_phone(graduate)
    checklist = graduate.locator(".setup-checklist")
    assert checklist.locator("h2").inner_text() == "Siapkan toko Anda"
    assert [checklist.locator("li").nth(i).get_attribute("data-step") for i in range(4)] == STEPS
    assert "0 dari 4 langkah selesai" in checklist.inner_text()
    assert _done_steps(graduate) == []

    # 1. The storefront with its province, still a draft.
    checklist.locator("[data-step=storefront] a").click()
    graduate.wait_for_url(re.compile(r"/seller/storefront$"))
    _fits_the_phone(graduate)
    graduate.fill("input[name=name]", SHOP_NAME)
    graduate.fill("input[name=city]", "Banyuwangi")
    graduate.select_option("select[name=province]", "Jawa Timur")
    graduate.select_option("select[name=status]", "draft")
    graduate.click("form.narrow-form button[type=submit]")
    graduate.wait_for_url(re.compile(r"/seller/?$"))
    assert _done_steps(graduate) == ["storefront"]
    assert "Selesai" in graduate.locator(".setup-checklist [data-step=storefront]").inner_text()
    # "My shop" also leads to the delivery rates for later changes.
    assert graduate.locator("main .actions a[href='/seller/orders/delivery']").count() == 1

    # 2. Delivery rates, typed the Indonesian way.
    graduate.locator(".setup-checklist [data-step=delivery] a").click()
    graduate.wait_for_url(re.compile(r"/seller/orders/delivery$"))
    _fits_the_phone(graduate)
    graduate.fill("input[name=same_city_idr]", "Rp 8.000")
    graduate.fill("input[name=same_province_idr]", "15.000")
    graduate.click("main form[method=post] button[type=submit]")
    graduate.wait_for_load_state()
    assert graduate.locator("input[name=same_city_idr]").input_value() == "8.000"
    _back_to_my_shop(graduate)
    assert _done_steps(graduate) == ["storefront", "delivery"]

    # 3. The first product.
    graduate.locator(".setup-checklist [data-step=first_product] a").click()
    graduate.wait_for_url(re.compile(r"/seller/products/new$"))
    _fits_the_phone(graduate)
    assert "Rp 18.500" in graduate.locator("#price_idr-hint").inner_text()  # how to type a price
    graduate.fill("input[name=title]", PRODUCT)
    graduate.fill("input[name=price_idr]", "Rp 32.500")
    graduate.fill("input[name=stock]", "12")
    graduate.select_option("select[name=status]", "active")
    graduate.click("form.narrow-form button[type=submit]")
    graduate.wait_for_url(re.compile(r"/seller/products/\d+$"))
    _back_to_my_shop(graduate)
    assert _done_steps(graduate) == ["storefront", "delivery", "first_product"]
    assert "3 dari 4 langkah selesai" in graduate.locator(".setup-checklist").inner_text()

    # 4. Open: every step done, the checklist steps aside.
    graduate.locator(".setup-checklist [data-step=open] a").click()
    graduate.wait_for_url(re.compile(r"/seller/storefront$"))
    graduate.select_option("select[name=status]", "open")
    graduate.click("form.narrow-form button[type=submit]")
    graduate.wait_for_url(re.compile(r"/seller/?$"))
    _fits_the_phone(graduate)
    assert graduate.locator(".setup-checklist").count() == 0
    assert graduate.locator("main h1").inner_text() == SHOP_NAME

    # The public sees the shop and the product at the price typed.
    graduate.goto("/seller/storefront")
    slug = graduate.locator("input[name=slug]").input_value()
    buyer = new_page(viewport=PHONE)
    buyer.goto(f"/toko/{slug}")
    card = buyer.locator("main a", has_text=PRODUCT).first
    card.click()
    buyer.wait_for_load_state()
    assert buyer.locator("h1").inner_text() == PRODUCT
    assert "32.500" in buyer.locator(".product-price").inner_text()
