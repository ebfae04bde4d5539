"""Program staff decide customers' problem reports: release the held money to the seller, or refund the
customer the way they paid, each with a reason, once, audit-logged, both people emailed. Staff see and
decide only their own program's sellers' reports (404 otherwise); the admin all."""
import pytest
from flask import g
from sqlalchemy import func, select

from marketplace.catalog.models import Product, Variant
from marketplace.core.audit import AuditLog
from marketplace.orders import fulfilment, problems
from marketplace.orders.errors import InvalidTransition, NotAllowed
from marketplace.payments import ledger
from marketplace.payments.models import Refund
from tests import factories


def _reported(db, payment_method: str = "bank_transfer", note: str = "Paket sampai dalam keadaan rusak"):
    """A paid order of one seller (Rp 90.000), shipped, with a problem the customer reported."""
    order, part, seller, buyer = factories.shipped_order(payment_method)
    fulfilment.report_problem(order.id, part.id, note, buyer.id)
    return order, part, seller, db.session.get(Product, part.lines[0].product_id)


def _audits(part, action: str) -> int:
    return db_count(select(func.count(AuditLog.id)).where(AuditLog.action == action, AuditLog.subject_id == part.id))


def db_count(statement) -> int:
    from marketplace.extensions import db

    return db.session.execute(statement).scalar_one()


def test_staff_see_their_programs_reports_with_what_the_customer_wrote(client, db, login_as):
    order, part, seller, _ = _reported(db)
    login_as("staff", program_id=seller.program_id)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/staff/problems"' in home  # in the staff navigation
    page = client.get("/staff/problems").get_data(as_text=True)
    assert order.number in page and "Paket sampai dalam keadaan rusak" in page and "Rp 90.000" in page
    assert part.business.name in page and order.recipient in page and "JNE77" in page
    assert "Release the money to the seller" in page and "Refund the customer" in page


def test_staff_of_another_program_neither_see_nor_decide_it_the_admin_does(client, db, login_as):
    order, part, seller, _ = _reported(db)
    login_as("staff")
    page = client.get("/staff/problems").get_data(as_text=True)
    assert order.number not in page and "No open problem reports" in page
    for data in ({"reason": "Sudah dicek", "resolution": "release"}, {}):
        assert client.post(f"/staff/problems/{part.id}/resolve", data=data).status_code == 404
    db.session.expire_all()
    assert part.released_at is None and part.status == "shipped"
    login_as("admin")
    g.pop("_login_user", None)
    assert order.number in client.get("/staff/problems").get_data(as_text=True)


def test_releasing_makes_the_money_available_once_and_tells_both(client, db, login_as, outbox):
    order, part, seller, _ = _reported(db)
    assert ledger.balance(part.business_id) == ledger.Balance(0, 90_000)
    staff = login_as("staff", program_id=seller.program_id)
    data = {"reason": "Kurir memastikan paket diterima utuh", "resolution": "release"}
    response = client.post(f"/staff/problems/{part.id}/resolve", data=data, follow_redirects=True)
    assert "Released to the seller" in response.get_data(as_text=True)
    again = client.post(f"/staff/problems/{part.id}/resolve", data=data, follow_redirects=True)
    assert "already been decided" in again.get_data(as_text=True)
    assert ledger.balance(part.business_id) == ledger.Balance(90_000, 0)
    assert order.number not in client.get("/staff/problems").get_data(as_text=True)
    [log] = db.session.execute(select(AuditLog).where(AuditLog.action == "problem.release",
                                                      AuditLog.subject_id == part.id)).scalars().all()
    assert (log.actor_id, log.detail, log.program_id) == (staff.id, data["reason"], seller.program_id)
    [to_customer] = [m for m in outbox(order.email) if m.template == "order_problem_resolved"]
    assert "the payment goes to the seller" in to_customer.body and data["reason"] in to_customer.body
    [to_seller] = [m for m in outbox(seller.email) if m.template == "order_problem_resolved_for_seller"]
    assert "They released Rp 90.000 to you" in to_seller.body and data["reason"] in to_seller.body


def test_refunding_a_transfer_leaves_it_owed_by_staff_once_without_restocking(client, db, login_as, outbox):
    order, part, seller, product = _reported(db)
    stock = db.session.get(Variant, product.variants[0].id).stock
    login_as("staff", program_id=seller.program_id)
    data = {"reason": "Foto menunjukkan barang pecah", "resolution": "refund"}
    response = client.post(f"/staff/problems/{part.id}/resolve", data=data, follow_redirects=True)
    assert "The customer is refunded" in response.get_data(as_text=True)
    assert client.post(f"/staff/problems/{part.id}/resolve", data=data).status_code == 302  # says: decided already
    db.session.expire_all()
    assert part.status == "refunded" and order.status == "cancelled"
    [refund] = db.session.execute(select(Refund).where(Refund.order_part_id == part.id)).scalars().all()
    assert refund.owed and refund.amount_idr == 90_000 + order.payment.unique_code_idr  # nothing else is left
    assert order.number in client.get("/staff/payouts/refunds").get_data(as_text=True)
    assert ledger.balance(part.business_id) == ledger.Balance(0, 0)
    assert db.session.get(Variant, product.variants[0].id).stock == stock  # the parcel was sent
    assert _audits(part, "problem.refund") == 1
    [to_customer] = [m for m in outbox(order.email) if m.template == "order_problem_resolved"]
    assert "is owed back to you" in to_customer.body and data["reason"] in to_customer.body
    [to_seller] = [m for m in outbox(seller.email) if m.template == "order_problem_resolved_for_seller"]
    assert "this sale is reversed" in to_seller.body


def test_refunding_cash_on_delivery_leaves_it_for_the_seller_to_give_back(client, db, login_as, outbox):
    order, part, seller, _ = _reported(db, payment_method="cod")
    staff = factories.user("staff", program_id=seller.program_id)
    problems.resolve(part.id, staff, problems.Resolution.REFUND, "Barang tidak sesuai")
    [refund] = db.session.execute(select(Refund).where(Refund.order_part_id == part.id)).scalars().all()
    assert refund.owed
    login_as(seller)
    assert "You owe the customer Rp 90.000" in client.get(f"/seller/orders/{part.id}").get_data(as_text=True)
    assert "give Rp 90.000 back to them" in outbox(seller.email)[-1].body
    assert f"{part.business.name} gives it back to you" in outbox(order.email)[-1].body


def test_a_decision_needs_a_reason_and_a_choice(client, db, login_as):
    order, part, seller, _ = _reported(db)
    login_as("staff", program_id=seller.program_id)
    for data in ({"reason": " ", "resolution": "release"}, {"reason": "Cek"}, {"reason": "Cek", "resolution": "x"}):
        assert client.post(f"/staff/problems/{part.id}/resolve", data=data).status_code == 400, data
    db.session.expire_all()
    assert part.released_at is None and part.status == "shipped"


def test_once_decided_the_other_decision_changes_nothing(db):
    order, part, seller, _ = _reported(db)
    staff = factories.user("staff", program_id=seller.program_id)
    problems.resolve(part.id, staff, problems.Resolution.RELEASE, "Diterima")
    with pytest.raises(InvalidTransition):
        problems.resolve(part.id, staff, problems.Resolution.REFUND, "Berubah pikiran")
    assert part.status == "shipped" and db.session.execute(select(Refund)).first() is None
    with pytest.raises(NotAllowed):  # a part without a report is not decided here
        other, _ = factories.unpaid_order(1)
        problems.resolve(other.parts[0].id, staff, problems.Resolution.RELEASE, "x")


def test_the_customer_receiving_the_parcel_closes_the_report(db):
    order, part, seller, _ = _reported(db)
    staff = factories.user("staff", program_id=seller.program_id)
    fulfilment.confirm_received(order.id, part.id, order.user_id)
    assert problems.open_reports(staff).parts == []
    with pytest.raises(InvalidTransition):
        problems.resolve(part.id, staff, problems.Resolution.REFUND, "Terlambat")


def test_reports_are_paged_oldest_first(client, db, login_as, monkeypatch):
    reported = [_reported(db) for _ in range(3)]
    admin = login_as("admin")
    first = problems.open_reports(admin, size=2)
    ours = [p.id for p in first.parts]
    assert len(ours) == 2 and first.next_after == ours[-1]
    assert ours == [reported[0][1].id, reported[1][1].id]
    second = problems.open_reports(admin, after=first.next_after, size=2)
    assert [p.id for p in second.parts] == [reported[2][1].id] and second.next_after is None
    monkeypatch.setattr(problems, "PAGE_SIZE", 2)
    page = client.get("/staff/problems").get_data(as_text=True)
    assert f'href="/staff/problems?after={ours[-1]}"' in page
    later = client.get(f"/staff/problems?after={ours[-1]}").get_data(as_text=True)
    assert reported[2][0].number in later and reported[0][0].number not in later
