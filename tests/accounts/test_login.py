"""Signing in: where people land, and where they must never be sent."""
import pytest

from tests import factories


@pytest.fixture
def customer():
    user = factories.user("customer", email="andi@example.com")
    factories.db.session.commit()
    return user


def sign_in(client, next_value=None):
    data = {"email": "andi@example.com", "password": factories.PASSWORD}
    if next_value is not None:
        data["next"] = next_value
    return client.post("/account/login", data=data)


def test_sign_in_follows_a_same_site_next_path(client, customer):
    response = sign_in(client, "/account/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/"


@pytest.mark.parametrize("next_value", [
    "https://evil.example/steal", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
    "http:/evil.example", "evil.example/path", " //evil.example",
])
def test_sign_in_never_redirects_to_another_site(client, customer, next_value):
    response = sign_in(client, next_value)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_next_value_from_the_query_string_is_carried_in_the_form(client):
    page = client.get("/account/login?next=/account/")
    assert b'value="/account/"' in page.data


def test_a_wrong_password_says_so_and_does_not_sign_in(client, customer):
    response = client.post("/account/login", data={"email": "andi@example.com", "password": "not my password"})
    assert response.status_code == 401
    assert b"do not match" in response.data
    assert client.get("/account/").status_code == 302


def test_an_empty_login_form_is_a_400_with_messages(client):
    response = client.post("/account/login", data={})
    assert response.status_code == 400
    assert b"Please correct the marked fields" in response.data


def test_a_pending_partner_signs_in_to_the_waiting_page(client):
    factories.user("partner_pending", email="mitra@example.com", organisation="PT Osing")
    factories.db.session.commit()
    response = client.post("/account/login", data={"email": "mitra@example.com", "password": factories.PASSWORD})
    assert response.headers["Location"] == "/account/pending"
    page = client.get("/account/pending")
    assert page.status_code == 200
    assert b"PT Osing" in page.data and b"Program staff check" in page.data
    assert b"waiting for approval" in client.get("/account/").data


def test_navigation_links_follow_the_role(client, login_as):
    home = client.get("/").data
    assert b"Register" in home and b"My account" not in home

    login_as("customer")
    home = client.get("/").data
    assert b"My account" in home and b"Register" not in home and b">Staff<" not in home

    login_as("staff")
    home = client.get("/").data
    assert b">Staff<" in home and b">Admin<" not in home

    login_as("admin")
    home = client.get("/").data
    assert b">Staff<" in home and b">Admin<" in home

    login_as("partner_pending")
    assert b"My account" in client.get("/").data


def test_sign_out_ends_the_session(client, login_as):
    login_as("customer")
    assert client.post("/account/logout").status_code == 302
    assert client.get("/account/").status_code == 302
