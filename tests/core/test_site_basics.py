"""The layout's promises: languages, rupiah, Jakarta time, friendly errors, security headers."""
import re
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

from marketplace import create_app
from marketplace.core.formatting import jakarta_time, rupiah
from marketplace.core.safety import safe_next_url


@pytest.mark.parametrize("amount, shown", [(25000, "Rp 25.000"), (0, "Rp 0"), (1500000, "Rp 1.500.000"),
                                           (-2000, "-Rp 2.000")])
def test_rupiah_is_shown_with_dots(amount, shown):
    assert rupiah(amount) == shown


def test_times_are_shown_in_jakarta(app):
    with app.test_request_context(), force_locale("en"):
        shown = jakarta_time(datetime(2026, 11, 23, 17, 30, tzinfo=UTC), "HH:mm")
    assert shown == "00:30"  # UTC+7


def test_a_moment_is_shown_to_the_minute_without_seconds(app):
    moment = datetime(2026, 11, 30, 19, 7, 27, tzinfo=UTC)
    with app.test_request_context():
        with force_locale("id"):
            indonesian = jakarta_time(moment)
        with force_locale("en"):
            english = jakarta_time(moment)
    assert indonesian == "1 Des 2026 02.07"  # not "02.07.27", which reads like a date
    assert english == "Dec 1, 2026 2:07\u202fAM" or english == "Dec 1, 2026 2:07 AM"


def test_indonesian_is_the_default_language(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="id">' in page


def test_a_guest_can_switch_to_english_and_it_is_remembered(client):
    response = client.post("/language", data={"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "lang=en" in response.headers["Set-Cookie"]
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_a_signed_in_user_keeps_their_language_on_the_account(client, login_as):
    user = login_as("customer")
    client.post("/language", data={"language": "en"})
    assert user.locale == "en"


def test_an_unknown_language_changes_nothing(client):
    response = client.post("/language", data={"language": "xx"})
    assert response.status_code == 302
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example",
                                    "javascript:alert(1)"])
def test_language_switch_never_redirects_off_site(client, target):
    response = client.post("/language", data={"language": "en", "next": target})
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_safe_next_url_keeps_local_paths():
    assert safe_next_url("/toko/abc?x=1") == "/toko/abc?x=1"
    assert safe_next_url("https://evil.example") is None


def test_missing_pages_are_friendly_in_both_languages(translated_app):
    client = translated_app.test_client()
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Kami tidak dapat menemukan halaman itu" in response.get_data(as_text=True)
    client.post("/language", data={"language": "en"})
    assert "We could not find that page" in client.get("/no-such-page").get_data(as_text=True)


def test_every_page_carries_security_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_pages_load_nothing_from_other_hosts(client):
    page = client.get("/").get_data(as_text=True)
    assert "http://" not in page.replace("http://localhost", "") and "https://" not in page


def test_no_inline_script_in_the_layout(client):
    page = client.get("/").get_data(as_text=True)
    for chunk in page.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        assert "src=" in tag or "application/ld+json" in tag


def test_forms_are_refused_without_a_csrf_token(app_config, app):
    strict = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = strict.test_client()
    response = client.post("/language", data={"language": "en"})
    assert response.status_code == 400
    assert "form had expired" in response.get_data(as_text=True)


def test_unexpected_errors_show_the_friendly_500_page(app_config):
    broken = create_app(app_config)

    @broken.get("/boom")
    def boom():
        raise RuntimeError("boom")

    boom.allowed_roles = frozenset({"guest"})
    response = broken.test_client().get("/boom")
    assert response.status_code == 500
    assert "RuntimeError" not in response.get_data(as_text=True)
    assert "error-page" in response.get_data(as_text=True)


def test_production_cookies_are_secure(app_config, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("APP_ENV", "production")
    production = create_app({k: v for k, v in app_config.items()
                             if k not in ("APP_ENV", "TESTING", "SESSION_COOKIE_SECURE")})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.debug is False


def test_css_and_js_are_fingerprinted_and_cached_for_a_year(client):
    page = client.get("/").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert links and all(re.search(r"\?v=[0-9a-f]{12}$", link) for link in links), links
    response = client.get(links[0])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # Without the fingerprint the browser must ask again, so an edited file is never served stale.
    assert "immutable" not in client.get(links[0].split("?")[0]).headers["Cache-Control"]
