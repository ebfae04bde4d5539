"""Storefronts (businesses), products, variants, photos and categories.

Stock lives on variants only: every product has at least one variant (a product without sizes or
colours has a single default variant with an empty label), so the cart and stock reservation always
work on ``Variant`` rows.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.timeutil import utcnow
from marketplace.core.types import UTCDateTime
from marketplace.extensions import db


class BusinessStatus(str, enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    HOLIDAY = "holiday"
    SUSPENDED = "suspended"


class ProductStatus(str, enum.Enum):
    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_id: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_id


class Business(db.Model):
    """A graduate's storefront. ``story`` is the only public place program participation may appear,
    and only while ``story_opt_in`` is set by the owner (revocable at any time)."""

    __tablename__ = "businesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(300), default="")
    story: Mapped[str] = mapped_column(Text, default="")
    story_opt_in: Mapped[bool] = mapped_column(default=False)
    story_opt_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    city: Mapped[str] = mapped_column(String(80))  # city or regency; never a street address in public
    # Required to open: delivery zones are found from it (marketplace.core.regions.PROVINCES).
    province: Mapped[str | None] = mapped_column(String(60))
    whatsapp: Mapped[str | None] = mapped_column(String(20))  # E.164, e.g. +6281234567890
    logo_key: Mapped[str | None] = mapped_column(String(200))
    banner_key: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default=BusinessStatus.DRAFT.value, index=True)
    moderation_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    owner = relationship("User")
    products: Mapped[list[Product]] = relationship(back_populates="business")

    @property
    def is_public(self) -> bool:
        return self.status in (BusinessStatus.OPEN.value, BusinessStatus.HOLIDAY.value)

    @property
    def accepts_orders(self) -> bool:
        return self.status == BusinessStatus.OPEN.value and self.province is not None


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("business_id", "slug"),
        CheckConstraint("price_idr >= 0", name="price_not_negative"),
        Index("ix_products_status_created", "status", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")  # limited Markdown, sanitised on render
    price_idr: Mapped[int]
    weight_grams: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(12), default=ProductStatus.DRAFT.value)
    featured: Mapped[bool] = mapped_column(default=False)
    # Moderation by program staff: a hidden product answers 404 to the public; the owner sees why.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    business: Mapped[Business] = relationship(back_populates="products")
    category: Mapped[Category | None] = relationship()
    variants: Mapped[list[Variant]] = relationship(
        back_populates="product", order_by="Variant.position", cascade="all, delete-orphan")
    photos: Mapped[list[ProductPhoto]] = relationship(
        back_populates="product", order_by="ProductPhoto.position", cascade="all, delete-orphan")

    @property
    def is_public(self) -> bool:
        return (self.status == ProductStatus.ACTIVE.value and self.hidden_at is None
                and self.business.is_public)


class Variant(db.Model):
    """A size/colour of a product with its own stock and an optional price of its own."""

    __tablename__ = "variants"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price_idr IS NULL OR price_idr >= 0", name="price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    label: Mapped[str] = mapped_column(String(60), default="")  # "" for a product's default variant
    size: Mapped[str | None] = mapped_column(String(30))
    colour: Mapped[str | None] = mapped_column(String(30))
    price_idr: Mapped[int | None]  # None: the product's price
    stock: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="variants")

    @property
    def unit_price_idr(self) -> int:
        return self.price_idr if self.price_idr is not None else self.product.price_idr


class ProductPhoto(db.Model):
    __tablename__ = "product_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    key: Mapped[str] = mapped_column(String(200))  # storage key of the normalised original
    width: Mapped[int]
    height: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="photos")


class CatalogState(db.Model):
    """One row whose token changes whenever the catalog changes: the key of the rendered-page cache.

    A random token rather than a counter, so a cache never mistakes a rebuilt database for an old one."""

    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


LOW_STOCK_THRESHOLD = 3
