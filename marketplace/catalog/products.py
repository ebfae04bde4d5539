"""A seller's products, with their variants and photos."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from marketplace.accounts.models import User
from marketplace.catalog import images
from marketplace.catalog.errors import CatalogError, ImageRejected, PhotoStorageDown
from marketplace.catalog.models import Business, Category, Product, ProductPhoto, ProductStatus, Variant
from marketplace.catalog.storefronts import slug_for
from marketplace.core.errors import NotFound
from marketplace.core.policy import owns_product
from marketplace.core.transactions import transactional
from marketplace.extensions import db
from marketplace.storage import StorageError

MAX_PHOTOS = 6
MAX_VARIANTS = 20
MAX_PRICE_IDR = 100_000_000
MAX_STOCK = 100_000
MAX_WEIGHT_GRAMS = 50_000


def has_listed_product(owner_id: int) -> bool:
    """Whether the owner's storefront has a product that is not archived (draft or on sale)."""
    return db.session.execute(
        select(Product.id).join(Business, Product.business_id == Business.id)
        .where(Business.owner_id == owner_id, Product.status != ProductStatus.ARCHIVED.value).limit(1)
    ).first() is not None


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


@transactional
def create_product(business: Business, data: ProductData) -> Product:
    _check_money_and_stock(data.price_idr, data.stock)
    product = Product(business_id=business.id, title=data.title.strip(), description=data.description.strip(),
                      price_idr=data.price_idr, weight_grams=data.weight_grams,
                      category_id=_valid_category(data.category_id), status=_product_status(data.status),
                      slug=_unique_product_slug(business.id, data.title))
    product.variants.append(Variant(label="", stock=data.stock or 0, position=0))
    db.session.add(product)
    return product


def _product_status(status: str) -> str:
    return status if status in {s.value for s in ProductStatus} else ProductStatus.DRAFT.value


@transactional
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


@transactional
def quick_edit(product: Product, price_idr: int, stock: int | None) -> None:
    """Price and (for a single-variant product) stock from the product list."""
    _check_money_and_stock(price_idr, stock)
    product.price_idr = price_idr
    if stock is not None and len(product.variants) == 1:
        product.variants[0].stock = stock


@transactional
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
    return copy


@transactional
def archive_products(business_id: int, product_ids: list[int]) -> int:
    """Archive the owner's listed products; ids of other sellers are ignored. Returns how many."""
    products = db.session.execute(
        select(Product).where(Product.business_id == business_id, Product.id.in_(product_ids or [0]))
    ).scalars().all()
    for product in products:
        product.status = ProductStatus.ARCHIVED.value
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


def default_variant_stock(product: Product) -> int | None:
    """The stock of a product that still has only its unnamed default variant (the stock typed on the
    product form): the first named variant takes that variant over, stock included. None otherwise."""
    if len(product.variants) == 1 and product.variants[0].label == "":
        return product.variants[0].stock
    return None


@transactional
def add_variant(product: Product, data: VariantData) -> Variant:
    _check_money_and_stock(data.price_idr, data.stock)
    if len(product.variants) >= MAX_VARIANTS:
        raise CatalogError("too_many_variants")
    label = _variant_label(data)
    if not label:
        raise CatalogError("variant_needs_label")
    # A product that had only its default variant becomes a product with named variants: the first
    # variant replaces the default one, and its stock replaces the product's (the pages say so).
    if default_variant_stock(product) is not None:
        variant = product.variants[0]
    else:
        variant = Variant(position=max((v.position for v in product.variants), default=-1) + 1)
        product.variants.append(variant)
    _fill_variant(variant, data, label)
    return variant


def _fill_variant(variant: Variant, data: VariantData, label: str) -> None:
    variant.label = label
    variant.size = (data.size or "").strip()[:30] or None
    variant.colour = (data.colour or "").strip()[:30] or None
    variant.stock = data.stock
    variant.price_idr = data.price_idr


@transactional
def update_variant(product: Product, variant_id: int, data: VariantData) -> Variant:
    _check_money_and_stock(data.price_idr, data.stock)
    variant = _variant_of(product, variant_id)
    label = _variant_label(data)
    if not label and len(product.variants) > 1:
        raise CatalogError("variant_needs_label")
    _fill_variant(variant, data, label)
    return variant


@transactional
def delete_variant(product: Product, variant_id: int) -> None:
    variant = _variant_of(product, variant_id)
    if len(product.variants) == 1:
        raise CatalogError("last_variant")
    product.variants.remove(variant)  # a single named variant left (e.g. one size) stays named


def _variant_of(product: Product, variant_id: int) -> Variant:
    for variant in product.variants:
        if variant.id == variant_id:
            return variant
    raise NotFound()


# Photos ---------------------------------------------------------------------------------------


@transactional
def add_photos(product: Product, uploads: list[bytes]) -> list[ProductPhoto]:
    """Check every upload first, then store them all; a refusal stores nothing, and so does a photo storage
    that does not answer (``PhotoStorageDown``)."""
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
    except Exception as exc:
        for item in stored:
            if not images.key_in_use(item.key, ignore=added):
                images.delete_image(item.key)
        if isinstance(exc, StorageError):
            raise PhotoStorageDown() from exc
        raise
    return added


@transactional
def remove_photo(product: Product, photo_id: int) -> None:
    photo = next((p for p in product.photos if p.id == photo_id), None)
    if photo is None:
        raise NotFound()
    key = photo.key
    product.photos.remove(photo)
    db.session.flush()
    if not images.key_in_use(key):
        images.discard_after_commit(key)  # a duplicated product may still show the same file


@transactional
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
