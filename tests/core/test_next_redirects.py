"""A ``next`` value, whatever it holds, ends in a redirect to a page of this site (issue 11, item 12).

Browsers drop tabs and newlines from URLs, so ``/\\t/evil.example`` would become ``//evil.example``;
a newline in a ``Location`` header is refused by Werkzeug (it was a 500)."""
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.core.safety import safe_next_url
from tests import factories

HOSTILE = ["/\nenv", "/%0Aenv", "/\r\nSet-Cookie: a=b", "/\t/evil.example", "/\n/evil.example", " /account/",
           "/account/\x7f", "/\x0b/evil.example", "/\u2028x", "//evil.example", "/\\evil.example",
           "https://evil.example", "/ok?x=\n", "//[", "/[/"]


def _stays_on_site(location: str) -> None:
    assert location.startswith("/") and not location.startswith("//"), location
    browser_sees = "".join(ch for ch in location if ch not in "\t\n\r")
    parts = urlsplit(browser_sees)
    assert not parts.scheme and not parts.netloc and "\\" not in browser_sees, location


@pytest.mark.parametrize("value", HOSTILE)
def test_language_switch_with_any_next_redirects_within_the_site(client, value):
    response = client.post("/language", data={"language": "en", "next": value})
    assert response.status_code == 302
    _stays_on_site(response.headers["Location"])


@pytest.mark.parametrize("value", HOSTILE)
def test_sign_in_with_any_next_redirects_within_the_site(client, value):
    factories.user("customer", email="andi@example.com")
    factories.db.session.commit()
    response = client.post("/account/login", data={"email": "andi@example.com", "password": factories.PASSWORD,
                                                   "next": value})
    assert response.status_code == 302
    _stays_on_site(response.headers["Location"])


def test_an_ordinary_path_with_a_query_is_kept():
    assert safe_next_url("/cari?q=kopi+gayo&page=2") == "/cari?q=kopi+gayo&page=2"


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_safe_next_url_returns_nothing_or_a_path_of_this_site(value):
    result = safe_next_url("/" + value)
    if result is not None:
        _stays_on_site(result)
        assert not any(ord(ch) < 0x20 or ord(ch) == 0x7f for ch in result)
