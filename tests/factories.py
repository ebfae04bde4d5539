"""Small factories: build valid objects with sensible defaults; override what a test cares about."""
from __future__ import annotations

import itertools
from datetime import date

from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.catalog.models import Business, BusinessStatus, Product, ProductStatus, Variant
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.programs.models import Cohort, Program

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def program(**fields) -> Program:
    n = next(_seq)
    p = Program(**{"slug": f"program-{n}", "name": f"Program {n}", "institution": "IPWL Test",
                   "city": "Banyuwangi", **fields})
    db.session.add(p)
    db.session.flush()
    return p


def cohort(program_: Program | None = None, **fields) -> Cohort:
    program_ = program_ or program()
    c = Cohort(**{"program_id": program_.id, "name": f"Cohort {next(_seq)}", "started_on": date(2026, 1, 5),
                  **fields})
    db.session.add(c)
    db.session.flush()
    return c


def user(role: str = "customer", **fields) -> User:
    """A verified, active user. Staff, graduates and mentors get a program unless one is given."""
    n = next(_seq)
    if role == "partner_pending":
        role = "partner"
        fields.setdefault("approved_at", None)
    if role in ("staff", "graduate", "mentor") and "program_id" not in fields:
        fields["program_id"] = program().id
    if role == "partner":
        fields.setdefault("organisation", f"PT Mitra {n}")
        fields.setdefault("approved_at", utcnow())
    fields.setdefault("email_verified_at", utcnow())
    return accounts.create_user(email=fields.pop("email", f"{role}{n}@example.test"),
                                name=fields.pop("name", f"{role.title()} {n}"),
                                password=fields.pop("password", PASSWORD), role=role, **fields)


def business(owner: User | None = None, **fields) -> Business:
    owner = owner or user("graduate")
    n = next(_seq)
    b = Business(**{"owner_id": owner.id, "slug": f"toko-{n}", "name": f"Toko {n}", "city": "Banyuwangi",
                    "province": "Jawa Timur", "status": BusinessStatus.OPEN.value, **fields})
    db.session.add(b)
    db.session.flush()
    return b


def product(business_: Business | None = None, stock: int = 10, variants: list[dict] | None = None,
            **fields) -> Product:
    """An active product with one default variant holding ``stock`` (or the given variants)."""
    business_ = business_ or business()
    n = next(_seq)
    p = Product(**{"business_id": business_.id, "slug": f"produk-{n}", "title": f"Produk {n}",
                   "price_idr": 25_000, "weight_grams": 250, "status": ProductStatus.ACTIVE.value, **fields})
    for position, v in enumerate(variants or [{"label": "", "stock": stock}]):
        p.variants.append(Variant(position=position, **v))
    db.session.add(p)
    db.session.flush()
    return p


# Orders and payments -----------------------------------------------------------------------------


def address(**fields):
    from marketplace.orders.checkout import Address

    return Address(**{"recipient": "Andi Wijaya", "phone": "+6281234567890", "street": "Jl. Ahmad Yani No. 12",
                      "kelurahan": "Penganjuran", "kecamatan": "Banyuwangi", "city": "Banyuwangi",
                      "province": "Jawa Timur", "postal_code": "68416", **fields})


def order(items: list[tuple] | None = None, buyer: User | None = None, payment_method: str = "bank_transfer",
          email: str = "pembeli@example.test", key: str | None = None, **fields):
    """Place a real order through the services: ``items`` is a list of (variant, quantity)."""
    import uuid

    from marketplace.orders import cart as carts
    from marketplace.orders import checkout

    items = items or [(product().variants[0], 1)]
    cart = carts.cart_for_user(buyer.id) if buyer else carts.cart_for_token(None)
    for variant, quantity in items:
        carts.add_to_cart(cart.id, variant.id, quantity, buyer.id if buyer else None)
    request = checkout.CheckoutRequest(
        cart_id=cart.id, email=buyer.email if buyer else email, address=fields.pop("address", None) or address(),
        delivery=fields.pop("delivery", {}), payment_method=payment_method,
        idempotency_key=key or uuid.uuid4().hex, user_id=buyer.id if buyer else None, **fields)
    return checkout.place_order(request)

def unpaid_order(sellers: int = 1, buyer: User | None = None, **fields):
    """An order of 2 units from each of ``sellers`` new shops (stock 5, Rp 40.000 each), not paid yet;
    returns (order, products)."""
    products = [product(business(user("graduate")), stock=5, price_idr=40_000) for _ in range(sellers)]
    placed = order([(p.variants[0], 2) for p in products], buyer=buyer, **fields)
    db.session.commit()
    return placed, products


def invitation(program_: Program | None = None, role: str = "graduate", cohort_: Cohort | None = None,
               invited_by: User | None = None, **fields):
    """An open invitation (no email sent); pass ``expires_at``/``used_at``/``revoked_at`` to age it."""
    from datetime import timedelta

    from marketplace.accounts.models import Invitation

    program_ = program_ or (cohort_.program if cohort_ else program())
    if role == "graduate" and cohort_ is None and "cohort_id" not in fields:
        cohort_ = cohort(program_)
    invited_by = invited_by or user("staff", program_id=program_.id)
    n = next(_seq)
    inv = Invitation(**{"program_id": program_.id, "cohort_id": cohort_.id if cohort_ else None, "role": role,
                        "email": f"invitee{n}@example.test", "name": f"Invitee {n}",
                        "invited_by_id": invited_by.id, "expires_at": utcnow() + timedelta(days=7), **fields})
    db.session.add(inv)
    db.session.flush()
    return inv


def unverified_user(role: str = "customer", **fields) -> User:
    """A user who registered but never opened the confirmation link."""
    return user(role, email_verified_at=None, **fields)

def category(**fields):
    from marketplace.catalog.models import Category

    n = next(_seq)
    c = Category(**{"slug": f"kategori-{n}", "name_id": f"Kategori {n}", "name_en": f"Category {n}",
                    "position": n, **fields})
    db.session.add(c)
    db.session.flush()
    return c


def image_bytes(size: tuple[int, int] = (64, 48), fmt: str = "PNG", colour=(200, 30, 30), exif=None) -> bytes:
    """A small real picture for upload tests (``exif`` is a PIL.Image.Exif to embed, JPEG only)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    img = Image.new("RGB", size, colour)
    if exif is not None:
        img.save(out, fmt, exif=exif)
    else:
        img.save(out, fmt)
    return out.getvalue()


def pay(order) -> None:
    """The money for an unpaid order arrived: program staff confirm the exact transfer (kode unik
    included), or, for cash on delivery, the seller of each part confirms their cash."""
    from marketplace.orders import settlement
    from marketplace.payments import services as payments

    if order.payment_method == "cod":
        for part in order.parts:
            if part.status == "awaiting_payment":
                settlement.confirm_cash_payment(part.id, part.business.owner_id)
        return
    settlement.confirm_bank_transfer(order.id, payments.payment_for(order).to_transfer_idr, None)


def shipped_order(payment_method: str = "bank_transfer"):
    """A signed-in customer's order of one seller (Rp 90.000 with delivery), paid, packed and shipped
    (JNE, tracking JNE77); returns (order, part, seller, buyer)."""
    from marketplace.orders import fulfilment

    buyer = user("customer")
    placed, products = unpaid_order(1, buyer, payment_method=payment_method)
    pay(placed)
    part, seller = placed.parts[0], products[0].business.owner
    fulfilment.advance_part(part.id, "packed", seller.id)
    fulfilment.advance_part(part.id, "shipped", seller.id, "JNE", "JNE77")
    return placed, part, seller, buyer
