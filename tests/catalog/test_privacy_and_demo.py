"""The privacy hooks and the demo seed."""
import pytest
from sqlalchemy import func, select

from marketplace.catalog import privacy, products
from marketplace.catalog.models import Business, Category, Product, ProductPhoto
from marketplace.extensions import db
from tests import factories


def test_export_contains_the_business_and_its_products(client):
    graduate = factories.user("graduate")
    business = factories.business(graduate, story="My story", whatsapp="+6281234567890")
    factories.product(business, title="Kain Batik")
    data = privacy.export_user_data(graduate)
    assert data["business"]["name"] == business.name and data["business"]["story"] == "My story"
    assert [p["title"] for p in data["business"]["products"]] == ["Kain Batik"]
    assert privacy.export_user_data(factories.user("customer")) == {"business": None}


def test_erase_closes_and_anonymises_the_storefront_and_removes_photos(client, stored_files):
    graduate = factories.user("graduate")
    business = factories.business(graduate, story="Private story", story_opt_in=True, whatsapp="+6281234567890")
    product = factories.product(business)
    products.add_photos(product, [factories.image_bytes()])
    db.session.commit()
    assert stored_files()
    slug = business.slug

    privacy.erase_user_data(graduate)
    db.session.commit()
    db.session.refresh(business)
    assert business.status == "draft" and business.story == "" and not business.story_opt_in
    assert business.whatsapp is None and business.logo_key is None
    assert db.session.execute(select(func.count()).select_from(ProductPhoto)).scalar_one() == 0
    assert stored_files() == set()
    assert client.get(f"/toko/{slug}").status_code == 404


@pytest.mark.long
def test_demo_seed_is_idempotent_and_believable(client, stored_files):
    from marketplace import demo

    demo.seed()
    db.session.commit()
    counts = lambda: (db.session.execute(select(func.count()).select_from(Product)).scalar_one(),  # noqa: E731
                      db.session.execute(select(func.count()).select_from(Category)).scalar_one(),
                      db.session.execute(select(func.count()).select_from(ProductPhoto)).scalar_one())
    first = counts()
    demo.seed()
    db.session.commit()
    assert counts() == first
    products, categories, photos = first
    businesses = db.session.execute(select(func.count()).select_from(Business)).scalar_one()
    assert 4 * businesses <= products <= 6 * businesses and categories >= 4 and photos == products
    featured = db.session.execute(select(Product).where(Product.featured.is_(True))).scalars().all()
    assert featured
    batik_shirt = db.session.execute(select(Product).where(Product.title == "Kemeja Batik Cap Pria")).scalar_one()
    assert [v.label for v in batik_shirt.variants] == ["S", "M", "L", "XL"]
    assert client.get("/").status_code == 200
    assert client.get("/cari?q=kopi").status_code == 200
