"""Partner firms register, wait, and are approved or rejected by program staff."""
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core.audit import AuditLog
from tests import factories


def pending_partner(**fields) -> User:
    partner = factories.user("partner_pending", email="mitra@example.com", organisation="PT Osing Kreatif",
                             **fields)
    factories.db.session.commit()
    return partner


def test_staff_of_any_program_see_and_approve_pending_partners(client, login_as, outbox):
    partner = pending_partner(locale="en")
    login_as("staff")
    page = client.get("/staff/partners")
    assert page.status_code == 200 and b"PT Osing Kreatif" in page.data

    assert client.post(f"/staff/partners/{partner.id}/approve").status_code == 302
    factories.db.session.expire_all()
    partner = factories.db.session.get(User, partner.id)
    assert partner.approved_at is not None and partner.is_approved
    [message] = outbox("mitra@example.com")
    assert message.template == "account_partner_approved" and "approved" in message.subject
    assert factories.db.session.execute(select(AuditLog.action)).scalar_one() == "partner.approve"


def test_a_rejected_partner_is_told_and_the_account_is_closed(client, login_as, outbox):
    partner = pending_partner()
    login_as("admin")
    assert client.post(f"/staff/partners/{partner.id}/reject").status_code == 302
    assert [m.template for m in outbox("mitra@example.com")] == ["account_partner_rejected"]
    factories.db.session.expire_all()
    partner = factories.db.session.get(User, partner.id)
    assert partner.deleted_at is not None and partner.email.endswith("@invalid.local")
    login = client.post("/account/login", data={"email": "mitra@example.com", "password": factories.PASSWORD})
    assert login.status_code in (302, 401)


def test_approving_something_that_is_not_a_pending_partner_is_404(client, login_as):
    customer = factories.user("customer")
    approved = factories.user("partner")
    login_as("staff")
    for user_id in (customer.id, approved.id, 987654):
        assert client.post(f"/staff/partners/{user_id}/approve").status_code == 404
        assert client.post(f"/staff/partners/{user_id}/reject").status_code == 404
    factories.db.session.expire_all()
    assert factories.db.session.get(User, customer.id).deleted_at is None


def test_a_pending_partner_has_no_staff_or_partner_powers(client, login_as):
    login_as("partner_pending")
    assert client.get("/staff/partners").status_code == 403
    assert client.get("/account/").status_code == 200
