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
                    "status": BusinessStatus.OPEN.value, **fields})
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
