"""A customer pays by card in the browser: first a card that is refused, then one that goes through,
and the signed webhook marks the order paid.

The payment page loads localstripe's stand-in for Stripe.js (``STRIPE_JS_URL``, served by localstripe at
``/js.stripe.com/v3/`` on its own port) under the same CSP rules as the real one. That stand-in shows
its own card fields, but of a PaymentIntent it only performs the 3-D Secure step: the customer's bank
asks "confirm or cancel", as real Stripe.js does for most Indonesian cards. So what Stripe.js does with
the typed number (attach the card to the PaymentIntent and confirm it) is done here through localstripe's
API, with a card that needs 3-D Secure; the customer then approves or refuses in the bank's dialog.
"""
from __future__ import annotations

import time

import pytest
import stripe
from sqlalchemy import select

from tests.e2e.conftest import serve_site, sign_in
from tests.e2e.shopping import add_first_product_of, check_out
from tests.payments.conftest import WEBHOOK_SECRET, localstripe, register_webhook  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e

CARD_NEEDING_3DS = "4000002500003155"


@pytest.fixture(scope="module")
def card_site(app_config, demo_world, tmp_path_factory, localstripe):  # noqa: F811
    """The demo site with Stripe on, against localstripe; localstripe's signed webhooks come to it."""
    settings = {"STRIPE_SECRET_KEY": "sk_test_pasar", "STRIPE_PUBLISHABLE_KEY": "pk_test_pasar",
                "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "STRIPE_API_BASE": localstripe,
                "STRIPE_SEND_OPTIONAL_PARAMS": False, "STRIPE_JS_URL": f"{localstripe}/js.stripe.com/v3/"}
    with serve_site(app_config, demo_world, tmp_path_factory, "card", **settings) as site:
        register_webhook(localstripe, f"{site.url}/payments/webhooks/stripe")
        site.stripe = stripe.StripeClient("sk_test_pasar", base_addresses={"api": localstripe},
                                          max_network_retries=0).v1
        site.localstripe = localstripe
        yield site


@pytest.fixture
def customer_page(people, card_site):
    with people.one_person(card_site.url) as page:
        yield page


def _card_typed_and_sent_to_stripe(page, site, number: str) -> None:
    """The customer types the card into the (stand-in) Stripe field; Stripe.js would attach it to the
    PaymentIntent and confirm it, which needs the bank's 3-D Secure answer next."""
    card = page.locator("#card-element")
    for field, value in (("number", number), ("exp_month", "12"), ("exp_year", "30"), ("cvc", "123")):
        card.locator(f"input[placeholder={field}]").fill(value)
    intent_id = page.locator("#payment-form").get_attribute("data-client-secret").split("_secret_")[0]
    method = site.stripe.payment_methods.create({"type": "card", "card": {
        "number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}})
    site.stripe.payment_intents.update(intent_id, {"payment_method": method.id})
    assert site.stripe.payment_intents.confirm(intent_id).status == "requires_action"


def _order_status(site, order_path: str) -> str:
    from marketplace.extensions import db
    from marketplace.orders.models import Order

    with site.app.app_context():
        status = db.session.execute(select(Order.status).where(
            Order.public_id == order_path.rsplit("/", 1)[1])).scalar_one()
        db.session.remove()
    return status


def _webhook_outcomes(site) -> list[tuple[str, str]]:
    from marketplace.extensions import db
    from marketplace.payments.models import WebhookEvent

    with site.app.app_context():
        events = db.session.execute(select(WebhookEvent.type, WebhookEvent.outcome)).all()
        db.session.remove()
    return [tuple(e) for e in events]


def test_a_refused_card_then_a_good_one_pays_the_order(customer_page, card_site):
    page = customer_page
    sign_in(page, "pembeli3@pasarbangkit.id")
    add_first_product_of(page, "kopi-ijen-bayu")
    order_path = check_out(page, "Dewi Lestari", "stripe")
    assert "/pay/" in page.url
    # The stand-in came from localstripe's origin, which the CSP allows on this page only.
    page.locator("#card-element input[placeholder=number]").wait_for()
    assert page.locator("#pay-button").is_enabled()

    # The bank refuses: a clear message in Indonesian, and the order can still be paid.
    _card_typed_and_sent_to_stripe(page, card_site, CARD_NEEDING_3DS)
    page.click("#pay-button")
    page.click("text=Fail authentication")
    error = page.locator("#card-errors")
    error.filter(has_text="ditolak").wait_for()
    assert "Kartu Anda ditolak" in error.inner_text()
    assert page.locator("#pay-button").is_enabled()
    assert "/pay/" in page.url
    assert _order_status(card_site, order_path) == "awaiting_payment"

    # Another try goes through; the customer lands on the order, paid.
    _card_typed_and_sent_to_stripe(page, card_site, CARD_NEEDING_3DS)
    page.click("#pay-button")
    with page.expect_navigation(url=lambda url: "/orders/" in url):
        page.click("text=Complete authentication")
    assert "Terima kasih! Pembayaran Anda sudah diterima." in page.content()
    assert page.locator("h1 .status-paid").count() == 1

    # localstripe's signed webhook reached the site and was verified and stored (the customer's return
    # may have settled the order a moment before it: then the webhook found it already paid).
    deadline = time.monotonic() + 20
    while ("payment_intent.succeeded" not in dict(_webhook_outcomes(card_site))
           and time.monotonic() < deadline):
        time.sleep(0.2)
    assert dict(_webhook_outcomes(card_site)).get("payment_intent.succeeded") in ("paid", "already paid")
    assert _order_status(card_site, order_path) == "paid"
    page.goto(order_path)
    assert page.locator("h1 .status-paid").count() == 1
