"""``flask orders expire``: unpaid orders past their time are cancelled, their stock released, and the
customer told once, in their language."""
from datetime import timedelta

from marketplace.catalog.models import Variant
from marketplace.extensions import babel
from marketplace.extensions import db as _db
from marketplace.orders import closing, settlement
from marketplace.orders.models import Order
from tests import factories


def _make_due(db, order):
    order.expires_at = order.expires_at - timedelta(days=30)
    db.session.commit()


def test_running_expire_twice_releases_the_stock_and_sends_one_email(app, db, outbox):
    order, (product,) = factories.unpaid_order(email="tamu@example.com")
    _make_due(db, order)
    runner = app.test_cli_runner()
    assert "1 order(s) expired" in runner.invoke(args=["orders", "expire"]).output
    assert "0 order(s) expired" in runner.invoke(args=["orders", "expire"]).output
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "cancelled"
    assert db.session.get(Variant, product.variants[0].id).stock == 5
    emails = [m for m in outbox("tamu@example.com") if m.template == "order_expired"]
    assert len(emails) == 1
    assert emails[0].subject == f"Your unpaid order {order.number} expired"
    assert "released back to the sellers' stock" in emails[0].body and product.title in emails[0].body
    assert "already transferred" in emails[0].body  # a bank-transfer customer who paid late knows what to do


def test_the_expiry_email_is_in_the_customers_language(translated_app, db, outbox):
    guest_order, _ = factories.unpaid_order(email="tamu@example.com", locale="id")
    english_guest_order, _ = factories.unpaid_order(email="guest@example.com", locale="en")
    # A signed-in customer who switched to English after ordering in Indonesian reads English.
    switched = factories.user("customer", locale="id")
    switched_order, _ = factories.unpaid_order(buyer=switched, locale="id")
    switched.locale = "en"
    for order in (guest_order, english_guest_order, switched_order):
        _make_due(db, order)
    babel.domain_instance.cache.clear()  # placing the orders cached the untranslated test catalog
    with translated_app.app_context():
        assert closing.expire_unpaid_orders() == 3
        _db.session.remove()
    indonesian = outbox("tamu@example.com")[-1].body
    assert "Halo " in indonesian and "Pantau pesanan Anda di sini:" in indonesian
    for email in ("guest@example.com", switched.email):
        english = outbox(email)[-1]
        assert english.template == "order_expired"
        assert "Hello " in english.body and "Follow your order here:" in english.body


def test_when_only_one_sellers_part_was_unpaid_the_email_names_just_those_items(db, outbox):
    # Cash on delivery: each seller confirms their own cash, so one part can be paid and the other not.
    order, (paid_product, unpaid_product) = factories.unpaid_order(2, email="tamu@example.com", payment_method="cod")
    settlement.confirm_cash_payment(order.parts[0].id, order.parts[0].business.owner_id)
    _make_due(db, order)
    assert closing.expire_unpaid_orders() == 1
    assert closing.expire_unpaid_orders() == 0
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status == "paid" and [p.status for p in order.parts] == ["paid", "cancelled"]
    (email,) = [m for m in outbox("tamu@example.com") if m.template == "order_expired"]
    assert email.subject == f"Unpaid items of your order {order.number} expired"
    assert unpaid_product.title in email.body and paid_product.title not in email.body
    assert "The rest of your order goes ahead" in email.body
