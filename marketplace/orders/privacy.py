"""Privacy hooks for orders (called by the accounts domain).

Erasure decision: order records stay (Indonesian tax law requires bookkeeping records to be kept for
10 years, UU KUP art. 28), but they stop pointing at the person:
- the order is detached from the account (``user_id`` set to NULL) and the email replaced by a
  placeholder, so no more mail is sent and the guest link leads nowhere personal;
- the phone number and the street, kelurahan and kecamatan are blanked; the recipient's name, city,
  province and postal code stay, as on an invoice;
- EXCEPT for parts still on their way (paid, packed, shipped): their address and phone are kept
  until delivery, because a seller is about to hand the parcel to a courier. They are detached from
  the account all the same.
- the cart is deleted, with its checkout draft (the address typed at checkout, before an order).
"""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from marketplace.extensions import db
from marketplace.orders.models import Cart, CartItem, CheckoutDraft, Order, PartStatus

COVERS = {
    "orders": "detached from the account, email replaced, phone and street blanked (kept while in transit)",
    "carts": "deleted with their items",
    "checkout_drafts": "exported; deleted with the cart (a guest's after six hours, orders/drafts.py)",
}
KEPT_BY_LAW = {
    "order_events": "an order's history is part of its bookkeeping record (UU KUP art. 28, 10 years); "
                    "it names the acting account by id only",
}

IN_TRANSIT = {PartStatus.PAID.value, PartStatus.PACKED.value, PartStatus.SHIPPED.value}


def _orders(user) -> list[Order]:
    return db.session.execute(
        select(Order).where(Order.user_id == user.id).order_by(Order.created_at)
        .options(selectinload(Order.parts))).scalars().all()


def _drafts(user) -> list[CheckoutDraft]:
    return db.session.execute(
        select(CheckoutDraft).join(Cart, Cart.id == CheckoutDraft.cart_id).where(Cart.user_id == user.id)
    ).scalars().all()


def export_user_data(user) -> dict:
    orders = [{
        "order": order.public_id, "placed_at": order.created_at.isoformat(), "status": order.status,
        "email": order.email, "total_idr": order.total_idr, "payment_method": order.payment_method,
        "address": {"recipient": order.recipient, "phone": order.phone, "street": order.street,
                    "kelurahan": order.kelurahan, "kecamatan": order.kecamatan, "city": order.city,
                    "province": order.province, "postal_code": order.postal_code},
        "parts": [{"seller": part.business.name, "status": part.status, "total_idr": part.total_idr,
                   "lines": [{"title": line.title, "variant": line.variant_label, "quantity": line.quantity,
                              "unit_price_idr": line.unit_price_idr} for line in part.lines]}
                  for part in order.parts],
    } for order in _orders(user)]
    drafts = [{"updated_at": draft.updated_at.isoformat(), **draft.data} for draft in _drafts(user)]
    return {"orders": orders, "checkout_drafts": drafts}


def erase_user_data(user) -> None:
    for order in _orders(user):
        order.user_id = None
        order.email = f"erased-{order.public_id[:12]}@invalid.invalid"
        if not any(part.status in IN_TRANSIT for part in order.parts):
            order.phone = ""
            order.street = order.kelurahan = order.kecamatan = ""
    cart_ids = db.session.execute(select(Cart.id).where(Cart.user_id == user.id)).scalars().all()
    if cart_ids:
        db.session.execute(delete(CheckoutDraft).where(CheckoutDraft.cart_id.in_(cart_ids)))
        db.session.execute(delete(CartItem).where(CartItem.cart_id.in_(cart_ids)))
        db.session.execute(delete(Cart).where(Cart.id.in_(cart_ids)))
    db.session.flush()
