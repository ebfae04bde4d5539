"""Storefronts: a graduate's business, its pictures and the story it may tell."""
from __future__ import annotations

from dataclasses import dataclass

from slugify import slugify
from sqlalchemy import select

from marketplace.catalog import images
from marketplace.catalog.errors import PhotoStorageDown, ProvinceRequired, SlugTaken
from marketplace.catalog.models import Business, BusinessStatus
from marketplace.core.phone import normalise_phone
from marketplace.core.regions import PROVINCES
from marketplace.core.timeutil import utcnow
from marketplace.core.transactions import transactional
from marketplace.extensions import db
from marketplace.storage import StorageError

OWNER_STATUSES = (BusinessStatus.DRAFT.value, BusinessStatus.OPEN.value, BusinessStatus.HOLIDAY.value)


@dataclass(frozen=True)
class BusinessData:
    name: str
    city: str
    description: str = ""
    slug: str = ""
    story: str = ""
    story_opt_in: bool = False
    whatsapp: str = ""
    status: str = BusinessStatus.DRAFT.value
    province: str = ""


def business_of(owner_id: int) -> Business | None:
    return db.session.execute(select(Business).where(Business.owner_id == owner_id)).scalar_one_or_none()


def slug_for(text_: str, max_length: int = 80) -> str:
    return slugify(text_ or "", max_length=max_length, word_boundary=True) or "toko"


@transactional
def save_business(owner_id: int, data: BusinessData, logo: bytes | None = None,
                  banner: bytes | None = None) -> Business:
    """Create or update the owner's storefront. Pictures are checked before anything is written; when the
    photo storage does not answer nothing is saved (``PhotoStorageDown``)."""
    business = business_of(owner_id)
    slug = slug_for(data.slug or data.name)
    clash = db.session.execute(select(Business.id).where(Business.slug == slug)).scalar_one_or_none()
    if clash is not None and (business is None or clash != business.id):
        raise SlugTaken()
    whatsapp = normalise_phone(data.whatsapp)
    province = data.province.strip() if data.province and data.province.strip() in PROVINCES else None
    opening = data.status == BusinessStatus.OPEN.value and (business is None
                                                              or business.status != BusinessStatus.SUSPENDED.value)
    if opening and province is None:
        raise ProvinceRequired()
    processed_logo = images.process_image(logo, prefix="logos", max_side=512) if logo else None
    processed_banner = images.process_image(banner, prefix="banners", max_side=1600) if banner else None

    if business is None:
        business = Business(owner_id=owner_id)
        db.session.add(business)
    business.name = data.name.strip()
    business.slug = slug
    business.city = data.city.strip()
    business.province = province
    business.description = data.description.strip()
    business.story = data.story.strip()
    set_story_opt_in(business, data.story_opt_in)
    business.whatsapp = whatsapp
    if business.status != BusinessStatus.SUSPENDED.value and data.status in OWNER_STATUSES:
        business.status = data.status
    written = []
    try:
        for processed, attr in ((processed_logo, "logo_key"), (processed_banner, "banner_key")):
            if processed:
                images.store_image(processed)
                written.append(processed.key)
                setattr(business, attr, processed.key)
        db.session.flush()
    except Exception as exc:
        for key in written:
            if not images.key_in_use(key):
                images.delete_image(key)
        if isinstance(exc, StorageError):
            raise PhotoStorageDown() from exc
        raise
    return business


def set_story_opt_in(business: Business, opted_in: bool) -> None:
    """The owner's explicit, revocable consent to show their story (which may mention the program)."""
    if opted_in and not business.story_opt_in:
        business.story_opt_in_at = utcnow()
    if not opted_in:
        business.story_opt_in_at = None
    business.story_opt_in = bool(opted_in)


def public_story(business: Business) -> str:
    return business.story if business.story_opt_in and business.story else ""
