"""Signing out really ends a session (issue 11, items 2, 6 and 15).

A copied session cookie and the remember-me cookie both carry the user's session version; logout,
a password change and "sign out of all devices" bump it, and every request checks it."""
import pytest

from marketplace.accounts.models import User
from tests import factories


@pytest.fixture
def customer():
    user = factories.user("customer", email="andi@example.com")
    factories.db.session.commit()
    return user


def sign_in(client, remember=False):
    data = {"email": "andi@example.com", "password": factories.PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/account/login", data=data)
    assert response.status_code == 302
    return response


def _copy_cookie(source, target, name):
    cookie = source.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    target.set_cookie(name, cookie.value, domain=cookie.domain)


def test_a_copied_session_cookie_is_worthless_after_logout(client, second_client, customer):
    sign_in(client)
    _copy_cookie(client, second_client, "session")
    assert second_client.get("/account/").status_code == 200  # the copy works while signed in

    client.post("/account/logout")
    assert client.get("/account/").status_code == 302
    assert second_client.get("/account/").status_code == 302  # sent to sign in


def test_the_remember_me_cookie_alone_is_worthless_after_logout(client, second_client, customer):
    sign_in(client, remember=True)
    _copy_cookie(client, second_client, "remember_token")
    assert second_client.get("/account/").status_code == 200  # a fresh browser signed in by the cookie

    client.post("/account/logout")
    fresh = client.application.test_client()
    fresh.set_cookie("remember_token", second_client.get_cookie("remember_token").value)
    from tests.accounts.helpers import forget_cached_user
    forget_cached_user()
    assert fresh.get("/account/").status_code == 302


def test_the_remember_me_cookie_is_samesite_lax_and_http_only(client, customer):
    response = sign_in(client, remember=True)
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
    assert "SameSite=Lax" in header and "HttpOnly" in header


def test_sign_out_of_all_devices_ends_every_session_and_remember_cookie(client, second_client, customer):
    sign_in(second_client, remember=True)
    sign_in(client)
    page = client.get("/account/")
    assert b'action="/account/sign-out-everywhere"' in page.data

    response = client.post("/account/sign-out-everywhere")
    assert response.status_code == 302
    assert client.get("/account/").status_code == 302
    second_client.delete_cookie("session")  # only the remember-me cookie is left
    assert second_client.get("/account/").status_code == 302


def test_sign_out_of_all_devices_needs_a_post(client, customer):
    sign_in(client)
    assert client.get("/account/sign-out-everywhere").status_code == 405
    assert client.get("/account/").status_code == 200


def test_logout_bumps_the_session_version(client, customer):
    sign_in(client)
    before = customer.session_version
    client.post("/account/logout")
    factories.db.session.expire_all()
    assert factories.db.session.get(User, customer.id).session_version == before + 1


@pytest.mark.parametrize("path", ["/account/", "/account/password", "/orders", "/cart"])
def test_signed_in_pages_are_private_and_never_stored(client, customer, path):
    sign_in(client)
    response = client.get(path)
    assert response.status_code == 200
    assert set(response.headers["Cache-Control"].replace(" ", "").split(",")) >= {"private", "no-store"}


def test_static_files_keep_their_long_cache_when_signed_in(client, customer):
    sign_in(client)
    home = client.get("/").get_data(as_text=True)
    import re
    css = re.search(r'href="(/static/[^"]+\.css[^"]*)"', home).group(1)
    response = client.get(css)
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_stored_picture_keeps_its_public_cache_when_signed_in(client, customer):
    from marketplace.storage import get_storage

    key = "ab" * 32 + ".webp"
    get_storage().put(key, b"RIFF0000WEBPVP8 ", "image/webp")
    sign_in(client)
    response = client.get(f"/media/{key}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("public")


def _session_of(client) -> dict:
    with client.session_transaction() as session:
        return dict(session)


@pytest.mark.parametrize("leave", ["delete", "reset", "invitation"])
def test_every_way_a_person_leaves_a_browser_clears_its_session(client, customer, leave, outbox):
    """Deleting the account, setting a password from an emailed link or accepting an invitation while
    someone was signed in: nothing of theirs (their orders, a cart) stays for the next person."""
    from marketplace.accounts import services

    sign_in(client)
    with client.session_transaction() as session:
        session["my_orders"] = ["their-order"]
    if leave == "delete":
        response = client.post("/account/delete", data={"password": factories.PASSWORD, "confirm": "y"})
    elif leave == "reset":
        path = services.password_reset_link(customer).split("http://localhost", 1)[1]
        response = client.post(path, data={"password": "layang layang biru", "confirm": "layang layang biru"})
    else:
        from marketplace.accounts.invitations import invitation_token

        invitation = factories.invitation()
        factories.db.session.commit()
        response = client.post(f"/account/invitation/{invitation_token(invitation)}",
                               data={"name": "Dedi Setiawan", "password": "anyaman bambu rapi",
                                     "confirm": "anyaman bambu rapi", "language": "id"})
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    assert "my_orders" not in _session_of(client)
