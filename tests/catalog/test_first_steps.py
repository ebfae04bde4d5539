"""A graduate's first hour: "My shop" shows the steps to a shop that sells, each linked, each ticked."""
import re

from tests import factories

STEPS = ["storefront", "delivery", "first_product", "open"]


def _checklist(page: str) -> dict[str, tuple[str, bool]]:
    """step -> (its link, ticked?) as "My shop" shows them."""
    found = re.findall(r'<li class="checklist-step( is-done)?" data-step="(\w+)">.*?<a href="([^"]+)">', page, re.S)
    return {step: (href, bool(done)) for done, step, href in found}


def test_my_shop_walks_a_new_seller_through_the_first_steps(client, login_as):
    login_as("graduate")

    first = _checklist(client.get("/seller/").get_data(as_text=True))
    assert list(first) == STEPS
    assert first == {"storefront": ("/seller/storefront", False), "delivery": ("/seller/orders/delivery", False),
                     "first_product": ("/seller/products/new", False), "open": ("/seller/storefront", False)}

    assert client.post("/seller/storefront", data={"name": "Anyaman Dedi", "city": "Banyuwangi",
                                                   "status": "draft"}).status_code == 302
    assert [s for s, (_, done) in _checklist(client.get("/seller/").get_data(as_text=True)).items() if done] == []
    assert client.post("/seller/storefront", data={"name": "Anyaman Dedi", "city": "Banyuwangi",
                                                   "province": "Jawa Timur", "status": "draft"}).status_code == 302
    assert [s for s, (_, done) in _checklist(client.get("/seller/").get_data(as_text=True)).items() if done] == [
        "storefront"]

    assert client.post("/seller/orders/delivery", data={
        "same_city_idr": "8.000", "same_province_idr": "15.000", "java_idr": "25.000",
        "outside_java_idr": "50.000", "delivery_enabled": "y"}).status_code == 302
    assert client.post("/seller/products/new", data={
        "title": "Tas Anyaman", "price_idr": "Rp 85.000", "stock": "4", "weight_grams": "400", "category_id": "0",
        "status": "active"}).status_code == 302
    page = client.get("/seller/").get_data(as_text=True)
    assert [s for s, (_, done) in _checklist(page).items() if done] == ["storefront", "delivery", "first_product"]
    assert "3 of 4 steps done" in page

    assert client.post("/seller/storefront", data={"name": "Anyaman Dedi", "city": "Banyuwangi",
                                                   "province": "Jawa Timur", "status": "open"}).status_code == 302
    done = client.get("/seller/").get_data(as_text=True)
    assert _checklist(done) == {} and "Get your shop ready" not in done  # all done: the list steps aside


def test_my_shop_links_to_the_delivery_rates(client, login_as):
    seller = login_as("graduate")
    factories.product(factories.business(seller))
    factories.db.session.commit()
    assert 'href="/seller/orders/delivery"' in client.get("/seller/").get_data(as_text=True)
