"""A shared phone (issue 11, item 3): after signing out, the next person sees nothing of the last one,
and the checkout draft (name, phone, address) lives on the server, never in the cookie session."""
import re

import pytest
from sqlalchemy import func, select

from marketplace.orders.models import CheckoutDraft, Order
from tests import factories
from tests.accounts.helpers import forget_cached_user

PERSONAL = ("Putri Ayu", "Gajah Mada", "81234567890", "3456-7890", "Tukangkayu", "68416", "tamu@surel.co.id")


@pytest.fixture
def client(app):
    """Each request loads the signed-in user from its own cookie (see tests/accounts/conftest.py)."""
    test_client = app.test_client()
    original_open = test_client.open

    def open_fresh(*args, **kwargs):
        forget_cached_user()
        return original_open(*args, **kwargs)

    test_client.open = open_fresh
    return test_client


def _cookie_session(client) -> str:
    cookie = client.get_cookie("session")
    if cookie is None:
        return ""
    app = client.application
    return repr(app.session_interface.get_signing_serializer(app).loads(cookie.value))


def _checkout(client, product, fields):
    assert client.post("/cart/add", data={"variant_id": product.variants[0].id, "quantity": 1}).status_code == 302
    response = client.post("/checkout", data={**fields, f"delivery_{product.business_id}": "delivery"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _place(client) -> str:
    page = client.get("/checkout/review").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/checkout/review", data={"idempotency_key": key})
    assert response.status_code == 302 and "/pay/" in response.headers["Location"]
    return factories.db.session.execute(select(Order.public_id).order_by(Order.id.desc())).scalars().first()


def test_after_sign_out_the_next_person_sees_no_order_and_no_filled_in_checkout(client, checkout_fields):
    factories.user("customer", email="andi@example.com")
    product = factories.product(stock=10)
    factories.db.session.commit()
    assert client.post("/account/login", data={"email": "andi@example.com",
                                               "password": factories.PASSWORD}).status_code == 302
    _checkout(client, product, checkout_fields)
    public_id = _place(client)
    assert client.get(f"/orders/{public_id}").status_code == 200
    _checkout(client, product, checkout_fields)  # a second checkout, left at the review page

    client.post("/account/logout")

    assert client.get(f"/orders/{public_id}").status_code == 404
    assert client.post("/cart/add", data={"variant_id": product.variants[0].id, "quantity": 1}).status_code == 302
    page = client.get("/checkout").get_data(as_text=True)
    assert not [text for text in PERSONAL if text in page]
    assert client.get("/checkout/review").headers.get("Location", "").endswith("/checkout")


def test_a_guest_checkout_keeps_the_address_on_the_server_only(client, checkout_fields):
    product = factories.product(stock=10)
    factories.db.session.commit()
    _checkout(client, product, checkout_fields)
    assert not [text for text in PERSONAL if text in _cookie_session(client)]
    review = client.get("/checkout/review").get_data(as_text=True)
    assert "Putri Ayu" in review and "Gajah Mada" in review  # read back from the server-side draft

    _place(client)
    assert not [text for text in PERSONAL if text in _cookie_session(client)]
    assert factories.db.session.execute(select(func.count(CheckoutDraft.id))).scalar_one() == 0


def test_a_drafts_address_is_in_download_my_data_and_erased_with_the_account(client, checkout_fields):
    from marketplace.accounts import privacy

    user = factories.user("customer", email="andi@example.com")
    product = factories.product(stock=10)
    factories.db.session.commit()
    client.post("/account/login", data={"email": "andi@example.com", "password": factories.PASSWORD})
    _checkout(client, product, checkout_fields)

    exported = repr(privacy.collect_user_data(user))
    assert "Gajah Mada" in exported
    privacy.erase_user_data_everywhere(user)
    factories.db.session.commit()
    assert factories.db.session.execute(select(func.count(CheckoutDraft.id))).scalar_one() == 0


def test_an_abandoned_draft_is_forgotten_after_a_few_hours(client, app, checkout_fields):
    from datetime import timedelta

    from marketplace.core.timeutil import utcnow
    from marketplace.orders import drafts

    product = factories.product(stock=10)
    factories.db.session.commit()
    _checkout(client, product, checkout_fields)
    draft = factories.db.session.execute(select(CheckoutDraft)).scalar_one()
    draft.updated_at = utcnow() - drafts.MAX_AGE - timedelta(minutes=1)
    factories.db.session.commit()

    page = client.get("/checkout").get_data(as_text=True)
    assert "Putri Ayu" not in page  # not offered to whoever opens the checkout next

    _checkout(app.test_client(), product, {**checkout_fields, "recipient": "Budi"})  # someone else's
    names = factories.db.session.execute(select(CheckoutDraft.data)).scalars().all()
    assert [data["fields"]["recipient"] for data in names] == ["Budi"]  # the abandoned one is deleted
