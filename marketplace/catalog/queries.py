"""The read API of storefronts for other domains (mentoring, jobs): plain rows, never ORM objects, so
readers cannot change the catalog by accident. Aggregates are computed by the database."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from marketplace.catalog.models import Business, BusinessStatus, Product, ProductStatus
from marketplace.core.timeutil import as_utc
from marketplace.extensions import db


@dataclass(frozen=True)
class BusinessInfo:
    id: int
    owner_id: int
    name: str
    slug: str
    city: str
    status: str
    updated_at: datetime  # the last change, e.g. when it went on holiday

    @property
    def on_holiday(self) -> bool:
        return self.status == BusinessStatus.HOLIDAY.value

    @property
    def is_public(self) -> bool:
        return self.status in (BusinessStatus.OPEN.value, BusinessStatus.HOLIDAY.value)


_COLUMNS = (Business.id, Business.owner_id, Business.name, Business.slug, Business.city, Business.status,
            Business.updated_at)


def _info(row) -> BusinessInfo:
    return BusinessInfo(row.id, row.owner_id, row.name, row.slug, row.city, row.status, as_utc(row.updated_at))


def businesses_of_owners(owner_ids: Iterable[int]) -> dict[int, BusinessInfo]:
    """The storefront of each owner who has one, keyed by owner id (one query)."""
    ids = list(owner_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(*_COLUMNS).where(Business.owner_id.in_(ids)))
    return {row.owner_id: _info(row) for row in rows}


def business_ids_of_owners(owner_ids) -> select:
    """A SELECT of the storefront ids of ``owner_ids`` (a list or a SELECT of user ids), to pass on to
    ``orders.queries`` without loading a thousand ids."""
    return select(Business.id).where(Business.owner_id.in_(owner_ids))


def active_product_counts(business_ids: Iterable[int]) -> dict[int, int]:
    """Products on sale now, per business (businesses with none are absent)."""
    ids = list(business_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Product.business_id, func.count())
        .where(Product.business_id.in_(ids), Product.status == ProductStatus.ACTIVE.value)
        .group_by(Product.business_id))
    return {bid: int(n) for bid, n in rows}
