"""Scale-out: two app servers share nothing but PostgreSQL, Redis and the bucket. A journey whose
consecutive requests go to one server, then the other, works end to end: signing in, uploading a photo
(served afterwards by nginx from the bucket), adding to the cart, checking out; the order's email is
queued by one server and delivered by the RQ worker; the sign-in rate limit is counted once for both."""
from __future__ import annotations

import mailbox
import re
import time

import pytest
import requests

from tests.stack.conftest import png_bytes

pytestmark = pytest.mark.stack


def mail_to(stack, address: str) -> list:
    return [m for m in mailbox.Maildir(str(stack.mail_dir), create=False) if address in (m["To"] or "")]


def test_a_journey_alternating_between_the_two_app_servers(stack, visitor):
    seller = visitor()
    seller.sign_in("seller1@bench.example.com")
    dashboard = seller.get("/seller/")
    product_id = re.search(r'href="/seller/products/(\d+)"', dashboard.text).group(1)

    edit = seller.get(f"/seller/products/{product_id}")
    upload = seller.form(edit, lambda f: f.action.endswith("/photos"))
    seller.post(upload.action, upload.values(), files={"photos": ("bengkel.png", png_bytes(), "image/png")})
    edit = seller.get(f"/seller/products/{product_id}")
    keys = re.findall(r"/media/(photos/[0-9a-f]{20,}[^\"'\s]*\.webp)", edit.text)
    assert keys, "the uploaded photo is not on the product page"

    # nginx serves the photo from the bucket with the long cache headers, then from its own cache.
    first = requests.get(f"{stack.url}/media/{keys[0]}", timeout=10)
    again = requests.get(f"{stack.url}/media/{keys[0]}", timeout=10)
    assert first.status_code == 200 and first.headers["Content-Type"] == "image/webp"
    assert first.content[:4] == b"RIFF"
    assert "immutable" in first.headers["Cache-Control"] and "max-age=31536000" in first.headers["Cache-Control"]
    assert (first.headers["X-Cache"], again.headers["X-Cache"]) == ("MISS", "HIT")

    product_path = re.search(r'(/toko/[^"/]+/[^"/?#]+)"', seller.get(f"/seller/products/{product_id}/preview").text)
    customer = visitor()
    customer.sign_in("customer1@bench.example.com")
    before = len(mail_to(stack, "customer1@bench.example.com"))
    customer.add_to_cart(product_path.group(1), quantity=2)
    assert "/cart/items/" in customer.get("/cart").text  # the line is in the cart, whichever server asks
    public_id = customer.check_out_by_bank_transfer()
    order_page = customer.get(f"/orders/{public_id}")
    assert public_id in order_page.text

    # Every step went to both servers in turn.
    assert set(seller.servers_used) == set(customer.servers_used) == {stack.app_url(1), stack.app_url(2)}
    assert all(a != b for a, b in zip(customer.servers_used, customer.servers_used[1:], strict=False))

    # The order email: queued on Redis by the server that placed the order, sent by the worker.
    deadline = time.monotonic() + 30
    while len(mail_to(stack, "customer1@bench.example.com")) <= before and time.monotonic() < deadline:
        time.sleep(0.25)
    assert len(mail_to(stack, "customer1@bench.example.com")) > before, "the worker delivered no order email"


def test_the_sign_in_limit_is_shared_by_both_servers(stack, visitor):
    guesser = visitor()
    page = guesser.get("/account/login")
    form = guesser.form(page, lambda f: "password" in f.fields)
    statuses = [guesser.post("/account/login", form.values(email="customer2@bench.example.com", password="wrong guess"),
                             expect=()).status_code for _ in range(6)]
    # Five tries allowed per address (LOGIN_LIMIT), then refused: attempts 1, 3, 5 went to one server
    # and 2, 4, 6 to the other, so neither alone saw more than three.
    assert statuses == [401] * 5 + [429]
    # Failures count per address too, so the guessed account waits; another visitor's account does not.
    assert visitor().sign_in("customer3@bench.example.com").status_code == 302


def test_no_request_reached_the_error_page(stack):
    logs = [(stack.dir / "logs" / f"app{n}.log").read_text() for n in (1, 2)]
    assert not any("Traceback" in log for log in logs), "an app server logged an exception"
