"""How a bank-transfer or cash-on-delivery customer is told to pay: the program's account from the
configuration, the exact amount and the order number for the transfer note; and what sellers and staff
see while the account is not configured."""
import pytest

from marketplace.config import load_config
from marketplace.core.formatting import rupiah
from tests import factories

BANK = {"BANK_TRANSFER_BANK": "BRI", "BANK_TRANSFER_ACCOUNT_NUMBER": "0123-01-000123-30-1",
        "BANK_TRANSFER_ACCOUNT_NAME": "Yayasan Bina Usaha"}
NOT_CONFIGURED = "Bank details not configured"
WILL_SEND = "The program will send you the account details"


@pytest.fixture
def bank_configured(app):
    saved = {key: app.config.get(key) for key in BANK}
    app.config.update(BANK)
    yield
    app.config.update(saved)


def _order(db, buyer, payment_method="bank_transfer", quantity=2, price=150_000):
    seller = factories.user("graduate")
    product = factories.product(factories.business(seller), stock=5, price_idr=price)
    order = factories.order([(product.variants[0], quantity)], buyer=buyer, payment_method=payment_method)
    db.session.commit()
    return seller, order


def test_the_account_comes_from_the_environment_and_is_unset_by_default():
    assert {load_config({})[key] for key in BANK} == {None}
    config = load_config({key: f" {value} " for key, value in BANK.items()})
    assert {key: config[key] for key in BANK} == BANK


def test_the_customer_sees_the_account_the_exact_amount_and_the_reference(bank_configured, client, db, login_as,
                                                                          outbox):
    customer = login_as("customer")
    _, order = _order(db, customer)  # 2 x 150.000 + 10.000 same-city delivery, plus the kode unik
    code = order.payment.unique_code_idr
    assert 1 <= code <= 999
    amount = rupiah(310_000 + code)
    page = client.get(f"/pay/{order.public_id}").get_data(as_text=True)
    for text in ("BRI", "0123-01-000123-30-1", "Yayasan Bina Usaha", amount, order.number, f"({code:03d})"):
        assert text in page
    assert f"write {order.number} in the transfer note" in page
    assert WILL_SEND not in page and NOT_CONFIGURED not in page

    email = outbox(customer.email)[0]
    assert email.template == "order_received"
    for text in ("Bank: BRI", "Account number: 0123-01-000123-30-1", "Account name: Yayasan Bina Usaha",
                 f"Transfer exactly {amount}", f"Write {order.number} in the transfer note", "unique code"):
        assert text in email.body


def test_without_an_account_customers_read_a_neutral_message_and_sellers_and_staff_a_warning(
        client, db, login_as, outbox):
    customer = login_as("customer")
    seller, order = _order(db, customer)
    amount = rupiah(order.payment.to_transfer_idr)
    page = client.get(f"/pay/{order.public_id}").get_data(as_text=True)
    assert WILL_SEND in page and amount in page and order.number in page
    assert NOT_CONFIGURED not in page
    email = outbox(customer.email)[0].body
    assert WILL_SEND in email and f"Transfer exactly {amount}" in email and NOT_CONFIGURED not in email

    login_as(seller)
    assert NOT_CONFIGURED in client.get(f"/seller/orders/{order.parts[0].id}").get_data(as_text=True)
    login_as("staff", program_id=seller.program_id)
    assert NOT_CONFIGURED in client.get("/staff/payouts/awaiting-payment").get_data(as_text=True)


def test_sellers_and_staff_see_the_configured_account(bank_configured, client, db, login_as):
    seller, order = _order(db, factories.user("customer"))
    login_as(seller)
    page = client.get(f"/seller/orders/{order.parts[0].id}").get_data(as_text=True)
    assert "BRI 0123-01-000123-30-1" in page and NOT_CONFIGURED not in page
    login_as("staff", program_id=seller.program_id)
    page = client.get("/staff/payouts/awaiting-payment").get_data(as_text=True)
    assert "0123-01-000123-30-1" in page and NOT_CONFIGURED not in page


def test_cash_on_delivery_says_pay_the_courier_or_seller(bank_configured, client, db, login_as, outbox):
    customer = login_as("customer")
    seller, order = _order(db, customer, payment_method="cod", quantity=1)
    page = client.get(f"/pay/{order.public_id}").get_data(as_text=True)
    assert "Pay the courier or the seller in cash" in page and "Rp 160.000" in page
    assert "0123-01-000123-30-1" not in page
    email = outbox(customer.email)[0].body
    assert "Pay the courier or the seller in cash" in email
    assert f"{order.parts[0].business.name}: Rp 160.000" in email and "BRI" not in email
    login_as(seller)
    assert "Rp 160.000 in cash" in client.get(f"/seller/orders/{order.parts[0].id}").get_data(as_text=True)
