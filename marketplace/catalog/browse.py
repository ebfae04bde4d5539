"""What the public sees: product cards page by page (browsing, categories, search), storefronts, product
pages and the sitemap. Reads only."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import Select, and_, bindparam, func, null, select
from sqlalchemy.orm import joinedload

from marketplace.catalog import search as fts
from marketplace.catalog.models import Business, BusinessStatus, Category, Product, ProductPhoto, ProductStatus
from marketplace.catalog.products import MAX_PRICE_IDR
from marketplace.extensions import db

PUBLIC_BUSINESS_STATUSES = (BusinessStatus.OPEN.value, BusinessStatus.HOLIDAY.value)


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




def sitemap_entries(limit: int = 45_000) -> tuple[list[Category], list[Business], list[tuple[str, str, object]]]:
    businesses = list(db.session.execute(
        select(Business).where(Business.status.in_(PUBLIC_BUSINESS_STATUSES)).order_by(Business.id)).scalars())
    products = db.session.execute(
        select(Business.slug, Product.slug, Product.updated_at).join(Product.business)
        .where(_public_product_filter()).order_by(Product.id).limit(limit)).all()
    return categories(), businesses, [tuple(r) for r in products]
