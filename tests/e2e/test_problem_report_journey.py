"""A customer's problem report, decided by program staff on a 360 px phone in Indonesian: the staff
member finds "Laporan masalah" in the menu, reads what the customer wrote, is told a decision needs a
reason, refunds the customer with one, and the list is empty; the customer's order page then shows the
refund owed and the staff member's reason. The pages pass the accessibility audit (axe-core)."""
import re

import pytest

from tests.e2e.axe import Audit, assert_no_violations
from tests.e2e.conftest import expect_refusal, open_menu, sign_in, sign_out

pytestmark = pytest.mark.e2e

REPORT = "Paket belum sampai setelah seminggu"  # the demo world's reported parcel (orders/demo.py)


PHONE = {"width": 360, "height": 740}


def test_staff_refund_a_reported_parcel_on_a_phone(new_page):
    staff = Audit(new_page(viewport=PHONE))
    page = staff.page
    sign_in(page, "staf@lrppn-banyuwangi.id")
    page.goto("/")
    open_menu(page)
    page.click("nav a[href='/staff/problems']")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Laporan masalah"
    report = page.locator("li.card", has_text=REPORT)
    assert report.count() == 1
    order_number = re.search(r"Pesanan (\w+)", report.locator("h2").inner_text()).group(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll
    staff.check(None, "problem reports on a phone")

    expect_refusal(page, "/staff/problems/" + report.get_attribute("id").split("-")[1] + "/resolve")
    report.locator("button[value=refund]").click()  # no reason yet
    page.wait_for_load_state()
    assert "Tuliskan alasannya." in page.locator("main").inner_text()
    staff.check(None, "a decision without a reason")

    report = page.locator("li.card", has_text=REPORT)
    report.locator("textarea[name=reason]").fill("Kurir memastikan paket hilang di perjalanan")
    report.locator("button[value=refund]").click()
    page.wait_for_load_state()
    assert "Dana dikembalikan kepada pembeli" in page.locator("main").inner_text()
    assert "Tidak ada laporan masalah yang terbuka" in page.locator("main").inner_text()
    staff.check(None, "no open problem reports")
    page.goto("/staff/payouts/refunds")
    assert order_number in page.locator("main").inner_text()  # a transfer: staff send the money back
    sign_out(page)

    customer = new_page(viewport=PHONE)
    sign_in(customer, "pembeli3@pasarbangkit.id")
    customer.goto("/orders")
    customer.locator(f"a:has-text('{order_number}')").first.click()
    customer.wait_for_load_state()
    text = customer.locator("main").inner_text()
    assert "Dana yang akan dikembalikan kepada Anda" in text
    assert "Kurir memastikan paket hilang di perjalanan" in text
    assert_no_violations(staff)
