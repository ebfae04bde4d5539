import pytest

from marketplace.orders.forms import PlaceOrderForm  # noqa: F401  (imports the domain early)

CHECKOUT_FIELDS = {
    "email": "tamu@surel.co.id", "recipient": "Putri Ayu", "phone": "0812-3456-7890",
    "street": "Jl. Gajah Mada No. 5", "kelurahan": "Tukangkayu", "kecamatan": "Banyuwangi",
    "city": "Banyuwangi", "province": "Jawa Timur", "postal_code": "68416", "payment_method": "bank_transfer",
}


@pytest.fixture
def checkout_fields():
    return dict(CHECKOUT_FIELDS)
