"""My account: details, password, "download my data" and "delete my account"."""
import json

from sqlalchemy import select

from marketplace.accounts import services
from marketplace.accounts.models import User
from marketplace.core.audit import AuditLog, record
from tests import factories

NEW = {"current_password": factories.PASSWORD, "password": "layang layang biru", "confirm": "layang layang biru"}


def reload(user) -> User:
    factories.db.session.expire_all()
    return factories.db.session.get(User, user.id)


def test_profile_saves_name_language_and_an_indonesian_phone_in_e164(client, login_as):
    user = login_as("customer")
    response = client.post("/account/", data={"name": "Putri Ayu", "phone": "0812-3456-7890", "language": "en"})
    assert response.status_code == 302
    user = reload(user)
    assert (user.name, user.phone, user.locale) == ("Putri Ayu", "+6281234567890", "en")


def test_a_phone_number_that_is_not_indonesian_is_refused(client, login_as):
    user = login_as("customer", phone=None)
    for phone in ("12345", "+1 202 555 0143", "not a number"):
        response = client.post("/account/", data={"name": "Putri", "phone": phone, "language": "id"})
        assert response.status_code == 400, phone
        assert b"Indonesian phone number" in response.data
    assert reload(user).phone is None


def test_changing_the_password_needs_the_current_one(client, login_as):
    user = login_as("customer")
    response = client.post("/account/password", data={**NEW, "current_password": "not my password"})
    assert response.status_code == 400
    assert b"not your current password" in response.data
    assert services.password_matches(reload(user), factories.PASSWORD)


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(client, second_client, login_as):
    user = login_as("customer")
    with second_client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    assert second_client.get("/account/").status_code == 200

    response = client.post("/account/password", data=NEW)
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200
    assert second_client.get("/account/").status_code == 302  # sent to sign in
    assert services.password_matches(reload(user), NEW["password"])


def test_download_my_data_is_a_json_attachment_with_the_profile(client, login_as):
    user = login_as("graduate", name="Sari Wulandari", phone="+6281234567890")
    response = client.get("/account/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    profile = data["data"]["accounts"]["profile"]
    assert profile["name"] == "Sari Wulandari" and profile["email"] == user.email
    assert profile["program"] == user.program.name


def test_every_domain_whose_privacy_module_covers_tables_is_asked(app):
    from marketplace.accounts import privacy

    domains = [domain for domain, module in privacy.privacy_modules() if module.COVERS]
    assert "accounts" in domains
    user = factories.user("customer")
    assert set(privacy.collect_user_data(user)) == set(domains)


def test_delete_page_says_what_is_deleted_and_what_is_kept(client, login_as):
    login_as("customer")
    page = client.get("/account/delete")
    assert b"10 years" in page.data and b"tax law" in page.data and b"audit log" in page.data


def test_deleting_the_account_anonymises_it_and_signs_out(client, login_as):
    user = login_as("customer", name="Rudi Hartono", phone="+6281234567890", email="rudi@example.com")
    record(user.id, "test.action", "user", user.id)
    factories.db.session.commit()
    email = user.email

    response = client.post("/account/delete", data={"password": factories.PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    user = reload(user)
    assert user.email == f"deleted-{user.id}@invalid.local"
    assert (user.name, user.phone) == ("Deleted user", None)
    assert user.deleted_at is not None
    assert not services.password_matches(user, factories.PASSWORD)
    assert services.find_user_by_email(email) is None
    assert client.get("/account/").status_code == 302
    # The audit log keeps its entry, pointing at the anonymous row.
    assert factories.db.session.execute(select(AuditLog).where(AuditLog.actor_id == user.id)).scalar_one()
    login = client.post("/account/login", data={"email": email, "password": factories.PASSWORD})
    assert login.status_code == 401


def test_deleting_needs_the_password_and_the_confirmation(client, login_as):
    user = login_as("customer")
    wrong = client.post("/account/delete", data={"password": "not my password", "confirm": "y"})
    assert wrong.status_code == 400 and b"not your password" in wrong.data
    unconfirmed = client.post("/account/delete", data={"password": factories.PASSWORD})
    assert unconfirmed.status_code == 400
    assert reload(user).deleted_at is None


def test_the_last_admin_cannot_delete_themselves(client, login_as):
    admin = login_as("admin")
    response = client.post("/account/delete", data={"password": factories.PASSWORD, "confirm": "y"})
    assert response.status_code == 400
    assert b"only admin" in response.data
    assert reload(admin).deleted_at is None

    factories.user("admin")
    factories.db.session.commit()
    response = client.post("/account/delete", data={"password": factories.PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    assert reload(admin).deleted_at is not None


def test_an_accepted_invitation_forgets_the_name_and_address_too(client, login_as):
    invitation = factories.invitation(role="mentor")
    user = factories.user("mentor", email=invitation.email, program_id=invitation.program_id)
    invitation.accepted_user_id = user.id
    login_as(user)
    client.post("/account/delete", data={"password": factories.PASSWORD, "confirm": "y"})
    factories.db.session.expire_all()
    invitation = factories.db.session.get(type(invitation), invitation.id)
    assert invitation.email == f"deleted-{user.id}@invalid.local" and invitation.name == "Deleted user"
