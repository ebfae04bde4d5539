"""Program staff invite a new graduate; the graduate follows the emailed link, chooses a password,
is signed in, opens a storefront and sees it as the public does."""
import re

import pytest

from tests.e2e.conftest import expect_refusal, is_signed_in, open_refused, sign_in

pytestmark = pytest.mark.e2e

INVITEE = "made.wirawan@example.com"
SHOP_NAME = "Tenun Ikat Made"


def test_staff_invite_a_graduate_who_opens_a_storefront(new_page, live_server):
    staff = new_page()
    sign_in(staff, "staf@lrppn-banyuwangi.id")
    staff.goto("/staff/")
    invite = staff.locator("form[action^='/staff/invitations']")
    invite.locator("select[name=role]").select_option("graduate")
    invite.locator("input[name=name]").fill("Made Wirawan")
    invite.locator("input[name=email]").fill(INVITEE)
    cohort = invite.locator("select[name=cohort_id] option:not([value='0'])").first.get_attribute("value")
    invite.locator("select[name=cohort_id]").select_option(cohort)
    invite.locator("select[name=language]").select_option("id")
    invite.locator("button[type=submit]").click()
    staff.wait_for_url(re.compile(r"/staff/?$"))
    assert staff.locator("td", has_text=INVITEE).count() == 1
    assert staff.locator("form[action$='/revoke']").count() >= 1

    # The admin reads the development outbox, as a developer without a mail server would.
    admin = new_page()
    sign_in(admin, "admin@pasarbangkit.id")
    admin.goto("/admin/outbox")
    admin.locator("tr", has=admin.locator("td", has_text=INVITEE)).locator("a[href^='/admin/outbox/']").first.click()
    body = admin.locator(".mail-body").inner_text()
    link = re.search(re.escape(live_server.url) + r"/account/invitation/\S+", body).group(0)

    invitee = new_page()
    invitee.goto(link)
    assert invitee.locator("input[name=name]").input_value() == "Made Wirawan"
    invitee.fill("input[name=password]", "Tenun-Ikat-Osing-2026")
    invitee.fill("input[name=confirm]", "Tenun-Ikat-Osing-2026")
    invitee.click("main form[method=post] button[type=submit]")
    invitee.wait_for_load_state()
    assert "/account/invitation/" not in invitee.url
    assert is_signed_in(invitee)

    invitee.click("nav a[href='/seller/']")
    invitee.click("main a[href='/seller/storefront']")
    invitee.fill("input[name=name]", SHOP_NAME)
    invitee.fill("input[name=city]", "Banyuwangi")
    invitee.fill("input[name=whatsapp]", "0812 3456 7001")
    invitee.select_option("select[name=status]", "open")
    expect_refusal(invitee, "/seller/storefront")  # a shop opens only with its province
    invitee.click("form.narrow-form button[type=submit]")
    invitee.wait_for_load_state()
    assert invitee.locator("#province-error").is_visible()
    invitee.select_option("select[name=province]", "Jawa Timur")
    invitee.click("form.narrow-form button[type=submit]")
    invitee.wait_for_url(re.compile(r"/seller/?$"))
    assert invitee.locator("h1").inner_text() == SHOP_NAME

    invitee.goto("/seller/storefront")
    slug = invitee.locator("input[name=slug]").input_value()
    assert slug
    invitee.goto(f"/toko/{slug}")
    assert invitee.locator("h1").inner_text() == SHOP_NAME
    assert invitee.locator("a[href='https://wa.me/6281234567001']").count() == 1

    # The invitation is used up: staff see it accepted, and the link does not work a second time.
    staff.reload()
    assert staff.locator("tr", has=staff.locator("td", has_text=INVITEE)).locator(".status-used").count() == 1
    assert open_refused(new_page(), link) == 400
