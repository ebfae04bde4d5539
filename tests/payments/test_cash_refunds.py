"""Cash on delivery cancelled after the seller collected the cash: the seller gives it back, not the
program. The seller sees what they owe (part page, earnings) and marks it returned, once; staff never
list it as theirs to pay (they see it, read only, to follow it up); the ledger nets to zero with no
entry counted twice. Bank-transfer refunds stay with program staff."""
import pytest
from flask import g
from sqlalchemy import select

from marketplace.extensions import babel
from marketplace.extensions import db as _db
from marketplace.orders import closing, settlement
from marketplace.orders.errors import InvalidTransition
from marketplace.payments import ledger
from marketplace.payments import services as payments
from marketplace.payments.errors import TransferError
from marketplace.payments.models import LedgerEntry, Refund
from tests import factories


@pytest.fixture
def commission(app):
    app.config["COMMISSION_PERCENT"] = 10
    yield 10
    app.config["COMMISSION_PERCENT"] = 0


def _paid_cash_order(buyer=None, sellers: int = 2):
    order, products = factories.unpaid_order(sellers, buyer, payment_method="cod")  # Rp 90.000 per seller
    factories.pay(order)
    return order, [p.business.owner for p in products]


def _refund_of(order) -> Refund:
    [refund] = _db.session.execute(select(Refund).where(Refund.order_id == order.id)).scalars().all()
    return refund


def test_the_seller_who_collected_the_cash_owes_it_back_and_marks_it_returned(client, db, login_as, outbox,
                                                                              commission):
    buyer = factories.user("customer")
    order, (keeps, cancels) = _paid_cash_order(buyer)
    part = next(p for p in order.parts if p.business.owner_id == cancels.id)
    assert ledger.balance(part.business_id) == ledger.Balance(-9_000, 0)  # the seller owes the commission

    login_as(cancels)
    response = client.post(f"/seller/orders/{part.id}/cancel", data={"reason": "Stok rusak"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The customer paid you Rp 90.000 in cash: give it back to them" in page
    assert "You owe the customer Rp 90.000" in page and "I gave the money back" in page
    email = outbox(buyer.email)[-1]
    assert email.template == "order_cancelled"
    assert f"You paid {part.business.name} Rp 90.000 in cash" in email.body and "Program staff" not in email.body
    earnings = client.get("/seller/earnings").get_data(as_text=True)
    assert "Cash to give back to customers" in earnings and order.number in earnings and "Rp 90.000" in earnings

    login_as(buyer)
    g.pop("_login_user", None)
    detail = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert f"You paid {part.business.name} in cash, so {part.business.name} gives it back to you" in detail

    login_as("staff", program_id=cancels.program_id)
    g.pop("_login_user", None)
    theirs_to_pay, to_follow_up = client.get("/staff/payouts/refunds").get_data(as_text=True).split(
        'id="cash-owed-by-sellers"')
    assert order.number not in theirs_to_pay and order.number in to_follow_up  # read only, for following up
    refund = _refund_of(order)
    staff_try = client.post(f"/staff/payouts/refunds/{refund.id}/sent", data={"reference": "BRI-1"})
    assert staff_try.status_code == 400 and "the seller gives it back" in staff_try.get_data(as_text=True)

    login_as(cancels)
    g.pop("_login_user", None)
    done = client.post(f"/seller/orders/{part.id}/cash-returned", data={"note": "Tunai di rumah"},
                       follow_redirects=True)
    assert "Marked as given back" in done.get_data(as_text=True)
    again = client.post(f"/seller/orders/{part.id}/cash-returned", data={"note": ""}, follow_redirects=True)
    assert "marked returned already" in again.get_data(as_text=True)
    _db.session.expire_all()
    refund = _db.session.get(Refund, refund.id)
    assert (refund.status, refund.reference, refund.recorded_by_id) == ("sent", "Tunai di rumah", cancels.id)
    assert order.payment.refunded_idr == 90_000  # counted once, though submitted twice
    assert "Cash to give back" not in client.get("/seller/earnings").get_data(as_text=True)
    sent = [m for m in outbox(buyer.email) if m.template == "refund_sent"]
    assert len(sent) == 1 and "says they gave Rp 90.000 back to you" in sent[0].body
    assert "Tunai di rumah" in sent[0].body and "Bank reference" not in sent[0].body
    # The platform never held that cash: the seller's ledger nets to zero (no commission on a refunded
    # sale), and giving the cash back writes nothing to it.
    assert ledger.balance(part.business_id) == ledger.Balance(0, 0)
    kinds = _db.session.execute(select(LedgerEntry.kind, LedgerEntry.amount_idr)
                                .where(LedgerEntry.order_part_id == part.id).order_by(LedgerEntry.id)).all()
    assert [tuple(k) for k in kinds] == [("sale", 90_000), ("commission", -9_000), ("cash_collected", -90_000),
                                         ("refund", 9_000)]
    assert ledger.balance(order.parts[0].business_id if order.parts[0].id != part.id
                          else order.parts[1].business_id) == ledger.Balance(-9_000, 0)


def test_another_seller_cannot_mark_the_cash_returned(client, db, login_as):
    order, (seller, other) = _paid_cash_order()
    part = next(p for p in order.parts if p.business.owner_id == seller.id)
    closing.cancel_part(part.id, seller.id, "Habis")
    login_as(other)
    assert client.post(f"/seller/orders/{part.id}/cash-returned", data={}).status_code == 404
    assert _refund_of(order).owed


def test_a_bank_transfer_refund_stays_with_program_staff(client, db, login_as):
    order, products = factories.unpaid_order(1)
    factories.pay(order)
    part, seller = order.parts[0], products[0].business.owner
    closing.cancel_part(part.id, seller.id, "Habis")
    login_as(seller)
    page = client.get(f"/seller/orders/{part.id}").get_data(as_text=True)
    assert "Program staff refund" in page and "I gave the money back" not in page
    assert "Cash to give back" not in client.get("/seller/earnings").get_data(as_text=True)
    assert client.post(f"/seller/orders/{part.id}/cash-returned", data={}).status_code == 400
    assert _refund_of(order).owed
    login_as("staff", program_id=seller.program_id)
    g.pop("_login_user", None)
    assert order.number in client.get("/staff/payouts/refunds").get_data(as_text=True)


def test_the_services_keep_each_refund_with_whoever_holds_the_money(db):
    cash_order, (cash_seller, _) = _paid_cash_order(sellers=2)
    cash_part = next(p for p in cash_order.parts if p.business.owner_id == cash_seller.id)
    closing.cancel_part(cash_part.id, cash_seller.id, "Habis")
    with pytest.raises(TransferError):
        payments.record_refund_sent(_refund_of(cash_order).id, "BRI-9", cash_seller.id)

    transfer_order, products = factories.unpaid_order(1)
    factories.pay(transfer_order)
    closing.cancel_part(transfer_order.parts[0].id, products[0].business.owner_id, "Habis")
    with pytest.raises(TransferError):
        settlement.record_cash_returned(transfer_order.parts[0].id, "tunai", products[0].business.owner_id)
    with pytest.raises(InvalidTransition):  # a part with nothing refunded
        settlement.record_cash_returned(cash_order.parts[1].id, None, cash_seller.id)


def test_in_indonesian_the_seller_and_the_customer_read_who_gives_the_cash_back(db, outbox, translated_app):
    buyer = factories.user("customer", locale="id")
    order, (seller, _) = _paid_cash_order(buyer)
    seller.locale = "id"
    part = next(p for p in order.parts if p.business.owner_id == seller.id)
    _db.session.commit()
    babel.domain_instance.cache.clear()  # placing the order cached the untranslated test catalog
    translated = translated_app.test_client()
    with translated.session_transaction() as session:
        session["_user_id"] = seller.get_id()
    translated.post(f"/seller/orders/{part.id}/cancel", data={"reason": "Stok rusak"})
    assert f"jadi {part.business.name} akan mengembalikannya" in outbox(buyer.email)[-1].body
    page = translated.get(f"/seller/orders/{part.id}").get_data(as_text=True)
    assert "Anda harus mengembalikan Rp 90.000 kepada pembeli" in page and "You owe" not in page
    earnings = translated.get("/seller/earnings").get_data(as_text=True)
    assert "Uang tunai yang harus dikembalikan kepada pembeli" in earnings
    translated.post(f"/seller/orders/{part.id}/cash-returned", data={"note": ""})
    email = outbox(buyer.email)[-1]
    assert email.subject == f"Uang tunai pesanan {order.number} sudah dikembalikan"
    assert "menyatakan sudah mengembalikan Rp 90.000" in email.body and "Catatan penjual" not in email.body
