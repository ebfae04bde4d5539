"""The checkout draft: kept on the server between the checkout form and the review page.

A draft older than ``MAX_AGE`` is forgotten: a guest on a shared phone who walked away mid-checkout
should not hand their address to whoever opens the checkout next."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.orders.models import CheckoutDraft

MAX_AGE = timedelta(hours=6)


def load_draft(cart_id: int | None) -> dict | None:
    if cart_id is None:
        return None
    draft = db.session.execute(select(CheckoutDraft).where(CheckoutDraft.cart_id == cart_id)).scalar_one_or_none()
    if draft is None or draft.updated_at < utcnow() - MAX_AGE:
        return None
    return draft.data


def save_draft(cart_id: int, data: dict) -> None:
    """Replace the cart's draft, and delete every abandoned one (personal data kept no longer than
    needed: UU PDP 27/2022). Commits."""
    db.session.execute(delete(CheckoutDraft).where(CheckoutDraft.updated_at < utcnow() - MAX_AGE))
    draft = db.session.execute(select(CheckoutDraft).where(CheckoutDraft.cart_id == cart_id)).scalar_one_or_none()
    if draft is None:
        db.session.add(CheckoutDraft(cart_id=cart_id, data=data))
        try:
            db.session.commit()
            return
        except IntegrityError:  # the same form sent twice at once: the other request made the row
            db.session.rollback()
            draft = db.session.execute(select(CheckoutDraft).where(CheckoutDraft.cart_id == cart_id)).scalar_one()
    draft.data = data
    draft.updated_at = utcnow()
    db.session.commit()


def discard_draft(cart_id: int) -> None:
    """Commits."""
    db.session.execute(delete(CheckoutDraft).where(CheckoutDraft.cart_id == cart_id))
    db.session.commit()
