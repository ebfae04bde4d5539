"""Moderation by program staff: hide and show products, suspend and reinstate storefronts, each with a
reason the owner sees and a line in the audit log."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from marketplace.accounts.models import User
from marketplace.catalog.models import Business, BusinessStatus, Product
from marketplace.core import audit
from marketplace.core.errors import NotFound
from marketplace.core.policy import is_admin, may_moderate
from marketplace.core.timeutil import utcnow
from marketplace.core.transactions import transactional
from marketplace.extensions import db


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


@transactional
def hide_product(actor: User, product_id: int, reason: str) -> Product:
    product = _moderated_product(actor, product_id)
    product.hidden_at = utcnow()
    product.hidden_reason = reason.strip()
    audit.record(actor.id, "product.hide", "product", product.id, program_id=product.business.owner.program_id,
                 detail=reason.strip())
    return product


@transactional
def unhide_product(actor: User, product_id: int, reason: str = "") -> Product:
    product = _moderated_product(actor, product_id)
    product.hidden_at = None
    product.hidden_reason = None
    audit.record(actor.id, "product.unhide", "product", product.id, program_id=product.business.owner.program_id,
                 detail=reason.strip() or None)
    return product


@transactional
def suspend_business(actor: User, business_id: int, reason: str) -> Business:
    business = _moderated_business(actor, business_id)
    business.status = BusinessStatus.SUSPENDED.value
    business.moderation_reason = reason.strip()
    audit.record(actor.id, "business.suspend", "business", business.id, program_id=business.owner.program_id,
                 detail=reason.strip())
    return business


@transactional
def reinstate_business(actor: User, business_id: int, reason: str = "") -> Business:
    """Back to draft: the owner reopens the storefront when ready, after reading why it was suspended."""
    business = _moderated_business(actor, business_id)
    if business.status == BusinessStatus.SUSPENDED.value:
        business.status = BusinessStatus.DRAFT.value
    business.moderation_reason = None
    audit.record(actor.id, "business.reinstate", "business", business.id, program_id=business.owner.program_id,
                 detail=reason.strip() or None)
    return business
