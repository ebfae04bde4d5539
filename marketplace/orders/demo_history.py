"""Months of past sales for the demo storefronts, so that the mentoring figures, charts, alerts and
the impact report show something real on the demo site (issue 9, item 10).

Past orders are written as they would stand today (paid, shipped, completed, one refunded, one
cancelled before payment), back-dated, without touching stock (they happened long ago). Idempotent:
each order has a fixed idempotency key. The shapes are chosen on purpose: Kopi Ijen Bayu grows, Camilan
Bu Rina falls sharply last month (a "revenue down" alert), Anyaman Bambu Dedi sold nothing for two
months, Sablon Agus Kreatif has a parcel waiting to ship for five days.
"""
from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.catalog.models import Business, Product
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderEvent, OrderLine, OrderPart, OrderStatus, PartStatus

MONTHS = 8
# Orders per month, oldest first (the last is the current month so far).
PATTERNS = {
    "batik-gajah-oling-sari": [3, 4, 4, 5, 4, 6, 5, 2],
    "kopi-ijen-bayu": [1, 2, 2, 3, 4, 5, 7, 3],
    "camilan-bu-rina": [4, 5, 5, 6, 5, 6, 1, 1],
    "anyaman-bambu-dedi": [2, 1, 0, 2, 1, 0, 0, 1],
    "jahit-rapi-wati": [1, 1, 2, 2, 2, 3, 3, 1],
    "sablon-agus-kreatif": [0, 1, 1, 2, 2, 2, 3, 1],
}
GUESTS = ("tamu.rina@contoh.id", "ibu.santi@contoh.id", "pak.joko@contoh.id", "dewi.k@contoh.id")


def _month_start(now: datetime, back: int) -> datetime:
    index = now.year * 12 + now.month - 1 - back
    return datetime(index // 12, index % 12 + 1, 1, 3, tzinfo=UTC)  # 10:00 in Jakarta


def seed() -> None:
    if db.session.execute(select(Order.id).where(Order.idempotency_key.like("demo-history-%")).limit(1)).first():
        return
    customers = db.session.execute(select(User).where(User.email.like("pembeli%@pasarbangkit.id"))
                                   .order_by(User.email)).scalars().all()
    businesses = db.session.execute(select(Business).where(Business.slug.in_(list(PATTERNS)))).scalars().all()
    if not customers or not businesses:
        return
    rng = random.Random(2026)  # nosec B311  # reproducible demo history, nothing secret
    now = utcnow()
    for business in sorted(businesses, key=lambda b: b.id):
        product = db.session.execute(select(Product).where(Product.business_id == business.id)
                                     .order_by(Product.id).limit(1)).scalar_one_or_none()
        if product is None:
            continue
        for back, count in zip(range(MONTHS - 1, -1, -1), PATTERNS[business.slug], strict=True):
            start = _month_start(now, back)
            days = max(1, min(27, (now - start).days - 1)) if back == 0 else 27
            for i in range(count):
                placed = start + timedelta(days=rng.randint(0, days - 1), hours=rng.randint(0, 8))
                if placed >= now - timedelta(hours=2):
                    continue
                state = PartStatus.COMPLETED.value
                if back == 0 and business.slug == "sablon-agus-kreatif" and i == 0:
                    placed, state = now - timedelta(days=5), PartStatus.PAID.value
                elif back == 3 and i == 0:
                    state = PartStatus.REFUNDED.value
                elif back == 2 and i == 1:
                    state = PartStatus.CANCELLED.value
                buyer = customers[rng.randrange(len(customers))] if rng.random() < 0.6 else None
                _order(business, product, f"demo-history-{business.slug}-{back}-{i}", placed, state, buyer,
                       rng.choice(GUESTS), quantity=rng.randint(1, 3), ship_hours=rng.randint(6, 60))
    db.session.flush()


def _order(business, product, key, placed, state, buyer, guest_email, quantity, ship_hours) -> None:
    items = product.price_idr * quantity
    delivery = 10_000
    paid_at = None if state == PartStatus.CANCELLED.value else placed + timedelta(hours=1)
    order = Order(public_id=uuid.uuid5(uuid.NAMESPACE_URL, key).hex,
                  idempotency_key=key, user_id=buyer.id if buyer else None,
                  email=buyer.email if buyer else guest_email, locale="id", recipient=buyer.name if buyer else "Tamu",
                  phone="+6281234567800", street="Jl. Contoh No. 1", kelurahan="Penganjuran", kecamatan="Banyuwangi",
                  city="Banyuwangi", province="Jawa Timur", postal_code="68416", payment_method="bank_transfer",
                  status=OrderStatus.CANCELLED.value if state in (PartStatus.CANCELLED.value, PartStatus.REFUNDED.value)
                  else OrderStatus.PAID.value,
                  items_idr=items, delivery_idr=delivery, total_idr=items + delivery,
                  expires_at=placed + timedelta(days=2), paid_at=paid_at, created_at=placed)
    db.session.add(order)
    db.session.flush()
    part = OrderPart(order_id=order.id, business_id=business.id, status=state, delivery_zone="same_city",
                     items_idr=items, delivery_idr=delivery, total_idr=items + delivery, paid_at=paid_at,
                     created_at=placed, updated_at=placed + timedelta(hours=ship_hours + 48),
                     courier="JNE" if state == PartStatus.COMPLETED.value else None,
                     tracking_number=f"JNE{order.id:08d}" if state == PartStatus.COMPLETED.value else None)
    db.session.add(part)
    db.session.flush()
    db.session.add(OrderLine(part_id=part.id, variant_id=None, product_id=product.id, title=product.title,
                             unit_price_idr=product.price_idr, quantity=quantity, line_total_idr=items))
    if paid_at is not None:
        db.session.add(OrderEvent(order_id=order.id, part_id=part.id, status=PartStatus.PAID.value,
                                  created_at=paid_at))
    if state == PartStatus.COMPLETED.value:
        db.session.add(OrderEvent(order_id=order.id, part_id=part.id, status=PartStatus.SHIPPED.value,
                                  created_at=paid_at + timedelta(hours=ship_hours)))
    elif state in (PartStatus.CANCELLED.value, PartStatus.REFUNDED.value):
        db.session.add(OrderEvent(order_id=order.id, part_id=part.id, status=state, created_at=placed + timedelta(days=1),
                                  note="Stok habis / out of stock"))
