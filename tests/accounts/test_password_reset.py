"""Forgotten passwords: an emailed link that works once, for one hour, and reveals no accounts."""
import re
from datetime import timedelta

from marketplace.accounts import services
from marketplace.accounts.models import User
from marketplace.core.timeutil import utcnow
from tests import factories
from tests.accounts.helpers import link_path

NEW = {"password": "kopi ijen pagi hari", "confirm": "kopi ijen pagi hari"}


def make_user(**fields) -> User:
    user = factories.user("customer", email="bayu@example.com", **fields)
    factories.db.session.commit()
    return user


def _without_csrf(page: bytes) -> bytes:
    return re.sub(rb'name="csrf_token" value="[^"]*"', b'name="csrf_token"', page)


def test_known_and_unknown_addresses_get_the_same_answer(client, outbox):
    make_user()
    known = client.post("/account/password/forgot", data={"email": "bayu@example.com"})
    unknown = client.post("/account/password/forgot", data={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert b"If an account exists" in known.data
    # Byte for byte, but for the CSRF token: it is signed with the second it was made in.
    assert _without_csrf(known.data) == _without_csrf(unknown.data)
    assert [m.to for m in outbox()] == ["bayu@example.com"]


def test_the_link_sets_a_new_password_and_then_dies(client, outbox):
    user = make_user()
    client.post("/account/password/forgot", data={"email": "BAYU@example.com"})
    path = link_path(outbox()[-1])

    assert client.get(path).status_code == 200
    done = client.post(path, data=NEW)
    assert done.status_code == 302 and done.headers["Location"] == "/account/login"
    factories.db.session.expire_all()
    assert services.password_matches(factories.db.session.get(User, user.id), NEW["password"])

    again = client.post(path, data={"password": "another fine password", "confirm": "another fine password"})
    assert again.status_code == 400
    assert b"not valid" in again.data
    factories.db.session.expire_all()
    assert services.password_matches(factories.db.session.get(User, user.id), NEW["password"])


def test_an_hour_old_link_has_expired(client):
    user = make_user()
    path = services.password_reset_link(user, issued_at=utcnow() - timedelta(minutes=61))
    response = client.post(path.removeprefix("http://localhost"), data=NEW)
    assert response.status_code == 400
    assert b"expired" in response.data
    factories.db.session.expire_all()
    assert services.password_matches(factories.db.session.get(User, user.id), factories.PASSWORD)


def test_forged_or_tampered_tokens_change_nothing(client):
    user = make_user()
    genuine = services.password_reset_link(user).removeprefix("http://localhost")
    for path in ("/account/password/reset/forged", genuine[:-3] + "abc", genuine + "x"):
        response = client.post(path, data=NEW)
        assert response.status_code == 400, path
        assert b"not valid" in response.data
    factories.db.session.expire_all()
    assert services.password_matches(factories.db.session.get(User, user.id), factories.PASSWORD)


def test_a_weak_new_password_is_refused_in_the_form(client):
    user = make_user()
    path = services.password_reset_link(user).removeprefix("http://localhost")
    response = client.post(path, data={"password": "short", "confirm": "short"})
    assert response.status_code == 400
    assert b"too easy to guess" in response.data


def test_the_reset_link_also_confirms_the_address(client):
    user = factories.unverified_user(email="bayu@example.com")
    factories.db.session.commit()
    path = services.password_reset_link(user).removeprefix("http://localhost")
    client.post(path, data=NEW)
    factories.db.session.expire_all()
    assert factories.db.session.get(User, user.id).email_verified_at is not None


def test_a_reset_link_cannot_be_used_as_an_account_set_up_link_or_the_reverse(client):
    user = make_user()
    reset = services.password_reset_link(user).split("/reset/")[1]
    setup = services.account_setup_link(user).split("/setup/")[1]
    assert client.get(f"/account/setup/{reset}").status_code == 400
    assert client.get(f"/account/password/reset/{setup}").status_code == 400
