"""Catalog rules: storefronts, products, variants, photos, public browsing and moderation."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import NamedTuple

from slugify import slugify
from sqlalchemy import Select, and_, bindparam, func, null, or_, select
from sqlalchemy.orm import joinedload, selectinload

from marketplace.accounts.models import User
from marketplace.catalog import images
from marketplace.catalog import search as fts
from marketplace.catalog.errors import CatalogError, ImageRejected, ProvinceRequired, SlugTaken
from marketplace.catalog.models import Business, BusinessStatus, Category, Product, ProductPhoto, ProductStatus, Variant
from marketplace.core import audit
from marketplace.core.errors import NotFound
from marketplace.core.phone import normalise_phone
from marketplace.core.policy import is_admin, may_moderate, owns_product
from marketplace.core.regions import PROVINCES
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db

MAX_PHOTOS = 6
MAX_VARIANTS = 20
MAX_PRICE_IDR = 100_000_000
MAX_STOCK = 100_000
MAX_WEIGHT_GRAMS = 50_000
PUBLIC_BUSINESS_STATUSES = (BusinessStatus.OPEN.value, BusinessStatus.HOLIDAY.value)
OWNER_STATUSES = (BusinessStatus.DRAFT.value, BusinessStatus.OPEN.value, BusinessStatus.HOLIDAY.value)


# Storefronts ----------------------------------------------------------------------------------


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


def save_business(owner_id: int, data: BusinessData, logo: bytes | None = None,
                  banner: bytes | None = None) -> Business:
    """Create or update the owner's storefront. Pictures are checked before anything is written."""
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
    except Exception:
        for key in written:
            if not _key_in_use(key):
                images.delete_image(key)
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


# Products -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductData:
    title: str
    price_idr: int
    description: str = ""
    weight_grams: int = 0
    category_id: int | None = None
    status: str = ProductStatus.DRAFT.value
    stock: int | None = None  # for a product with a single default variant


def _check_money_and_stock(price_idr: int | None = None, stock: int | None = None) -> None:
    if price_idr is not None and not 0 <= price_idr <= MAX_PRICE_IDR:
        raise CatalogError("invalid_price")
    if stock is not None and not 0 <= stock <= MAX_STOCK:
        raise CatalogError("invalid_stock")


def _unique_product_slug(business_id: int, title: str, exclude_id: int | None = None) -> str:
    base = slug_for(title, 100) if title else "produk"
    taken = set(db.session.execute(
        select(Product.slug).where(Product.business_id == business_id, Product.slug.like(f"{base}%"),
                                   Product.id != (exclude_id or 0))).scalars())
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _valid_category(category_id: int | None) -> int | None:
    if category_id is None:
        return None
    return db.session.get(Category, category_id) and category_id


def create_product(business: Business, data: ProductData) -> Product:
    _check_money_and_stock(data.price_idr, data.stock)
    product = Product(business_id=business.id, title=data.title.strip(), description=data.description.strip(),
                      price_idr=data.price_idr, weight_grams=data.weight_grams,
                      category_id=_valid_category(data.category_id), status=_product_status(data.status),
                      slug=_unique_product_slug(business.id, data.title))
    product.variants.append(Variant(label="", stock=data.stock or 0, position=0))
    db.session.add(product)
    db.session.flush()
    return product


def _product_status(status: str) -> str:
    return status if status in {s.value for s in ProductStatus} else ProductStatus.DRAFT.value


def update_product(product: Product, data: ProductData) -> Product:
    _check_money_and_stock(data.price_idr, data.stock)
    if product.title != data.title.strip():
        product.slug = _unique_product_slug(product.business_id, data.title, exclude_id=product.id)
    product.title = data.title.strip()
    product.description = data.description.strip()
    product.price_idr = data.price_idr
    product.weight_grams = data.weight_grams
    product.category_id = _valid_category(data.category_id)
    product.status = _product_status(data.status)
    if data.stock is not None and len(product.variants) == 1:
        product.variants[0].stock = data.stock
    db.session.flush()
    return product


def owned_product(owner: User, product_id: int) -> Product:
    """The owner's product, or NotFound: someone else's id in a URL looks exactly like a missing one."""
    product = db.session.execute(
        select(Product).where(Product.id == product_id)
        .options(joinedload(Product.business), selectinload(Product.variants), selectinload(Product.photos))
    ).scalar_one_or_none()
    if not owns_product(owner, product):
        raise NotFound()
    return product


def seller_products(business_id: int) -> list[Product]:
    return list(db.session.execute(
        select(Product).where(Product.business_id == business_id)
        .options(selectinload(Product.variants), selectinload(Product.photos), joinedload(Product.category))
        .order_by(Product.status, Product.created_at.desc(), Product.id.desc())
    ).scalars())


def quick_edit(product: Product, price_idr: int, stock: int | None) -> None:
    """Price and (for a single-variant product) stock from the product list."""
    _check_money_and_stock(price_idr, stock)
    product.price_idr = price_idr
    if stock is not None and len(product.variants) == 1:
        product.variants[0].stock = stock
    db.session.flush()


def duplicate_product(product: Product) -> Product:
    """A draft copy with the same variants and photos (photo files are shared: keys are content hashes)."""
    title = product.title[:110] + " (copy)" if len(product.title) <= 110 else product.title
    copy = Product(business_id=product.business_id, title=title, description=product.description,
                   price_idr=product.price_idr, weight_grams=product.weight_grams,
                   category_id=product.category_id, status=ProductStatus.DRAFT.value,
                   slug=_unique_product_slug(product.business_id, title))
    for v in product.variants:
        copy.variants.append(Variant(label=v.label, size=v.size, colour=v.colour, price_idr=v.price_idr,
                                     stock=v.stock, position=v.position))
    for p in product.photos:
        copy.photos.append(ProductPhoto(key=p.key, width=p.width, height=p.height, position=p.position))
    db.session.add(copy)
    db.session.flush()
    return copy


def archive_products(business_id: int, product_ids: list[int]) -> int:
    """Archive the owner's listed products; ids of other sellers are ignored. Returns how many."""
    products = db.session.execute(
        select(Product).where(Product.business_id == business_id, Product.id.in_(product_ids or [0]))
    ).scalars().all()
    for product in products:
        product.status = ProductStatus.ARCHIVED.value
    db.session.flush()
    return len(products)


# Variants -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VariantData:
    size: str = ""
    colour: str = ""
    stock: int = 0
    price_idr: int | None = None


def _variant_label(data: VariantData) -> str:
    return " / ".join(part.strip() for part in (data.size, data.colour) if part and part.strip())[:60]


def add_variant(product: Product, data: VariantData) -> Variant:
    _check_money_and_stock(data.price_idr, data.stock)
    if len(product.variants) >= MAX_VARIANTS:
        raise CatalogError("too_many_variants")
    label = _variant_label(data)
    if not label:
        raise CatalogError("variant_needs_label")
    # A product that had only its default variant becomes a product with named variants.
    if len(product.variants) == 1 and product.variants[0].label == "":
        variant = product.variants[0]
    else:
        variant = Variant(position=max((v.position for v in product.variants), default=-1) + 1)
        product.variants.append(variant)
    _fill_variant(variant, data, label)
    db.session.flush()
    return variant


def _fill_variant(variant: Variant, data: VariantData, label: str) -> None:
    variant.label = label
    variant.size = (data.size or "").strip()[:30] or None
    variant.colour = (data.colour or "").strip()[:30] or None
    variant.stock = data.stock
    variant.price_idr = data.price_idr


def update_variant(product: Product, variant_id: int, data: VariantData) -> Variant:
    _check_money_and_stock(data.price_idr, data.stock)
    variant = _variant_of(product, variant_id)
    label = _variant_label(data)
    if not label and len(product.variants) > 1:
        raise CatalogError("variant_needs_label")
    _fill_variant(variant, data, label)
    db.session.flush()
    return variant


def delete_variant(product: Product, variant_id: int) -> None:
    variant = _variant_of(product, variant_id)
    if len(product.variants) == 1:
        raise CatalogError("last_variant")
    product.variants.remove(variant)
    db.session.flush()
    if len(product.variants) == 1 and product.variants[0].label:
        pass  # a single named variant (e.g. one size) stays named


def _variant_of(product: Product, variant_id: int) -> Variant:
    for variant in product.variants:
        if variant.id == variant_id:
            return variant
    raise NotFound()


# Photos ---------------------------------------------------------------------------------------


def add_photos(product: Product, uploads: list[bytes]) -> list[ProductPhoto]:
    """Check every upload first, then store them all; a refusal stores nothing."""
    uploads = [u for u in uploads if u]
    if not uploads:
        raise ImageRejected("empty")
    if len(product.photos) + len(uploads) > MAX_PHOTOS:
        raise CatalogError("too_many_photos", limit=MAX_PHOTOS)
    processed = [images.process_image(data) for data in uploads]  # raises before anything is stored
    stored: list[images.ProcessedImage] = []
    added = []
    try:
        for item in processed:
            images.store_image(item)
            stored.append(item)
            photo = ProductPhoto(key=item.key, width=item.width, height=item.height,
                                 position=max((p.position for p in product.photos), default=-1) + 1)
            product.photos.append(photo)
            added.append(photo)
        db.session.flush()
    except Exception:
        for item in stored:
            if not _key_in_use(item.key, ignore=added):
                images.delete_image(item.key)
        raise
    return added


def _key_in_use(key: str, ignore: list | None = None) -> bool:
    ignore_ids = [p.id for p in ignore or [] if p.id is not None]
    used = db.session.execute(
        select(func.count()).select_from(ProductPhoto)
        .where(ProductPhoto.key == key, ProductPhoto.id.not_in(ignore_ids or [0]))).scalar_one()
    if used:
        return True
    return bool(db.session.execute(select(func.count()).select_from(Business).where(
        or_(Business.logo_key == key, Business.banner_key == key))).scalar_one())


def remove_photo(product: Product, photo_id: int) -> None:
    photo = next((p for p in product.photos if p.id == photo_id), None)
    if photo is None:
        raise NotFound()
    key = photo.key
    product.photos.remove(photo)
    db.session.flush()
    if not _key_in_use(key):
        images.discard_after_commit(key)  # a duplicated product may still show the same file


def move_photo(product: Product, photo_id: int, direction: str) -> None:
    photos = list(product.photos)
    index = next((i for i, p in enumerate(photos) if p.id == photo_id), None)
    if index is None:
        raise NotFound()
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(photos):
        photos[index], photos[target] = photos[target], photos[index]
        for position, photo in enumerate(photos):
            photo.position = position
        db.session.flush()


# Public browsing ------------------------------------------------------------------------------


def _public_product_filter():
    return and_(Product.status == ProductStatus.ACTIVE.value, Product.hidden_at.is_(None),
                Business.status.in_(PUBLIC_BUSINESS_STATUSES))


@dataclass(frozen=True)
class Browse:
    query: str = ""
    category_id: int | None = None
    business_id: int | None = None
    city: str = ""
    min_price: int | None = None
    max_price: int | None = None
    featured: bool = False
    sort: str = "newest"  # relevance, newest, price_asc, price_desc
    page: int = 1
    per_page: int = 24


class ProductCard(NamedTuple):
    """What a product card shows, read as a plain row: building ORM objects (with their business and
    photos) for every card cost more than the query and the template together."""

    id: int
    slug: str
    title: str
    price_idr: int
    status: str
    business_slug: str
    business_name: str
    business_city: str
    photo_key: str | None

    @classmethod
    def of(cls, product: Product) -> ProductCard:
        """The card of a product already loaded with its business and photos (the seller's own list)."""
        business = product.business
        return cls(product.id, product.slug, product.title, product.price_idr, product.status, business.slug,
                   business.name, business.city, product.photos[0].key if product.photos else None)


@dataclass
class Page:
    items: list[ProductCard] = field(default_factory=list)
    page: int = 1
    has_next: bool = False

    @property
    def has_prev(self) -> bool:
        return self.page > 1


SORTS = ("relevance", "newest", "price_asc", "price_desc")
MAX_PAGE = 400
# Relevance pages first rank only this many best matches: joining every match of a common word (2,000 of
# 20,000 products for 'batik') with its product and shop cost more than ranking them.
RANKED_CANDIDATES = 240


def browse(b: Browse) -> Page:
    """One page of public product cards in one query, whatever the page size (two for a relevance page
    that the best RANKED_CANDIDATES matches cannot fill, when filters or a deep page need more)."""
    page = min(max(b.page, 1), MAX_PAGE)
    words = fts.tokens(b.query)
    dialect = db.engine.dialect.name
    sort = "relevance" if b.sort in ("relevance", "") else b.sort
    if sort == "relevance" and not words:
        sort = "newest"
    shape = (dialect, b.category_id is not None, b.business_id is not None, bool(b.city), b.min_price is not None,
             b.max_price is not None, b.featured, bool(words), sort)
    # No price exceeds MAX_PRICE_IDR, so a larger bound means the same as MAX + 1, which also fits the
    # INTEGER column (PostgreSQL refuses to compare it with a bigger number: a 500).
    params = {"category_id": b.category_id, "business_id": b.business_id,
              "city": b.city.replace("\x00", "").strip().lower()[:80],
              "min_price": min(b.min_price, MAX_PRICE_IDR + 1) if b.min_price is not None else None,
              "max_price": min(b.max_price, MAX_PRICE_IDR + 1) if b.max_price is not None else None,
              "match": fts.match_text(dialect, words), "limit": b.per_page + 1,
              "offset": (page - 1) * b.per_page, "candidates": RANKED_CANDIDATES}
    capped = sort == "relevance" and params["offset"] + params["limit"] <= RANKED_CANDIDATES
    rows = db.session.execute(_browse_statement(*shape, capped=capped), params).all()
    # The page is right if it is full (the best candidates surviving the filters are the best matches that
    # do) or if every match was a candidate; an empty page cannot tell, so it asks again.
    if capped and len(rows) <= b.per_page and (not rows or rows[0].found > RANKED_CANDIDATES):
        rows = db.session.execute(_browse_statement(*shape, capped=False), params).all()
    cards = [ProductCard._make(row[:-1]) for row in rows]
    return Page(cards[: b.per_page], page, len(cards) > b.per_page)


@functools.cache
def _browse_statement(dialect: str, by_category: bool, by_business: bool, by_city: bool, by_min_price: bool,
                      by_max_price: bool, featured: bool, searching: bool, sort: str, capped: bool) -> Select:
    """The browse query for one combination of filters, with the values as bound parameters. Built once:
    building and hashing a new statement cost as much as running it.

    A deferred join: a narrow subquery pages the ids with their sort keys, then the outer query reads only
    what the cards show, the first photo included. ``capped``: only the best ``:candidates`` matches are
    joined; the last column, ``found``, counts all matches (else it is NULL)."""
    ids_query = select(Product.id).join(Product.business).where(_public_product_filter())
    if by_category:
        ids_query = ids_query.where(Product.category_id == bindparam("category_id"))
    if by_business:
        ids_query = ids_query.where(Product.business_id == bindparam("business_id"))
    if by_city:
        ids_query = ids_query.where(func.lower(Business.city) == bindparam("city"))
    if by_min_price:
        ids_query = ids_query.where(Product.price_idr >= bindparam("min_price"))
    if by_max_price:
        ids_query = ids_query.where(Product.price_idr <= bindparam("max_price"))
    if featured:
        ids_query = ids_query.where(Product.featured.is_(True))
    order = [(Product.created_at, True), (Product.id, True)]  # (expression, descending)
    found = null()
    if searching:
        if capped:
            candidates = fts.ranked_candidates(dialect, bindparam("match"), bindparam("candidates")).subquery()
            ids_query = ids_query.join(candidates, candidates.c.product_id == Product.id)
            rank, found = candidates.c.rank, candidates.c.found
        else:
            target, key, condition, rank = fts.match_clause(dialect, bindparam("match"))
            ids_query = ids_query.join(target, key == Product.id).where(condition)
        if sort == "relevance":
            order = [(rank, False), (Product.id, True)]
    if sort == "price_asc":
        order = [(Product.price_idr, False), (Product.id, True)]
    elif sort == "price_desc":
        order = [(Product.price_idr, True), (Product.id, True)]
    descending = [d for _, d in order]
    sort_keys = [expression.label(f"sort_{i}") for i, (expression, _) in enumerate(order)]
    ids = (ids_query.add_columns(found.label("found"), *sort_keys).order_by(*_directed(sort_keys, descending))
           .limit(bindparam("limit")).offset(bindparam("offset")).subquery("page_ids"))
    first_photo = (select(ProductPhoto.key).where(ProductPhoto.product_id == Product.id)
                   .order_by(ProductPhoto.position, ProductPhoto.id).limit(1).scalar_subquery())
    return (select(Product.id, Product.slug, Product.title, Product.price_idr, Product.status, Business.slug,
                   Business.name, Business.city, first_photo, ids.c.found)
            .select_from(ids).join(Product, Product.id == ids.c.id).join(Product.business)
            .order_by(*_directed([ids.c[k.name] for k in sort_keys], descending)))


def _directed(columns: list, descending: list[bool]) -> list:
    return [c.desc() if d else c.asc() for c, d in zip(columns, descending, strict=True)]


def _usable(text_: str) -> bool:
    """PostgreSQL refuses NUL characters in text; such a slug or filter can only mean 'nothing found'."""
    return "\x00" not in text_


def categories() -> list[Category]:
    return list(db.session.execute(select(Category).order_by(Category.position, Category.id)).scalars())


def cities() -> list[str]:
    return list(db.session.execute(
        select(Business.city).where(Business.status.in_(PUBLIC_BUSINESS_STATUSES))
        .group_by(Business.city).order_by(Business.city)).scalars())


def public_business(slug: str) -> Business | None:
    if not _usable(slug):
        return None
    business = db.session.execute(select(Business).where(Business.slug == slug)).scalar_one_or_none()
    return business if business is not None and business.is_public else None


def public_product(business_slug: str, product_slug: str) -> Product | None:
    """A public product with its business, variants, photos and category loaded (in one query), or None."""
    if not (_usable(business_slug) and _usable(product_slug)):
        return None
    return db.session.execute(_public_product_statement(), {"business_slug": business_slug,
                                                           "product_slug": product_slug}
                              ).unique().scalar_one_or_none()


@functools.cache
def _public_product_statement() -> Select:
    """Built once, like the browse queries. One round trip: the joined rows multiply as variants x photos,
    at most 20 x 6."""
    return (select(Product).join(Product.business)
            .where(Business.slug == bindparam("business_slug"), Product.slug == bindparam("product_slug"),
                   _public_product_filter())
            .options(joinedload(Product.business), joinedload(Product.category),
                     joinedload(Product.variants), joinedload(Product.photos)))


def public_product_by_id(product_id: int) -> Product | None:
    """For other domains (cart, orders): the product if the public may see and buy it, else None."""
    return db.session.execute(
        select(Product).join(Product.business).where(Product.id == product_id, _public_product_filter())
        .options(joinedload(Product.business), selectinload(Product.variants))
    ).unique().scalar_one_or_none()


def sitemap_entries(limit: int = 45_000) -> tuple[list[Category], list[Business], list[tuple[str, str, object]]]:
    businesses = list(db.session.execute(
        select(Business).where(Business.status.in_(PUBLIC_BUSINESS_STATUSES)).order_by(Business.id)).scalars())
    products = db.session.execute(
        select(Business.slug, Product.slug, Product.updated_at).join(Product.business)
        .where(_public_product_filter()).order_by(Product.id).limit(limit)).all()
    return categories(), businesses, [tuple(r) for r in products]


# Moderation -----------------------------------------------------------------------------------


def moderatable_businesses(actor: User) -> list[Business]:
    query = (select(Business).join(Business.owner)
             .options(selectinload(Business.products), joinedload(Business.owner))
             .order_by(Business.name))
    if not is_admin(actor):
        query = query.where(User.program_id == actor.program_id, User.program_id.is_not(None))
    return list(db.session.execute(query).unique().scalars())


def _moderated_business(actor: User, business_id: int) -> Business:
    business = db.session.get(Business, business_id)
    if not may_moderate(actor, business):
        raise NotFound()
    return business


def _moderated_product(actor: User, product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None or not may_moderate(actor, product.business):
        raise NotFound()
    return product


def hide_product(actor: User, product_id: int, reason: str) -> Product:
    product = _moderated_product(actor, product_id)
    product.hidden_at = utcnow()
    product.hidden_reason = reason.strip()
    audit.record(actor.id, "product.hide", "product", product.id, program_id=product.business.owner.program_id,
                 detail=reason.strip())
    db.session.flush()
    return product


def unhide_product(actor: User, product_id: int, reason: str = "") -> Product:
    product = _moderated_product(actor, product_id)
    product.hidden_at = None
    product.hidden_reason = None
    audit.record(actor.id, "product.unhide", "product", product.id, program_id=product.business.owner.program_id,
                 detail=reason.strip() or None)
    db.session.flush()
    return product


def suspend_business(actor: User, business_id: int, reason: str) -> Business:
    business = _moderated_business(actor, business_id)
    business.status = BusinessStatus.SUSPENDED.value
    business.moderation_reason = reason.strip()
    audit.record(actor.id, "business.suspend", "business", business.id, program_id=business.owner.program_id,
                 detail=reason.strip())
    db.session.flush()
    return business


def reinstate_business(actor: User, business_id: int, reason: str = "") -> Business:
    """Back to draft: the owner reopens the storefront when ready, after reading why it was suspended."""
    business = _moderated_business(actor, business_id)
    if business.status == BusinessStatus.SUSPENDED.value:
        business.status = BusinessStatus.DRAFT.value
    business.moderation_reason = None
    audit.record(actor.id, "business.reinstate", "business", business.id, program_id=business.owner.program_id,
                 detail=reason.strip() or None)
    db.session.flush()
    return business
