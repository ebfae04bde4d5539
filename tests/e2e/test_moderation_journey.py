"""Program staff hide a product with a reason: visitors can no longer open it, and its owner reads
the reason in their own shop pages."""
import pytest

from tests.e2e.conftest import open_refused, sign_in

pytestmark = pytest.mark.e2e

PRODUCT_URL = "/toko/batik-gajah-oling-sari/tas-jinjing-batik"
TITLE = "Tas Jinjing Batik"
REASON = "Foto produk memakai gambar milik toko lain."


def test_staff_hide_a_product_guests_get_404_and_the_owner_sees_why(new_page):
    guest = new_page()
    assert guest.goto(PRODUCT_URL).status == 200  # seen once, so the page cache holds it
    guest.goto("/toko/batik-gajah-oling-sari")
    assert guest.locator(f"a[href='{PRODUCT_URL}']").count() >= 1
    guest.goto("/cari?q=jinjing")
    assert guest.locator(f"a[href='{PRODUCT_URL}']").count() >= 1

    staff = new_page()
    sign_in(staff, "staf@lrppn-banyuwangi.id")
    staff.goto("/staff/moderation/")
    row = staff.locator("li", has=staff.locator("strong", has_text=TITLE))
    row.locator("summary", has_text="Sembunyikan produk").click()  # the form is folded under each product
    row.locator("input[name=reason]").fill(REASON)
    row.locator("form[action$='/hide'] button[type=submit]").click()
    staff.wait_for_load_state()
    assert staff.locator("li", has=staff.locator("strong", has_text=TITLE)).locator(
        "form[action$='/unhide']").count() == 1

    assert open_refused(guest, PRODUCT_URL) == 404
    guest.goto("/toko/batik-gajah-oling-sari")
    assert guest.locator(f"a[href='{PRODUCT_URL}']").count() == 0
    guest.goto("/cari?q=jinjing")
    assert guest.locator(f"a[href='{PRODUCT_URL}']").count() == 0

    owner = new_page()
    sign_in(owner, "sari@pasarbangkit.id")
    owner.goto("/seller/")
    listed = owner.locator("li.seller-product", has=owner.locator("strong", has_text=TITLE))
    assert REASON in listed.locator(".notice-error").inner_text()
    listed.locator("a[href^='/seller/products/']").first.click()
    assert REASON in owner.locator("[role=alert].notice-error").inner_text()
