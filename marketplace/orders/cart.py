"""The cart: a signed-in customer's by user id, a guest's by a random token; lines never exceed the
stock on hand, and the summary is priced from the database."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.catalog.models import Business, Product, Variant
from marketplace.extensions import db
from marketplace.orders.errors import InvalidQuantity, OutOfStock, OwnStorefront, ProductUnavailable
from marketplace.orders.models import Cart, CartItem

MAX_QUANTITY_PER_LINE = 99


def cart_for_user(user_id: int, create: bool = True) -> Cart | None:
    cart = db.session.execute(select(Cart).where(Cart.user_id == user_id)).scalar_one_or_none()
    if cart is None and create:
        cart = Cart(user_id=user_id)
        db.session.add(cart)
        db.session.flush()
    return cart


def cart_for_token(token: str | None, create: bool = True) -> Cart | None:
    cart = None
    if token:
        cart = db.session.execute(select(Cart).where(Cart.token == token)).scalar_one_or_none()
    if cart is None and create:
        cart = Cart(token=secrets.token_urlsafe(24))
        db.session.add(cart)
        db.session.flush()
    return cart


def _variant_for_sale(variant_id: int, buyer_id: int | None) -> Variant:
    variant = db.session.get(Variant, variant_id)
    if variant is None:
        raise ProductUnavailable()
    product = variant.product
    if not product.is_public or not product.business.accepts_orders:
        raise ProductUnavailable(product.title)
    if buyer_id is not None and product.business.owner_id == buyer_id:
        raise OwnStorefront()
    return variant


def _check_quantity(quantity: int) -> None:
    if not isinstance(quantity, int) or quantity < 1 or quantity > MAX_QUANTITY_PER_LINE:
        raise InvalidQuantity(MAX_QUANTITY_PER_LINE)


def add_to_cart(cart_id: int, variant_id: int, quantity: int, buyer_id: int | None) -> CartItem:
    """Add ``quantity`` more of a variant; the line never exceeds the stock on hand."""
    _check_quantity(quantity)
    variant = _variant_for_sale(variant_id, buyer_id)
    item = db.session.execute(
        select(CartItem).where(CartItem.cart_id == cart_id, CartItem.variant_id == variant_id)
    ).scalar_one_or_none()
    wanted = quantity + (item.quantity if item else 0)
    if wanted > variant.stock:
        raise OutOfStock(title(variant), variant.stock)
    _check_quantity(wanted)
    if item is None:
        item = CartItem(cart_id=cart_id, variant_id=variant_id, quantity=wanted)
        db.session.add(item)
    else:
        item.quantity = wanted
    db.session.commit()
    return item


def set_quantity(cart_id: int, variant_id: int, quantity: int, buyer_id: int | None) -> None:
    item = db.session.execute(
        select(CartItem).where(CartItem.cart_id == cart_id, CartItem.variant_id == variant_id)
    ).scalar_one_or_none()
    if item is None:
        raise ProductUnavailable()
    _check_quantity(quantity)
    variant = _variant_for_sale(variant_id, buyer_id)
    if quantity > variant.stock:
        raise OutOfStock(title(variant), variant.stock)
    item.quantity = quantity
    db.session.commit()


def remove_from_cart(cart_id: int, variant_id: int) -> None:
    item = db.session.execute(
        select(CartItem).where(CartItem.cart_id == cart_id, CartItem.variant_id == variant_id)
    ).scalar_one_or_none()
    if item is not None:
        db.session.delete(item)
        db.session.commit()


def merge_guest_cart(token: str | None, user_id: int) -> None:
    """At sign-in: move a guest cart's lines into the user's cart (capped by stock; a seller's own
    products are dropped), then delete the guest cart."""
    guest = cart_for_token(token, create=False) if token else None
    if guest is None:
        return
    cart = cart_for_user(user_id)
    existing = {item.variant_id: item for item in cart.items}
    for item in list(guest.items):
        variant = item.variant
        if variant.product.business.owner_id == user_id:
            continue
        mine = existing.get(item.variant_id)
        wanted = min(item.quantity + (mine.quantity if mine else 0), max(variant.stock, 0), MAX_QUANTITY_PER_LINE)
        if wanted < 1:
            continue
        if mine:
            mine.quantity = wanted
        else:
            existing[item.variant_id] = CartItem(cart_id=cart.id, variant_id=item.variant_id, quantity=wanted)
            db.session.add(existing[item.variant_id])
    db.session.delete(guest)
    db.session.commit()


@dataclass
class CartLine:
    variant: Variant
    quantity: int
    unit_price_idr: int
    problem: str | None = None  # "unavailable", "not_enough_stock", "own_storefront"

    @property
    def product(self) -> Product:
        return self.variant.product

    @property
    def line_total_idr(self) -> int:
        return self.unit_price_idr * self.quantity


@dataclass
class CartGroup:
    business: Business
    lines: list[CartLine] = field(default_factory=list)

    @property
    def items_idr(self) -> int:
        return sum(line.line_total_idr for line in self.lines if line.problem is None)


@dataclass
class CartSummary:
    groups: list[CartGroup]

    @property
    def items_idr(self) -> int:
        return sum(group.items_idr for group in self.groups)

    @property
    def has_problems(self) -> bool:
        return any(line.problem for group in self.groups for line in group.lines)

    @property
    def count(self) -> int:
        return sum(line.quantity for group in self.groups for line in group.lines)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def summarize_cart(cart: Cart | None, buyer_id: int | None) -> CartSummary:
    """The cart grouped by seller, priced from the database, with anything that blocks checkout."""
    if cart is None:
        return CartSummary([])
    items = db.session.execute(
        select(CartItem).where(CartItem.cart_id == cart.id).order_by(CartItem.id)
        .options(selectinload(CartItem.variant).selectinload(Variant.product).selectinload(Product.business))
    ).scalars().all()
    groups: dict[int, CartGroup] = {}
    for item in items:
        variant = item.variant
        product = variant.product
        line = CartLine(variant=variant, quantity=item.quantity, unit_price_idr=variant.unit_price_idr)
        if not product.is_public or not product.business.accepts_orders:
            line.problem = "unavailable"
        elif buyer_id is not None and product.business.owner_id == buyer_id:
            line.problem = "own_storefront"
        elif item.quantity > variant.stock:
            line.problem = "not_enough_stock"
        groups.setdefault(product.business_id, CartGroup(product.business)).lines.append(line)
    return CartSummary(list(groups.values()))


def title(variant: Variant) -> str:
    return f"{variant.product.title} ({variant.label})" if variant.label else variant.product.title
