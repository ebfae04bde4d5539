"""The catalog's part of "download my data" and "delete my account"."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.catalog import images
from marketplace.catalog.models import Business, BusinessStatus, Product, ProductPhoto
from marketplace.extensions import db

COVERS = {
    "businesses": "the storefront is closed and anonymised; its pictures are deleted; products stay "
                  "hidden because orders refer to them",
}
KEPT_BY_LAW: dict[str, str] = {}


def _business(user) -> Business | None:
    return db.session.execute(
        select(Business).where(Business.owner_id == user.id)
        .options(selectinload(Business.products).selectinload(Product.variants),
                 selectinload(Business.products).selectinload(Product.photos))
    ).scalar_one_or_none()


def export_user_data(user) -> dict:
    business = _business(user)
    if business is None:
        return {"business": None}
    return {"business": {
        "name": business.name, "slug": business.slug, "description": business.description,
        "story": business.story, "story_opt_in": business.story_opt_in, "city": business.city,
        "whatsapp": business.whatsapp, "status": business.status,
        "moderation_reason": business.moderation_reason,
        "created_at": business.created_at.isoformat() if business.created_at else None,
        "products": [{
            "title": p.title, "slug": p.slug, "description": p.description, "price_idr": p.price_idr,
            "weight_grams": p.weight_grams, "status": p.status,
            "hidden_reason": p.hidden_reason,
            "variants": [{"label": v.label, "stock": v.stock, "price_idr": v.price_idr} for v in p.variants],
            "photos": [photo.key for photo in p.photos],
        } for p in business.products],
    }}


def erase_user_data(user) -> None:
    """Close and anonymise the storefront. Products stay (orders refer to them) but nobody sees them."""
    business = _business(user)
    if business is None:
        return
    keys = {k for k in (business.logo_key, business.banner_key) if k}
    business.status = BusinessStatus.DRAFT.value
    business.story = ""
    business.story_opt_in = False
    business.story_opt_in_at = None
    business.whatsapp = None
    business.logo_key = None
    business.banner_key = None
    business.name = f"Closed shop {business.id}"
    business.slug = f"closed-{business.id}"
    business.description = ""
    for product in business.products:
        for photo in list(product.photos):
            keys.add(photo.key)
            product.photos.remove(photo)
    db.session.flush()
    for key in keys:
        still_used = db.session.execute(select(ProductPhoto.id).where(ProductPhoto.key == key).limit(1)).first()
        if still_used is None:
            images.discard_after_commit(key)
