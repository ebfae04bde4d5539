"""Demo orders in every state, bought by the demo customers from the demo storefronts' active products.

Idempotent: each demo order has a fixed idempotency key, so a second run finds it and changes nothing.
Does nothing when the catalog has no products with stock."""
from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.catalog.models import Business, Product, ProductStatus, Variant
from marketplace.extensions import db
from marketplace.orders import cart as carts
from marketplace.orders import checkout, closing, fulfilment, lookup, settlement
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod

# (key suffix, the state to bring the order to)
STATES = ("awaiting_payment", "paid", "packed", "shipped", "delivered", "completed", "cancelled", "refunded")
# Beyond the statuses: a shipped parcel whose customer reported a problem (waiting for program staff).
PROBLEM = "problem"
DEMO_ADDRESSES = [
    checkout.Address("Andi Wijaya", "+6281234567801", "Jl. Ahmad Yani No. 12", "Penganjuran", "Banyuwangi",
                     "Banyuwangi", "Jawa Timur", "68416"),
    checkout.Address("Putri Ayu", "+6281234567802", "Jl. Malioboro No. 40", "Sosromenduran", "Gedong Tengen",
                     "Yogyakarta", "DI Yogyakarta", "55271"),
    checkout.Address("Rudi Hartono", "+6281234567803", "Jl. Sudirman No. 7", "Karet", "Setiabudi",
                     "Jakarta Selatan", "DKI Jakarta", "12920"),
]


def seed() -> None:
    from marketplace.orders import demo_history

    demo_history.seed()  # months of past sales first: today's demo orders come after them
    customers = db.session.execute(
        select(User).where(User.email.in_([f"pembeli{i}@pasarbangkit.id" for i in (1, 2, 3)])).order_by(User.email)
    ).scalars().all()
    variants = db.session.execute(
        select(Variant).join(Variant.product).join(Product.business)
        .where(Product.status == ProductStatus.ACTIVE.value, Product.hidden_at.is_(None),
               Business.status == "open", Variant.stock >= 3)
        .order_by(Product.id, Variant.position)).scalars().all()
    if not customers or not variants:
        return
    for n, state in enumerate((*STATES, PROBLEM)):
        key = f"demo-order-{state}-0001"
        if lookup.order_for_key(key) is not None:
            continue
        customer = customers[n % len(customers)]
        variant = variants[n % len(variants)]
        if variant.stock < 1 or variant.product.business.owner_id == customer.id:
            continue
        cart = carts.cart_for_user(customer.id)
        for item in list(cart.items):
            db.session.delete(item)
        carts.add_to_cart(cart.id, variant.id, 1, customer.id)
        order = checkout.place_order(checkout.CheckoutRequest(
            cart_id=cart.id, email=customer.email, address=DEMO_ADDRESSES[n % len(DEMO_ADDRESSES)], delivery={},
            payment_method=(PaymentMethod.COD if state == "completed" else PaymentMethod.BANK_TRANSFER).value,
            idempotency_key=key,
            user_id=customer.id, locale=customer.locale or "id"))
        _advance(order, state)


def _advance(order, state: str) -> None:
    part = order.parts[0]
    seller_id = part.business.owner_id
    if state == "awaiting_payment":
        return
    if state == "cancelled":
        closing.cancel_part(part.id, seller_id, "Stok habis / out of stock")
        return
    if order.payment_method == PaymentMethod.COD.value:
        settlement.confirm_cash_payment(part.id, seller_id)  # the seller has the cash
    else:  # program staff saw the exact amount, kode unik included, on the bank statement
        settlement.confirm_bank_transfer(order.id, payments.payment_for(order).to_transfer_idr, None, source="demo")
    if state == "refunded":
        closing.cancel_part(part.id, seller_id, "Barang rusak saat dikemas / damaged while packing")
        return
    target = "shipped" if state == PROBLEM else state
    for step in ("packed", "shipped", "delivered", "completed"):
        if STATES.index(step) > STATES.index(target):
            break
        fulfilment.advance_part(part.id, step, seller_id, courier="JNE", tracking_number=f"JNE{order.id:08d}")
    if state == PROBLEM:
        fulfilment.report_problem(order.id, part.id, "Paket belum sampai setelah seminggu / not arrived after a week",
                                  order.user_id)
