"""Program staff see, read only, the cash their program's sellers still owe customers (cash on delivery
refunded after the seller collected it), so they can follow it up: the seller, the order, the amount and
since when. Another program's sellers are not listed (the admin sees every one), and a refund leaves the
list once its seller marks the cash returned."""
from datetime import UTC, datetime

from flask import g
from sqlalchemy import select

from marketplace.core.formatting import jakarta_time
from marketplace.extensions import db as _db
from marketplace.orders import closing, lookup, settlement
from marketplace.payments.models import Refund
from tests import factories

SECTION = 'id="cash-owed-by-sellers"'


def _cash_refund_owed(sellers: int = 1, which: int = 0):
    """A cash-on-delivery order of ``sellers`` sellers (each of a program of their own, Rp 90.000 each),
    paid in cash; then the ``which``-th seller cancels their part, so they owe its cash back."""
    order, products = factories.unpaid_order(sellers, payment_method="cod")
    factories.pay(order)
    seller = products[which].business.owner
    part = next(p for p in order.parts if p.business.owner_id == seller.id)
    closing.cancel_part(part.id, seller.id, "Stok habis")
    refund = _db.session.execute(select(Refund).where(Refund.order_part_id == part.id)).scalar_one()
    return order, part, seller, refund


def _cash_section(client) -> str:
    page = client.get("/staff/payouts/refunds").get_data(as_text=True)
    return page.split(SECTION)[1].split("</section>")[0]


def test_staff_see_who_owes_which_customer_how_much_since_when(client, db, login_as):
    order, part, seller, refund = _cash_refund_owed()
    seller.phone = "+6281298765432"
    refund.created_at = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
    staff = login_as("staff", program_id=seller.program_id)
    page = client.get("/staff/payouts/refunds").get_data(as_text=True)
    theirs_to_pay, to_follow_up = page.split(SECTION)
    assert order.number not in theirs_to_pay  # not the program's money to send
    section = to_follow_up.split("</section>")[0]
    owed_since = jakarta_time(refund.created_at, "short")  # when the part was refunded, in Jakarta
    for shown in (part.business.name, seller.name, "+6281298765432", order.number, "Rp 90.000", owed_since):
        assert shown in section, shown
    assert [r.id for r, _ in lookup.cash_refunds_owed_by_sellers(staff)] == [refund.id]
    assert "<form" not in section and "Record the refund as sent" not in section  # read only


def test_another_programs_sellers_are_not_listed_the_admin_sees_all(client, db, login_as):
    ours_order, _, our_seller, _ = _cash_refund_owed()
    theirs_order, _, _, _ = _cash_refund_owed()
    login_as("staff", program_id=our_seller.program_id)
    section = _cash_section(client)
    assert ours_order.number in section and theirs_order.number not in section
    login_as("admin")
    g.pop("_login_user", None)
    section = _cash_section(client)
    assert ours_order.number in section and theirs_order.number in section


def test_in_a_two_seller_order_only_the_owing_sellers_program_follows_it_up(client, db, login_as):
    order, part, owing_seller, _ = _cash_refund_owed(sellers=2, which=1)
    other_seller = next(p.business.owner for p in order.parts if p.id != part.id)
    assert other_seller.program_id != owing_seller.program_id
    login_as("staff", program_id=other_seller.program_id)
    assert order.number not in _cash_section(client)
    login_as("staff", program_id=owing_seller.program_id)
    g.pop("_login_user", None)
    assert order.number in _cash_section(client)


def test_cash_marked_returned_leaves_the_list(client, db, login_as):
    order, part, seller, _ = _cash_refund_owed()
    login_as("staff", program_id=seller.program_id)
    assert order.number in _cash_section(client)
    settlement.record_cash_returned(part.id, "Diantar ke rumah pembeli", seller.id)
    section = _cash_section(client)
    assert order.number not in section and "No seller owes a customer cash." in section


def test_bank_transfer_refunds_stay_in_the_programs_own_list_not_here(client, db, login_as):
    order, products = factories.unpaid_order(1)
    factories.pay(order)
    seller = products[0].business.owner
    closing.cancel_part(order.parts[0].id, seller.id, "Stok habis")
    login_as("staff", program_id=seller.program_id)
    page = client.get("/staff/payouts/refunds").get_data(as_text=True)
    theirs_to_pay, to_follow_up = page.split(SECTION)
    assert order.number in theirs_to_pay and order.number not in to_follow_up.split("</section>")[0]
