"""Photo uploads: only real, reasonably sized pictures; metadata stripped; nothing left behind on failure."""
import io
import itertools
import zlib
from contextlib import contextmanager

import pytest
from PIL import Image
from sqlalchemy import func, select

from marketplace.catalog import images, products, storefronts
from marketplace.catalog.errors import PhotoStorageDown
from marketplace.catalog.models import ProductPhoto
from marketplace.core.transactions import transaction
from marketplace.extensions import db
from marketplace.storage import StorageError
from tests import factories


def _upload(client, product, *blobs, name="photo.jpg"):
    files = [(io.BytesIO(b), name) for b in blobs]
    return client.post(f"/seller/products/{product.id}/photos", data={"photos": files},
                       content_type="multipart/form-data")


def _photo_count() -> int:
    return db.session.execute(select(func.count()).select_from(ProductPhoto)).scalar_one()


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "S", 2: (7.0, 48.0, 0.0), 3: "E", 4: (114.0, 22.0, 0.0)}  # GPS: Banyuwangi
    return factories.image_bytes(size=(120, 80), fmt="JPEG", exif=exif)


def test_an_upload_is_stored_as_webp_without_exif_or_gps(client, seller, stored_files):
    product = factories.product(seller)
    db.session.commit()
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x010F) == "PhoneMaker"

    response = _upload(client, product, original)
    assert response.status_code == 302
    photo = db.session.execute(select(ProductPhoto)).scalar_one()
    assert photo.key.endswith(".webp") and (photo.width, photo.height) == (120, 80)
    assert stored_files() == {photo.key, images.thumb_key(photo.key, 320), images.thumb_key(photo.key, 800)}

    served = client.get(f"/media/{photo.key}")
    assert served.status_code == 200 and served.mimetype == "image/webp"
    assert "immutable" in served.headers["Cache-Control"] and "max-age=31536000" in served.headers["Cache-Control"]
    stored = Image.open(io.BytesIO(served.data))
    assert stored.format == "WEBP"
    assert len(stored.getexif()) == 0 and "exif" not in stored.info


@pytest.mark.parametrize("blob", [
    b"this is a text file, not a picture",
    factories.image_bytes(fmt="PNG")[:60],  # corrupt: truncated
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 200,
    b"",
], ids=["text", "truncated", "fake-header", "empty"])
def test_non_images_and_corrupt_files_are_refused_and_nothing_is_stored(client, seller, stored_files, blob):
    product = factories.product(seller)
    db.session.commit()
    response = _upload(client, product, blob)
    assert response.status_code == 400
    assert _photo_count() == 0 and stored_files() == set()


def _png_bomb(width: int, height: int) -> bytes:
    """A tiny file that claims a huge picture: IHDR with large dimensions and a little compressed data."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = zlib.compress(b"\x00" * (width // 8 + 1) * 16, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def test_decompression_bombs_and_oversized_files_are_refused(client, seller, stored_files):
    product = factories.product(seller)
    db.session.commit()
    bomb = _png_bomb(60_000, 60_000)
    assert len(bomb) < 10_000
    response = _upload(client, product, bomb, name="bomb.png")
    assert response.status_code == 400 and b"too many pixels" in response.data
    huge = b"\xff\xd8\xff" + b"\x00" * (images.MAX_UPLOAD_BYTES + 10)
    assert _upload(client, product, huge).status_code == 400
    assert _photo_count() == 0 and stored_files() == set()


def test_one_bad_file_in_a_batch_stores_none_of_them(client, seller, stored_files):
    product = factories.product(seller)
    db.session.commit()
    response = _upload(client, product, factories.image_bytes(), b"not an image")
    assert response.status_code == 400
    assert _photo_count() == 0 and stored_files() == set()


def test_at_most_six_photos(client, seller, stored_files):
    product = factories.product(seller)
    db.session.commit()
    blobs = [factories.image_bytes(colour=(i * 30, 10, 10)) for i in range(7)]
    assert _upload(client, product, *blobs[:5]).status_code == 302
    before = stored_files()
    assert _upload(client, product, *blobs[5:]).status_code == 400
    assert _photo_count() == 5 and stored_files() == before


@contextmanager
def storage_failing(app, fails):
    """The storage boundary failing (full disk, network) on the writes ``fails(key, n)`` picks (n counts
    from 1): not our code path, so a stand-in is fair."""
    real = images.get_storage()
    writes = itertools.count(1)

    class Failing:
        def put(self, key, data, content_type):
            if fails(key, next(writes)):
                raise StorageError(f"storage refused {key}")
            real.put(key, data, content_type)

        def __getattr__(self, name):
            return getattr(real, name)

    app.extensions["storage"]["backend"] = Failing()
    try:
        yield
    finally:
        app.extensions["storage"]["backend"] = real


def test_a_storage_failure_midway_removes_what_was_written(app, seller, stored_files):
    product = factories.product(seller)
    db.session.commit()
    with storage_failing(app, lambda key, n: n == 3), pytest.raises(PhotoStorageDown):
        products.add_photos(product, [factories.image_bytes()])
    assert stored_files() == set() and _photo_count() == 0


def test_a_storefront_whose_banner_cannot_be_stored_leaves_no_logo_behind(app, stored_files):
    owner = factories.user("graduate")
    db.session.commit()
    with storage_failing(app, lambda key, n: key.startswith("banners/")), pytest.raises(PhotoStorageDown):
        storefronts.save_business(owner.id, storefronts.BusinessData(name="Toko Sari", city="Genteng"),
                                  logo=factories.image_bytes(), banner=factories.image_bytes(colour=(0, 0, 200)))
    assert stored_files() == set()
    assert storefronts.business_of(owner.id) is None


class LaterStepFailed(Exception):
    pass


def test_a_removal_that_is_rolled_back_keeps_the_file(client, seller, stored_files):
    product = factories.product(seller)
    db.session.commit()
    _upload(client, product, factories.image_bytes())
    photo = db.session.execute(select(ProductPhoto)).scalar_one()
    with pytest.raises(LaterStepFailed), transaction():  # the removal joins a transaction that then fails
        products.remove_photo(product, photo.id)
        raise LaterStepFailed()
    assert photo.key in stored_files()
    assert _photo_count() == 1


def test_media_answers_404_for_unknown_or_odd_keys(client):
    assert client.get("/media/photos/nothing.webp").status_code == 404
    assert client.get("/media/../../etc/passwd").status_code == 404
    assert client.get("/media/photos/%2e%2e/x").status_code == 404


def test_a_logo_upload_is_checked_too(client, login_as, stored_files):
    login_as("graduate")
    data = {"name": "Toko", "city": "Banyuwangi", "province": "Jawa Timur", "status": "open",
            "logo": (io.BytesIO(b"<svg onload=alert(1)>"), "logo.svg")}
    response = client.post("/seller/storefront", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and stored_files() == set()
