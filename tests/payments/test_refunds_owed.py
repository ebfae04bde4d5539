"""A part cancelled after its order was paid by bank transfer: the program owes the customer that money.
The order shows the refund owed and the corrected total; staff see it listed until they record the
refund with its bank reference; the customer is emailed both times; the ledger debits the seller."""
from flask import g
from sqlalchemy import select

from marketplace.core.formatting import rupiah
from marketplace.extensions import db as _db
from marketplace.orders import closing
from marketplace.payments import ledger
from marketplace.payments.models import Refund
from tests import factories


def _paid_two_seller_order(buyer):
    order, products = factories.unpaid_order(2, buyer)  # Rp 90.000 from each seller
    factories.pay(order)
    return order, [p.business.owner for p in products]


def test_a_seller_cancelling_after_payment_leaves_a_refund_owed_until_staff_send_it(client, db, login_as, outbox):
    buyer = factories.user("customer")
    order, (keeps, cancels) = _paid_two_seller_order(buyer)
    cancelled = next(p for p in order.parts if p.business.owner_id == cancels.id)
    login_as(cancels)
    response = client.post(f"/seller/orders/{cancelled.id}/cancel", data={"reason": "Stok rusak"}, follow_redirects=True)
    assert "program staff refund Rp 90.000" in response.get_data(as_text=True)
    assert ledger.balance(cancelled.business_id).total_idr == 0  # written to the ledger: the sale is reversed
    email = outbox(buyer.email)[-1]
    assert email.template == "order_cancelled" and "Rp 90.000 is owed back to you" in email.body

    login_as(buyer)
    g.pop("_login_user", None)
    page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert "Total: <span class=\"price\">Rp 180.000</span></p>" in page
    assert "Total now, without the cancelled items: <span class=\"price\">Rp 90.000</span>" in page
    assert "Refund owed to you: <span class=\"price\">Rp 90.000</span>" in page

    staff = login_as("staff", program_id=keeps.program_id)
    g.pop("_login_user", None)
    listing = client.get("/staff/payouts/refunds").get_data(as_text=True)
    assert order.number in listing and "Rp 90.000" in listing and "a seller cancelled their part" in listing
    [refund] = _db.session.execute(select(Refund).where(Refund.order_id == order.id)).scalars().all()
    assert client.post(f"/staff/payouts/refunds/{refund.id}/sent", data={"reference": " "}).status_code == 400
    response = client.post(f"/staff/payouts/refunds/{refund.id}/sent", data={"reference": "BRI-7781"},
                           follow_redirects=True)
    assert "Refund recorded" in response.get_data(as_text=True)
    _db.session.expire_all()
    refund = _db.session.get(Refund, refund.id)
    assert (refund.status, refund.reference, refund.recorded_by_id) == ("sent", "BRI-7781", staff.id)
    sent = outbox(buyer.email)[-1]
    assert sent.template == "refund_sent" and "BRI-7781" in sent.body and "Rp 90.000" in sent.body
    again = client.post(f"/staff/payouts/refunds/{refund.id}/sent", data={"reference": "BRI-7782"},
                        follow_redirects=True)
    assert "already been recorded" in again.get_data(as_text=True)
    assert _db.session.get(Refund, refund.id).reference == "BRI-7781"
    assert [m.template for m in outbox(buyer.email)].count("refund_sent") == 1

    login_as(buyer)
    g.pop("_login_user", None)
    page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert "Refund sent: <span class=\"price\">Rp 90.000</span>" in page and "reference BRI-7781" in page
    assert "Refund owed" not in page


def test_staff_of_another_program_cannot_record_the_refund(client, db, login_as):
    order, (seller, _) = _paid_two_seller_order(factories.user("customer"))
    closing.cancel_part(order.parts[0].id, seller.id, "Habis")
    [refund] = _db.session.execute(select(Refund).where(Refund.order_id == order.id)).scalars().all()
    login_as("staff")
    assert order.number not in client.get("/staff/payouts/refunds").get_data(as_text=True)
    assert client.post(f"/staff/payouts/refunds/{refund.id}/sent", data={"reference": "X1"}).status_code == 404
    _db.session.expire_all()
    assert _db.session.get(Refund, refund.id).status == "owed"


def test_when_the_whole_order_is_cancelled_the_kode_unik_goes_back_too(db):
    order, sellers = _paid_two_seller_order(factories.user("customer"))
    code = order.payment.unique_code_idr
    for part, seller in zip(order.parts, sellers, strict=True):
        closing.cancel_part(part.id, seller.id, "Habis")
    amounts = sorted(r.amount_idr for r in _db.session.execute(select(Refund)).scalars())
    assert amounts == [90_000, 90_000 + code]
    assert sum(amounts) == order.payment.received_idr == 180_000 + code
    assert rupiah(sum(amounts)) == rupiah(order.payment.to_transfer_idr)
