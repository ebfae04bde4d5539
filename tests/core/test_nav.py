"""The site navigation (core/nav.py, templates/_nav.html): which links each role gets, that each one
opens for that role (never a 403, never the sign-in page), and that only people who shop here see the
cart and their orders (or someone of another role once they have put something in a cart, or ordered),
the cart staying on the phone's header bar outside the folded menu."""
from __future__ import annotations

import re

import pytest

from tests import factories

ROLES = ["guest", "customer", "graduate", "mentor", "partner", "partner_pending", "staff", "admin"]
BUYERS = {"guest", "customer", "graduate"}  # graduates buy from other sellers (the cart refuses their own)

# Every link of the header, by role; "/" (Belanja, the shop) is everyone's first link.
EXPECTED = {
    "guest": {"/", "/cart", "/lowongan", "/account/register", "/account/login"},
    "customer": {"/", "/cart", "/orders", "/lowongan", "/account/"},
    "graduate": {"/", "/cart", "/orders", "/lowongan", "/account/", "/seller/", "/seller/orders",
                 "/seller/earnings", "/kerja/", "/mentoring/"},
    "mentor": {"/", "/lowongan", "/account/", "/mentoring/"},
    "partner": {"/", "/lowongan", "/account/", "/mitra/"},
    "partner_pending": {"/", "/lowongan", "/account/"},  # waiting for approval: what every signed-in user gets
    "staff": {"/", "/lowongan", "/account/", "/mentoring/", "/staff/", "/staff/moderation/", "/staff/jobs/",
              "/staff/payouts", "/staff/problems"},
}
EXPECTED["admin"] = EXPECTED["staff"] | {"/admin/"}

_NAV = re.compile(r'<nav aria-label="[^"]*" class="main-nav">(.*?)</nav>', re.S)


def _header(client, login_as, role: str) -> str:
    if role != "guest":
        login_as(role)
    return _NAV.search(client.get("/").get_data(as_text=True)).group(1)


def _links(html: str) -> set[str]:
    return set(re.findall(r'<a href="([^"]+)"', html))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_its_links_and_each_opens(client, login_as, role):
    header = _header(client, login_as, role)
    assert _links(header) == EXPECTED[role]
    assert ('action="/account/logout"' in header) == (role != "guest")
    for href in _links(header):
        response = client.get(href)
        assert response.status_code in (200, 302), f"{role}: {href} answered {response.status_code}"
        assert "/account/login" not in response.headers.get("Location", ""), f"{role}: {href} asks to sign in"


@pytest.mark.parametrize("role", ROLES)
def test_only_people_who_shop_see_the_cart_and_their_orders(client, login_as, role):
    links = _links(_header(client, login_as, role))
    assert ("/cart" in links) == (role in BUYERS)
    assert ("/orders" in links) == (role in BUYERS - {"guest"})


def test_the_cart_stays_on_the_bar_and_the_rest_folds_into_the_menu(client, login_as):
    header = _header(client, login_as, "graduate")
    pinned = re.search(r'<ul class="nav-pinned">(.*?)</ul>', header, re.S).group(1)
    menu = re.search(r'<ul id="site-menu" class="nav-menu">(.*?)</ul>', header, re.S).group(1)
    assert _links(pinned) == {"/cart"}
    assert "/cart" not in _links(menu) and {"/", "/orders", "/seller/"} <= _links(menu)
    assert 'action="/account/logout"' in menu  # sign-out is in the menu
    # The button is hidden until static/js/menu.js runs: without JavaScript every link shows.
    button = re.search(r"<button [^>]*menu-toggle[^>]*>", header).group(0)
    assert 'aria-controls="site-menu"' in button and 'aria-expanded="false"' in button and " hidden" in button


def test_without_a_cart_link_the_bar_holds_only_the_menu_button(client, login_as):
    header = _header(client, login_as, "staff")
    assert "nav-pinned" not in header and "/cart" not in header and "menu-toggle" in header


@pytest.mark.parametrize("role", ["mentor", "partner", "staff"])
def test_someone_of_another_role_who_buys_finds_the_cart_and_then_their_orders(client, db, login_as, role):
    person = login_as(role)
    variant = factories.product(stock=5).variants[0]

    def links() -> set[str]:
        return _links(_NAV.search(client.get("/").get_data(as_text=True)).group(1))

    assert not {"/cart", "/orders"} & links()
    client.post("/cart/add", data={"variant_id": variant.id, "quantity": 1})
    assert "/cart" in links() and "/orders" not in links()
    factories.order([(variant, 1)], buyer=person)  # checked out: the cart is empty, the order is theirs
    assert "/orders" in links() and "/cart" not in links()
