"""A graduate lists a new product with a photo taken on a phone (GPS position in its EXIF); a guest
finds it through search, and the photo they are served carries no trace of where it was taken."""
import io
import json
import re

import pytest
from PIL import Image

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

TITLE = "Vas Bambu Lontar Ukir"
EXIF_GPS_IFD = 0x8825


def phone_photo_with_gps(path):
    photo = Image.new("RGB", (640, 480), (176, 122, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif.get_ifd(EXIF_GPS_IFD).update({1: "S", 2: (8.0, 13.0, 4.0), 3: "E", 4: (114.0, 22.0, 9.0)})
    photo.save(path, "JPEG", exif=exif.tobytes())
    assert Image.open(path).getexif().get_ifd(EXIF_GPS_IFD), "the test photo must really carry GPS"
    return path


def category_id(live_server, slug: str) -> str:
    from sqlalchemy import select

    from marketplace.catalog.models import Category
    from marketplace.extensions import db

    with live_server.app.app_context():
        found = db.session.execute(select(Category.id).where(Category.slug == slug)).scalar_one()
        db.session.remove()
    return str(found)


def assert_no_metadata(response) -> None:
    assert response.status == 200, response.url
    data = response.body()
    picture = Image.open(io.BytesIO(data))
    picture.load()
    assert dict(picture.getexif()) == {}, response.url
    assert "exif" not in picture.info and "xmp" not in picture.info, response.url
    assert b"Exif" not in data and b"PhoneMaker" not in data, response.url


def test_a_graduate_lists_a_product_a_guest_finds_it_and_the_photo_has_no_gps(new_page, live_server, tmp_path):
    seller = new_page()
    sign_in(seller, "dedi@pasarbangkit.id")
    seller.goto("/seller/")
    seller.click("a[href='/seller/products/new']")
    seller.fill("input[name=title]", TITLE)
    seller.fill("textarea[name=description]", "Vas bambu dengan ukiran daun lontar.")
    seller.fill("input[name=price_idr]", "95000")
    seller.fill("input[name=stock]", "5")
    seller.fill("input[name=weight_grams]", "400")
    seller.select_option("select[name=category_id]", category_id(live_server, "kerajinan"))
    seller.click("form.narrow-form button[type=submit]")
    seller.wait_for_url(re.compile(r"/seller/products/\d+$"))
    edit_url = seller.url

    seller.fill("form[action$='/variants'] input[name=size]", "Besar")
    seller.fill("form[action$='/variants'] input[name=stock]", "4")
    seller.click("form[action$='/variants'] button[type=submit]")
    seller.wait_for_load_state()
    seller.fill("form[action$='/variants'] input[name=size]", "Kecil")
    seller.fill("form[action$='/variants'] input[name=stock]", "2")
    seller.fill("form[action$='/variants'] input[name=price_idr]", "70000")
    seller.click("form[action$='/variants'] button[type=submit]")
    seller.wait_for_load_state()
    assert seller.locator("form.variant-row[action*='/variants/']").count() == 2

    seller.set_input_files("form[action$='/photos'] input[name=photos]",
                           str(phone_photo_with_gps(tmp_path / "IMG_20260501_vas.jpg")))
    seller.click("form[action$='/photos'] button[type=submit]")
    seller.wait_for_load_state()
    assert seller.locator("#photos .photo-list img").count() == 1

    guest = new_page()
    guest.goto("/cari?q=lontar")  # a draft is not for sale yet (and this fills the page cache)
    assert guest.locator("a[href^='/toko/anyaman-bambu-dedi/']", has_text=TITLE).count() == 0

    seller.select_option("select[name=status]", "active")
    seller.click("form.narrow-form button[type=submit]")
    seller.wait_for_url(edit_url)
    assert seller.locator("select[name=status]").input_value() == "active"

    guest.goto("/cari?q=lontar")
    result = guest.locator("a[href^='/toko/anyaman-bambu-dedi/']", has_text=TITLE)
    assert result.count() >= 1
    result.first.click()
    guest.wait_for_load_state()
    assert guest.locator("h1").inner_text() == TITLE
    assert guest.locator("form.add-to-cart select[name=variant_id] option:not([value=''])").count() == 2

    shown = guest.locator(".product-photos img").first
    assert shown.evaluate("img => img.complete && img.naturalWidth > 0")
    photo_urls = {shown.get_attribute("src")}
    photo_urls |= {guest.locator("meta[property='og:image']").get_attribute("content")}
    product_data = json.loads(guest.locator("script[type='application/ld+json']").inner_text())
    photo_urls |= set(product_data["image"])
    assert len(photo_urls) >= 2  # the displayed size and the full-size original
    for url in photo_urls:
        assert_no_metadata(guest.request.get(url))
