"""What the catalog refuses, and how each refusal is said (see ``marketplace.core.errors``).

Another seller's product, photo or variant is refused with ``marketplace.core.errors.NotFound``."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.core.errors import DomainError


class CatalogError(DomainError):
    """A catalog rule refused the action; ``code`` names which (``CatalogError("invalid_price")``)."""

    messages = {
        "slug_taken": _l("That web address is already taken; choose another."),
        "province_required": _l("Choose your province to open your shop: delivery costs depend on it."),
        "invalid_price": _l("Enter a price between 0 and 100,000,000."),
        "invalid_stock": _l("Enter a stock between 0 and 100,000."),
        "too_many_variants": _l("A product can have at most 20 variants."),
        "variant_needs_label": _l("Give the variant a size or a colour."),
        "last_variant": _l("A product needs at least one variant."),
        "too_many_photos": _l("A product can have at most 6 photos."),
        # Pictures (ImageRejected)
        "empty": _l("Choose a picture to upload."),
        "too_large": _l("That file is too large (8 MB at most)."),
        "too_many_pixels": _l("That picture has too many pixels; please resize it."),
        "format": _l("Only JPEG, PNG, WebP or GIF pictures are accepted."),
        "not_an_image": _l("That file is not a picture we can read."),
        "storage": _l("Your picture could not be saved just now (our photo storage did not answer). Nothing was "
                      "changed; please try again in a few minutes."),
    }


class SlugTaken(CatalogError):
    code = "slug_taken"


class ProvinceRequired(CatalogError):
    """A shop opens only with its province: delivery zones are found from it."""

    code = "province_required"


class PhotoStorageDown(CatalogError):
    """The photo storage did not answer; nothing was changed."""

    code = "storage"
    status = 503


class ImageRejected(CatalogError):
    """The upload is not an image we accept; the code says why (``too_large``, ``format``, ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)

    @property
    def reason(self) -> str:
        return self.code
