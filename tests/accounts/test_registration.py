"""Customers register themselves, confirm their address by an emailed link, then sign in."""
import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from tests import factories
from tests.accounts.helpers import link_path

GOOD = {"name": "Andi Wijaya", "email": "Andi@Example.com", "password": "sepeda motor merah",
        "confirm": "sepeda motor merah", "language": "en"}


def count_users() -> int:
    from marketplace.extensions import db

    return db.session.execute(select(func.count()).select_from(User)).scalar_one()


def test_registration_emails_a_link_that_confirms_the_address_and_allows_sign_in(client, outbox):
    response = client.post("/account/register", data=GOOD)
    assert response.status_code == 200
    assert b"Check your email" in response.data

    user = factories.accounts.find_user_by_email("andi@example.com")
    assert user.role == "customer" and user.locale == "en" and user.email_verified_at is None
    [message] = outbox("andi@example.com")
    assert message.template == "account_verify_email"
    assert "/account/verify/" in message.body

    confirmed = client.get(link_path(message))
    assert confirmed.status_code == 200
    assert b"confirmed" in confirmed.data
    signed_in = client.post("/account/login", data={"email": "andi@example.com", "password": GOOD["password"]})
    assert signed_in.status_code == 302


def test_an_unconfirmed_customer_is_told_why_sign_in_fails_and_can_get_the_link_again(client, outbox):
    factories.unverified_user(email="rina@example.com")
    factories.db.session.commit()

    response = client.post("/account/login", data={"email": "rina@example.com", "password": factories.PASSWORD})
    assert response.status_code == 403
    assert b"confirm your email address" in response.data
    assert b"Send the link again" in response.data

    again = client.post("/account/verify/resend", data={"email": "rina@example.com"})
    assert again.status_code == 200
    assert [m.template for m in outbox("rina@example.com")] == ["account_verify_email"]


def test_resending_to_an_unknown_or_confirmed_address_says_the_same_and_sends_nothing(client, outbox):
    factories.user(email="known@example.com")
    factories.db.session.commit()
    for email in ("nobody@example.com", "known@example.com"):
        response = client.post("/account/verify/resend", data={"email": email})
        assert response.status_code == 200
        assert b"Check your email" in response.data
    assert outbox() == []


def test_a_wrong_password_for_an_unconfirmed_account_does_not_reveal_it(client):
    factories.unverified_user(email="rina@example.com")
    factories.db.session.commit()
    response = client.post("/account/login", data={"email": "rina@example.com", "password": "wrong password!"})
    assert response.status_code == 401
    assert b"Send the link again" not in response.data


def test_forged_and_expired_confirmation_links_explain_themselves(client, app):
    from datetime import timedelta

    from marketplace.accounts import tokens
    from marketplace.core.timeutil import utcnow

    user = factories.unverified_user()
    factories.db.session.commit()
    forged = client.get("/account/verify/not-a-real-token")
    assert forged.status_code == 400
    assert b"not valid" in forged.data

    old = tokens.make_token(tokens.VERIFY_EMAIL, {"u": user.id, "e": user.email},
                            issued_at=utcnow() - timedelta(days=8))
    expired = client.get(f"/account/verify/{old}")
    assert expired.status_code == 400
    assert b"expired" in expired.data
    assert factories.db.session.get(User, user.id).email_verified_at is None


def test_a_token_for_another_purpose_is_refused(client):
    from marketplace.accounts import tokens

    user = factories.unverified_user()
    factories.db.session.commit()
    reset_token = tokens.make_token(tokens.PASSWORD_RESET, {"u": user.id, "e": user.email})
    assert client.get(f"/account/verify/{reset_token}").status_code == 400


def _same_page(first: bytes, second: bytes, *emails: str) -> bool:
    """Byte for byte, but for the CSRF token (signed with the current second) and the typed address."""
    import re

    def clean(page: bytes) -> bytes:
        page = re.sub(rb'name="csrf_token" value="[^"]*"', b'name="csrf_token"', page)
        for email in emails:
            page = page.replace(email.encode(), b"EMAIL")
        return page

    return clean(first) == clean(second)


@pytest.mark.parametrize("path, extra", [("/account/register", {}),
                                         ("/account/register/partner", {"organisation": "PT Osing Kreatif"})])
def test_registering_a_taken_address_answers_like_a_new_one_and_tells_the_owner(client, outbox, path, extra):
    """Issue 11, item 5: nobody can learn from the answer whether someone (a graduate) has an account."""
    owner = factories.user("graduate", email="sari@example.com", name="Sari", locale="en")
    factories.db.session.commit()
    before = count_users()
    taken = client.post(path, data={**GOOD, **extra, "email": "  SARI@Example.COM "})
    new = client.post(path, data={**GOOD, **extra, "email": "baru@example.com"})
    assert taken.status_code == new.status_code == 200
    assert b"Check your email" in taken.data
    assert _same_page(taken.data, new.data, "sari@example.com", "baru@example.com")
    assert count_users() == before + 1  # only the new address made an account

    [warning] = outbox("sari@example.com")
    assert warning.template == "account_exists"
    assert "Sari" in warning.body and "Andi" not in warning.body
    assert "/account/login" in warning.body and "/account/password/forgot" in warning.body
    owner = factories.db.session.get(User, owner.id)
    assert owner.role == "graduate" and owner.name == "Sari"  # nothing of the owner changed
    assert factories.accounts.password_matches(owner, factories.PASSWORD)


def test_the_owner_is_told_in_their_own_language(translated_app, outbox):
    factories.user("customer", email="sari@example.com", name="Sari", locale="id")
    factories.db.session.commit()
    client = translated_app.test_client()
    with translated_app.app_context():
        client.post("/account/register", data={**GOOD, "email": "sari@example.com"})
    [warning] = outbox("sari@example.com")
    assert "Halo Sari" in warning.body
    assert "Someone" not in warning.body and "mendaftar" in warning.body


def test_a_weak_password_is_refused_for_a_taken_address_too(client, outbox):
    """The form's own errors come before the address is looked up: they reveal nothing."""
    factories.user(email="sari@example.com")
    factories.db.session.commit()
    response = client.post("/account/register", data={**GOOD, "email": "sari@example.com",
                                                       "password": "short", "confirm": "short"})
    assert response.status_code == 400 and b"too easy to guess" in response.data
    assert outbox() == []


def test_malformed_email_weak_password_and_mismatch_are_shown_in_the_form(client, outbox):
    cases = [
        ({"email": "not-an-email"}, b"valid email address"),
        ({"email": "a@b"}, b"valid email address"),
        ({"password": "short", "confirm": "short"}, b"too easy to guess"),
        ({"password": "password123", "confirm": "password123"}, b"too easy to guess"),
        ({"password": "aaaaaaaaaaaa", "confirm": "aaaaaaaaaaaa"}, b"too easy to guess"),
        ({"confirm": "something else entirely"}, b"not the same"),
        ({"name": ""}, b"This field is required"),
        ({"language": "xx"}, b"Not a valid choice"),
    ]
    for change, message in cases:
        response = client.post("/account/register", data={**GOOD, **change})
        assert response.status_code == 400, change
        assert message in response.data, change
    assert count_users() == 0
    assert outbox() == []


def test_partner_registration_is_throttle_free_in_tests_and_creates_a_pending_partner(client, outbox):
    response = client.post("/account/register/partner", data={**GOOD, "organisation": "PT Osing Kreatif"})
    assert response.status_code == 200
    partner = factories.accounts.find_user_by_email(GOOD["email"])
    assert partner.role == "partner" and partner.organisation == "PT Osing Kreatif"
    assert partner.approved_at is None and not partner.is_approved
    assert [m.template for m in outbox()] == ["account_verify_email"]


def test_signed_in_people_are_sent_home_from_the_registration_page(client, login_as):
    login_as("customer")
    assert client.get("/account/register").status_code == 302


def test_a_sign_up_that_loses_the_race_for_its_address_answers_like_a_taken_one(app, outbox, monkeypatch):
    """Both requests found the address free; the unique index lets the other one in, and this one goes on in
    a usable session to tell the owner, as a registration of a taken address does."""
    from marketplace.accounts import services

    owner = factories.user(email="rina@example.com")
    factories.db.session.commit()
    real_find, looked = services.find_user_by_email, []

    def free_until_the_insert(email):  # _register's and create_user's checks ran before the winner committed
        looked.append(email)
        return None if len(looked) <= 2 else real_find(email)

    monkeypatch.setattr(services, "find_user_by_email", free_until_the_insert)
    assert services.register_customer(email="rina@example.com", name="Rina Lain", password=GOOD["password"],
                                      locale="en") is None
    assert [m.template for m in outbox(owner.email)] == ["account_exists"]
    assert factories.db.session.execute(select(func.count()).select_from(User).where(
        User.email == "rina@example.com")).scalar_one() == 1
