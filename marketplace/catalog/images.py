"""Uploaded pictures: prove they are real images, strip EXIF/GPS, store WebP original and thumbnails.

Everything is decoded and re-encoded in memory before a single byte is stored, so a refused upload
never leaves a file behind; ``store_image`` removes what it wrote if a later write fails.
"""
from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event, func, or_, select
from sqlalchemy.orm import Session

from marketplace.catalog.errors import ImageRejected
from marketplace.catalog.models import Business, ProductPhoto
from marketplace.extensions import db
from marketplace.storage import StorageError, get_storage

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 25_000_000  # ~5000x5000: more than any phone photo, far less than a decompression bomb
MAX_SIDE = 1600  # the normalised original
THUMB_WIDTHS = (320, 800)
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}

# Pillow warns above MAX_IMAGE_PIXELS and raises above twice that; we turn the warning into an error.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class ProcessedImage:
    key: str
    width: int
    height: int
    files: dict[str, bytes]  # key -> WebP bytes (original and thumbnails)


def thumb_key(key: str, width: int) -> str:
    base = key.rsplit(".", 1)[0]
    return f"{base}-w{width}.webp"


def process_image(data: bytes, prefix: str = "photos", max_side: int = MAX_SIDE) -> ProcessedImage:
    """Decode, check and re-encode an upload. Raises ImageRejected; never touches storage."""
    if not data:
        raise ImageRejected("empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRejected("too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise ImageRejected("format")
                if probe.width * probe.height > MAX_PIXELS:
                    raise ImageRejected("too_many_pixels")
                probe.verify()
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                img = ImageOps.exif_transpose(img)
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected("too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, TypeError,
            IndexError, struct.error):
        raise ImageRejected("not_an_image") from None

    has_alpha = img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info)
    img = img.convert("RGBA" if has_alpha else "RGB")
    # A fresh image without metadata: EXIF (camera, GPS position), XMP and ICC blocks stay behind.
    clean = Image.new(img.mode, img.size)
    clean.paste(img)
    clean.thumbnail((max_side, max_side))
    original = _webp(clean, quality=85)
    key = f"{prefix}/{hashlib.sha256(original).hexdigest()[:40]}.webp"
    files = {key: original}
    for width in THUMB_WIDTHS:
        small = clean.copy()
        small.thumbnail((width, width * 2))
        files[thumb_key(key, width)] = _webp(small, quality=80)
    return ProcessedImage(key=key, width=clean.width, height=clean.height, files=files)


def _webp(img: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    img.save(out, "WEBP", quality=quality, method=4, exif=b"", icc_profile=None)
    return out.getvalue()


def store_image(processed: ProcessedImage) -> None:
    """Write every file of a processed image, or none of them."""
    storage = get_storage()
    written: list[str] = []
    try:
        for key, blob in processed.files.items():
            storage.put(key, blob, "image/webp")
            written.append(key)
    except Exception:
        for key in written:
            _delete_quietly(storage, key)
        raise


def delete_image(key: str) -> None:
    """Delete at once: for files whose rows were never committed (a failed upload). Best effort: a
    file left behind has no row pointing at it, and the error that led here is the one to report."""
    storage = get_storage()
    for name in (key, *(thumb_key(key, width) for width in THUMB_WIDTHS)):
        _delete_quietly(storage, name)


def _delete_quietly(storage, key: str) -> None:
    try:
        storage.delete(key)
    except StorageError:
        current_app.logger.warning("could not delete %s; it stays in storage unreferenced", key)


def key_in_use(key: str, ignore: list | None = None) -> bool:
    """Whether a product photo (other than those in ``ignore``), a logo or a banner still shows the file:
    a duplicated product shares its photos' files, so a file goes only with its last row. Rows as stored:
    without autoflush, so a failed save's own new row (a logo just set) does not keep its file."""
    ignore_ids = [p.id for p in ignore or [] if p.id is not None]
    with db.session.no_autoflush:
        used = db.session.execute(
            select(func.count()).select_from(ProductPhoto)
            .where(ProductPhoto.key == key, ProductPhoto.id.not_in(ignore_ids or [0]))).scalar_one()
        if used:
            return True
        return bool(db.session.execute(select(func.count()).select_from(Business).where(
            or_(Business.logo_key == key, Business.banner_key == key))).scalar_one())


_DISCARDED = "discarded_image_keys"


def discard_after_commit(key: str) -> None:
    """Delete an image once the transaction that dropped its last row commits: a rollback must find
    its files still there."""
    db.session.info.setdefault(_DISCARDED, set()).add(key)


def _delete_discarded(session) -> None:
    for key in session.info.pop(_DISCARDED, ()):
        try:
            delete_image(key)
        except OSError:
            current_app.logger.exception("could not delete image %s", key)


def _forget_discarded(session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_DISCARDED, None)


def install() -> None:
    if not event.contains(Session, "after_commit", _delete_discarded):
        event.listen(Session, "after_commit", _delete_discarded)
        event.listen(Session, "after_soft_rollback", _forget_discarded)
