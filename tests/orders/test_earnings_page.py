"""The earnings page of a graduate who has no shop yet says what to do next."""
from __future__ import annotations

from tests import factories


def test_a_graduate_without_a_shop_is_pointed_to_creating_one(client, login_as):
    login_as(factories.user("graduate"))

    page = client.get("/seller/earnings").get_data(as_text=True)

    assert "You do not have a shop yet" in page
    assert '<a class="button" href="/seller/storefront">Create my shop</a>' in page
