"""Input no database can hold is refused as "not found" or "bad request", never answered with a 500."""
import pytest

from marketplace.core.ids import MAX_ID, parse_id
from tests import factories


@pytest.mark.parametrize("url", ["/seller/products/2147483648", "/seller/products/99999999999999999999/preview",
                                 "/seller/orders/99999999999999999999"])
def test_an_id_too_large_for_the_id_column_in_a_url_is_not_found(client, login_as, url):
    login_as(factories.business().owner)
    assert client.get(url).status_code == 404


def test_the_largest_id_still_reaches_the_view(client, login_as):
    login_as("admin")
    assert client.get(f"/admin/outbox/{MAX_ID}").status_code == 404  # the view's own "no such message"
    assert client.get(f"/admin/outbox/{MAX_ID + 1}").status_code == 404


@pytest.mark.parametrize("raw, parsed", [("7", 7), (" 12 ", 12), ("0", None), ("-3", None), ("abc", None),
                                         ("", None), (None, None), ("2147483648", None), ("١٢", None)])
def test_parse_id_keeps_only_ids_that_fit(raw, parsed):
    assert parse_id(raw) == parsed


@pytest.mark.parametrize("method, url, data", [
    ("GET", "/orders/a%00b", None),
    ("GET", "/cari?q=kopi%00", None),
    ("POST", "/account/", {"name": "Andi\x00", "language": "id"}),
    ("POST", "/cart/add", {"variant_id": "1", "quantity": "1", "note\x00": "x"}),
])
def test_a_nul_byte_anywhere_in_the_input_is_a_bad_request(client, login_as, method, url, data):
    """PostgreSQL cannot store or compare text holding NUL: refused up front, on every database alike."""
    user = login_as("customer", name="Andi")
    response = client.open(url, method=method, data=data)
    assert response.status_code == 400
    assert user.name == "Andi"

