from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.accounts.policy import PUBLIC, allow
from marketplace.catalog.models import Business, Category, Product, ProductStatus
from marketplace.extensions import db

bp = Blueprint("catalog", __name__)


@bp.get("/")
@allow(PUBLIC)
def home():
    products = db.session.execute(
        select(Product)
        .join(Product.business)
        .where(Product.status == ProductStatus.ACTIVE.value, Product.hidden_at.is_(None),
               Business.status.in_(("open", "holiday")))
        .options(selectinload(Product.business), selectinload(Product.photos))
        .order_by(Product.created_at.desc(), Product.id.desc())
        .limit(24)
    ).scalars().all()
    categories = db.session.execute(select(Category).order_by(Category.position)).scalars().all()
    return render_template("catalog/home.html", products=products, categories=categories)
