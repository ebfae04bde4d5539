"""Whoever receives the money confirms it: a bank transfer goes to the program's account, so program
staff confirm it, once for the whole order and against the exact amount with its kode unik; another
amount is recorded and flagged. A seller confirms only the cash of their own part."""
from flask import g
from sqlalchemy import func, select

from marketplace.core.formatting import rupiah
from marketplace.extensions import db as _db
from marketplace.orders import settlement
from marketplace.orders.models import Order
from marketplace.payments.models import LedgerEntry, Payment, Refund
from marketplace.payments.outcomes import Outcome
from tests import factories


def _two_seller_order(buyer=None, **fields):
    order, products = factories.unpaid_order(2, buyer, **fields)  # 2 x Rp 40.000 + Rp 10.000 delivery from each: Rp 180.000
    return order, [p.business.owner for p in products]


def _fresh(order) -> Order:
    _db.session.expire_all()
    return _db.session.get(Order, order.id)


def test_a_seller_cannot_confirm_a_transfer_to_the_programs_account(client, db, login_as):
    order, (seller, _) = _two_seller_order()
    login_as(seller)
    for path in ("/seller/orders", "/seller/earnings"):  # the seller's pages say who confirms which money
        assert "program staff confirm bank transfers" in client.get(path).get_data(as_text=True)
    page = client.get(f"/seller/orders/{order.parts[0].id}").get_data(as_text=True)
    assert "Program staff confirm this payment" in page and "confirm-payment" not in page
    response = client.post(f"/seller/orders/{order.parts[0].id}/confirm-payment")
    assert response.status_code == 400 and "Program staff confirm bank transfers" in response.get_data(as_text=True)
    order = _fresh(order)
    assert order.status == "awaiting_payment" and {p.status for p in order.parts} == {"awaiting_payment"}


def test_staff_confirm_the_exact_amount_once_for_the_whole_order(client, db, login_as, outbox):
    buyer = factories.user("customer")
    order, sellers = _two_seller_order(buyer)
    payment = order.payment
    assert payment.to_transfer_idr == 180_000 + payment.unique_code_idr
    login_as("staff", program_id=sellers[0].program_id)
    page = client.get("/staff/payouts/awaiting-payment").get_data(as_text=True)
    assert order.number in page and rupiah(payment.to_transfer_idr) in page

    response = client.post(f"/staff/payouts/orders/{order.id}/transfer",
                           data={"amount_idr": rupiah(payment.to_transfer_idr)}, follow_redirects=True)
    assert "Payment confirmed" in response.get_data(as_text=True)
    order = _fresh(order)
    assert order.status == "paid" and {p.status for p in order.parts} == {"paid"}
    assert order.payment.received_idr == order.payment.to_transfer_idr
    [received] = [m for m in outbox(buyer.email) if m.template == "payment_confirmed"]
    assert rupiah(order.payment.to_transfer_idr) in received.body
    for seller in sellers:  # the sellers hear of it now, and may send
        assert [m.template for m in outbox(seller.email)] == ["order_new_for_seller"]

    again = client.post(f"/staff/payouts/orders/{order.id}/transfer",
                        data={"amount_idr": str(order.payment.to_transfer_idr)}, follow_redirects=True)
    assert again.status_code == 200 and order.number not in again.get_data(as_text=True)  # no longer listed
    outcome = settlement.confirm_bank_transfer(order.id, order.payment.to_transfer_idr, None)
    assert outcome.kind is Outcome.ALREADY_SETTLED
    assert len([m for m in outbox(buyer.email) if m.template == "payment_confirmed"]) == 1
    assert db.session.execute(select(func.count(LedgerEntry.id))).scalar_one() == 2  # one sale per part

    login_as(buyer)
    g.pop("_login_user", None)
    page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert "Cancel this order" not in page and "Paid by bank transfer" in page


def test_another_amount_is_recorded_and_flagged_and_the_order_stays_unpaid(client, db, login_as):
    buyer = factories.user("customer")
    order, sellers = _two_seller_order(buyer)
    due = order.payment.to_transfer_idr
    login_as("staff", program_id=sellers[1].program_id)  # the second seller's program handles it too
    response = client.post(f"/staff/payouts/orders/{order.id}/transfer", data={"amount_idr": "100.000"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Less than the amount to transfer arrived" in page
    assert f"Flagged: Rp 100.000 arrived, {rupiah(due)} expected." in page
    order = _fresh(order)
    assert order.status == "awaiting_payment" and order.payment.flagged_at is not None
    assert order.payment.received_idr == 100_000

    login_as(buyer)
    g.pop("_login_user", None)
    pay = client.get(f"/pay/{order.public_id}").get_data(as_text=True)
    assert f"We received Rp 100.000 of the {rupiah(due)} to transfer" in pay
    assert f"remaining {rupiah(due - 100_000)}" in pay

    # More than due: flagged too, until staff accept it; the difference is then owed back.
    assert settlement.confirm_bank_transfer(order.id, due + 50_000, None).kind is Outcome.OVERPAID
    assert _fresh(order).status == "awaiting_payment"
    outcome = settlement.confirm_bank_transfer(order.id, due + 50_000, None, accept_excess=True)
    assert outcome.kind is Outcome.PAID
    order = _fresh(order)
    assert order.status == "paid" and order.payment.flagged_at is None
    [refund] = db.session.execute(select(Refund).where(Refund.order_id == order.id)).scalars().all()
    assert (refund.amount_idr, refund.reason, refund.status) == (50_000, "overpaid", "owed")


def test_a_bad_amount_is_a_form_error(client, db, login_as):
    order, (seller, _) = _two_seller_order()
    login_as("staff", program_id=seller.program_id)
    for value in ("", "0", "dua ratus", "-5", "1" * 30):
        response = client.post(f"/staff/payouts/orders/{order.id}/transfer", data={"amount_idr": value})
        assert response.status_code == 400
    assert _fresh(order).payment.received_idr == 0


def test_staff_of_another_program_neither_see_nor_confirm_the_order(client, db, login_as):
    order, _ = _two_seller_order()
    login_as("staff")  # a program none of its sellers is in
    assert order.number not in client.get("/staff/payouts/awaiting-payment").get_data(as_text=True)
    response = client.post(f"/staff/payouts/orders/{order.id}/transfer",
                           data={"amount_idr": str(order.payment.to_transfer_idr)})
    assert response.status_code == 404
    assert _fresh(order).status == "awaiting_payment"


def test_cash_on_delivery_is_confirmed_by_each_seller_for_their_part(client, db, login_as, outbox):
    order, (seller, other) = _two_seller_order(payment_method="cod")
    login_as("staff", program_id=seller.program_id)
    assert order.number not in client.get("/staff/payouts/awaiting-payment").get_data(as_text=True)
    login_as(seller)
    g.pop("_login_user", None)
    assert "You confirm this payment" in client.get(f"/seller/orders/{order.parts[0].id}").get_data(as_text=True)
    assert client.post(f"/seller/orders/{order.parts[0].id}/confirm-payment").status_code == 302
    order = _fresh(order)
    assert [p.status for p in order.parts] == ["paid", "awaiting_payment"] and order.status == "awaiting_payment"
    settlement.confirm_cash_payment(order.parts[1].id, other.id)
    assert _fresh(order).status == "paid"
    assert [m.template for m in outbox(order.email)].count("payment_confirmed") == 1


def test_kode_unik_differs_between_open_transfers_and_is_freed_once_paid(db):
    orders = [factories.unpaid_order(1)[0] for _ in range(6)]
    codes = [o.payment.unique_code_idr for o in orders]
    assert len(set(codes)) == 6 and all(1 <= c <= 999 for c in codes)
    factories.pay(orders[0])
    open_codes = db.session.execute(
        select(Payment.unique_code_idr).where(Payment.provider == "bank_transfer", Payment.status == "pending")
    ).scalars().all()
    assert sorted(open_codes) == sorted(codes[1:])
    card = factories.unpaid_order(1, payment_method="cod")[0]
    assert card.payment.unique_code_idr == 0  # only transfers carry one


def test_money_for_an_order_that_expired_is_owed_back_in_full(db, outbox):
    from datetime import timedelta

    from marketplace.orders import closing

    order, _ = _two_seller_order()
    due = order.payment.to_transfer_idr
    assert closing.expire_unpaid_orders(now=order.expires_at + timedelta(minutes=1)) == 1
    outcome = settlement.confirm_bank_transfer(order.id, due, None)
    assert outcome.kind is Outcome.LATE_REFUNDED
    order = _fresh(order)
    assert order.status == "cancelled"
    [refund] = db.session.execute(select(Refund).where(Refund.order_id == order.id)).scalars().all()
    assert (refund.amount_idr, refund.reason, refund.status) == (due, "order_closed", "owed")
    assert outbox(order.email)[-1].template == "payment_refunded_late"
    assert "Program staff will transfer the full amount back" in outbox(order.email)[-1].body
    assert settlement.confirm_bank_transfer(order.id, due, None).kind is Outcome.ALREADY_SETTLED


def test_money_of_a_flagged_transfer_is_owed_back_when_the_order_closes(client, db, login_as, outbox):
    from datetime import timedelta

    from marketplace.orders import closing

    buyer = login_as("customer")
    cancelled, _ = _two_seller_order(buyer)
    expired, _ = _two_seller_order(buyer)
    for order in (cancelled, expired):
        assert settlement.confirm_bank_transfer(order.id, 50_000, None).kind is Outcome.UNDERPAID

    response = client.post(f"/orders/{cancelled.public_id}/cancel", follow_redirects=True)
    assert "The Rp 50.000 you transferred is owed back to you" in response.get_data(as_text=True)
    assert closing.expire_unpaid_orders(now=expired.expires_at + timedelta(minutes=1)) == 1
    for order in (cancelled, expired):
        assert _fresh(order).status == "cancelled"
        [refund] = db.session.execute(select(Refund).where(Refund.order_id == order.id)).scalars().all()
        assert (refund.amount_idr, refund.reason, refund.status) == (50_000, "order_closed", "owed")
        page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
        assert "Refund owed to you: <span class=\"price\">Rp 50.000</span>" in page
    # The rest arriving later is owed back too, and only the rest.
    due = expired.payment.to_transfer_idr
    assert settlement.confirm_bank_transfer(expired.id, due, None).kind is Outcome.LATE_REFUNDED
    owed = db.session.execute(select(Refund.amount_idr).where(Refund.order_id == expired.id)).scalars().all()
    assert sorted(owed) == sorted([50_000, due - 50_000])


def test_an_amount_no_column_can_hold_is_a_form_error_and_nothing_is_recorded(client, db, login_as):
    """Twelve nines overflowed PostgreSQL's INTEGER column: a 500 instead of saying what is wrong."""
    order, sellers = _two_seller_order()
    received_before = order.payment.received_idr
    login_as("staff", program_id=sellers[0].program_id)
    response = client.post(f"/staff/payouts/orders/{order.id}/transfer", data={"amount_idr": "999.999.999.999"})
    assert response.status_code == 400 and "That amount is too large." in response.get_data(as_text=True)
    order = _fresh(order)
    assert order.status == "awaiting_payment" and order.payment.received_idr == received_before
    assert order.payment.flagged_at is None
