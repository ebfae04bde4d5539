"""List and product pages run a fixed number of SQL queries, whatever the number of products shown."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from marketplace.catalog.models import ProductPhoto
from marketplace.extensions import db
from tests import factories

TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@contextmanager
def counting_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith(TRANSACTION_CONTROL):  # the test's savepoints are no queries
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _catalog(n: int):
    """``n`` products spread over 3 shops, each with 2 photos and 2 variants, in one category."""
    category = factories.category(slug="batik")
    shops = [factories.business(slug=f"toko-{i}", city="Banyuwangi") for i in range(3)]
    products = []
    for i in range(n):
        product = factories.product(shops[i % 3], title=f"Batik {i}", category_id=category.id,
                                    variants=[{"label": "M", "stock": 1}, {"label": "L", "stock": 2}])
        for position in range(2):
            product.photos.append(ProductPhoto(key=f"photos/{i}-{position}.webp", width=10, height=10,
                                               position=position))
        products.append(product)
    db.session.commit()
    return products


PAGES = ["/", "/kategori/batik", "/toko/toko-0", "/cari?q=batik", "/cari?q=batik&sort=price_asc",
         "/cari?kategori=batik&kota=Banyuwangi&min=1&max=999999", "/cari"]


def _queries(client, url) -> int:
    db.session.expire_all()
    with counting_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("url", PAGES)
def test_list_pages_use_the_same_number_of_queries_for_3_or_30_products(client, url):
    _catalog(3)
    few = _queries(client, url)
    _catalog_more(27)
    many = _queries(client, url)
    assert few == many
    assert many <= 4  # the cache token, categories, cities or the shop, one query per product list


def _catalog_more(n: int):
    from sqlalchemy import select

    from marketplace.catalog.models import Business, Category

    category = db.session.execute(select(Category)).scalar_one()
    shops = db.session.execute(select(Business)).scalars().all()
    for i in range(n):
        product = factories.product(shops[i % 3], title=f"Batik extra {i}", category_id=category.id,
                                    variants=[{"label": "M", "stock": 1}, {"label": "L", "stock": 2}])
        product.photos.append(ProductPhoto(key=f"photos/x{i}.webp", width=10, height=10, position=0))
    db.session.commit()


def test_the_product_page_uses_the_same_number_of_queries_for_1_or_6_photos_and_variants(client):
    plain = factories.product(title="Plain")
    plain.photos.append(ProductPhoto(key="photos/p.webp", width=10, height=10, position=0))
    rich = factories.product(title="Rich", variants=[{"label": s, "stock": 1} for s in "SMLX"])
    for position in range(6):
        rich.photos.append(ProductPhoto(key=f"photos/r{position}.webp", width=10, height=10, position=position))
    db.session.commit()
    a = _queries(client, f"/toko/{plain.business.slug}/{plain.slug}")
    b = _queries(client, f"/toko/{rich.business.slug}/{rich.slug}")
    assert a == b and b <= 2  # the cache token, the product with everything it shows
