"""Escrow: the program holds a seller's share of a paid order until the customer marks the parcel
received, or ESCROW_RELEASE_DAYS after shipping with no problem reported (`flask orders
release-escrow`, safe to run twice); only then is it available for payout."""
from datetime import timedelta

from sqlalchemy import select, update

from marketplace.orders import closing, fulfilment
from marketplace.orders.models import OrderEvent, OrderPart
from marketplace.payments import ledger
from tests import factories


def _paid_and_shipped(db, days_ago: float | None = None):
    order, products = factories.unpaid_order(1)  # Rp 90.000
    factories.pay(order)
    part = order.parts[0]
    seller = products[0].business.owner
    fulfilment.advance_part(part.id, "packed", seller.id)
    fulfilment.advance_part(part.id, "shipped", seller.id, "JNE", "JNE9")
    if days_ago is not None:
        db.session.execute(update(OrderPart).where(OrderPart.id == part.id)
                           .values(shipped_at=part.shipped_at - timedelta(days=days_ago)))
        db.session.commit()
    return order, part, seller


def test_a_paid_share_is_pending_until_the_customer_has_the_parcel(client, db, login_as):
    order, part, seller = _paid_and_shipped(db)
    assert ledger.balance(part.business_id) == ledger.Balance(available_idr=0, pending_idr=90_000)
    login_as("staff", program_id=seller.program_id)
    url = f"/staff/payouts/{part.business_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Available for payout: <span class=\"price\">Rp 0</span>" in page and "Rp 90.000" in page
    assert client.post(url, data={"amount_idr": "10000", "reference": "BRI-1"}).status_code == 400

    fulfilment.confirm_received(order.id, part.id, order.user_id)
    assert ledger.balance(part.business_id) == ledger.Balance(available_idr=90_000, pending_idr=0)
    assert client.post(url, data={"amount_idr": "10000", "reference": "BRI-1"}).status_code == 302
    notes = db.session.execute(select(OrderEvent.note).where(OrderEvent.part_id == part.id)).scalars().all()
    assert "released to the seller" in notes


def test_the_seller_marking_their_own_part_completed_releases_nothing(db):
    order, part, seller = _paid_and_shipped(db)
    fulfilment.advance_part(part.id, "delivered", seller.id)
    fulfilment.advance_part(part.id, "completed", seller.id)
    assert ledger.balance(part.business_id).pending_idr == 90_000


def test_the_scheduled_release_pays_out_days_after_shipping_once(app, db):
    _, due, _ = _paid_and_shipped(db, days_ago=app.config["ESCROW_RELEASE_DAYS"] + 0.5)
    _, recent, _ = _paid_and_shipped(db, days_ago=1)
    assert fulfilment.release_due_parts() == 1
    assert fulfilment.release_due_parts() == 0  # a second run changes nothing
    assert ledger.balance(due.business_id) == ledger.Balance(90_000, 0)
    assert ledger.balance(recent.business_id) == ledger.Balance(0, 90_000)
    result = app.test_cli_runner().invoke(args=["orders", "release-escrow"])
    assert result.exit_code == 0 and "0 order part(s) released" in result.output


def test_a_reported_problem_keeps_the_money_held(app, db):
    _, part, _ = _paid_and_shipped(db, days_ago=app.config["ESCROW_RELEASE_DAYS"] + 1)
    fulfilment.report_problem(part.order_id, part.id, "Paket belum sampai", None)
    assert fulfilment.release_due_parts() == 0
    assert ledger.balance(part.business_id).pending_idr == 90_000


def test_a_part_refunded_while_held_leaves_nothing_pending(db):
    order, products = factories.unpaid_order(1)
    factories.pay(order)
    part = order.parts[0]
    closing.cancel_part(part.id, products[0].business.owner_id, "Habis")
    assert ledger.balance(part.business_id) == ledger.Balance(0, 0)


def test_cash_on_delivery_is_available_at_once(db):
    order, _ = factories.unpaid_order(1, payment_method="cod")
    factories.pay(order)
    assert ledger.balance(order.parts[0].business_id) == ledger.Balance(0, 0)  # the seller holds the cash
