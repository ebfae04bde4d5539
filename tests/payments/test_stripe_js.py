"""Where the payment page loads Stripe.js from, and what the CSP allows for it."""
import pytest

from marketplace.config import ConfigError, load_config
from marketplace.orders import notices
from tests import factories


def _card_order_page(client, db):
    seller = factories.user("graduate")
    product = factories.product(factories.business(seller), stock=5, price_idr=150_000)
    order = factories.order([(product.variants[0], 1)], payment_method="stripe")
    db.session.commit()
    assert client.get(notices.order_link(order).replace("http://localhost", "")).status_code == 200
    return client.get(f"/pay/{order.public_id}")


def _directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in policy.split("; ")}


def test_production_loads_stripe_js_from_stripe_only(stripe_live, client, db):
    response = _card_order_page(client, db)
    assert '<script src="https://js.stripe.com/v3/"></script>' in response.get_data(as_text=True)
    csp = _directives(response)
    assert csp["script-src"] == "'self' https://js.stripe.com"
    assert csp["connect-src"] == "'self' https://api.stripe.com"
    assert csp["frame-src"] == "https://js.stripe.com https://hooks.stripe.com"


def test_the_tests_stand_in_is_allowed_by_its_exact_origin_on_the_payment_page_only(stripe_live, app, client, db,
                                                                                     localstripe):
    app.config["STRIPE_JS_URL"] = f"{localstripe}/js.stripe.com/v3/"
    try:
        response = _card_order_page(client, db)
        assert f'<script src="{localstripe}/js.stripe.com/v3/"></script>' in response.get_data(as_text=True)
        csp = _directives(response)
        assert csp["script-src"] == f"'self' {localstripe}"
        assert csp["connect-src"] == f"'self' {localstripe}"
        assert csp["frame-src"] == "'none'"
        assert "stripe.com" not in response.headers["Content-Security-Policy"]
        assert localstripe not in client.get("/").headers["Content-Security-Policy"]
    finally:
        app.config["STRIPE_JS_URL"] = "https://js.stripe.com/v3/"


def test_a_deployment_refuses_another_stripe_js():
    assert load_config({"SECRET_KEY": "x" * 32})["STRIPE_JS_URL"] == "https://js.stripe.com/v3/"
    with pytest.raises(ConfigError, match="STRIPE_JS_URL"):
        load_config({"APP_ENV": "production", "SECRET_KEY": "x" * 32,
                     "STRIPE_JS_URL": "http://127.0.0.1:8420/js.stripe.com/v3/"})
