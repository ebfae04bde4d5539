"""In development the links the site builds (emails, sitemap, canonical, WhatsApp share) point at the
port actually served, not at a default (issue 11, item 13)."""
import pytest

from marketplace import create_app
from marketplace.config import load_config
from marketplace.extensions import db as _db
from tests import factories


def test_development_public_url_follows_the_port_variable(tmp_path):
    config = load_config({"APP_ENV": "development", "PORT": "8000"}, instance_dir=tmp_path)
    assert config["PUBLIC_URL"] == "http://127.0.0.1:8000"
    assert config["PUBLIC_URL_FOLLOWS_SERVER"] is True


@pytest.mark.parametrize("env", [
    {"APP_ENV": "development", "PUBLIC_URL": "https://dev.example.id/"},
    {"APP_ENV": "production", "SECRET_KEY": "x" * 40, "PUBLIC_URL": "https://pasarbangkit.id"},
])
def test_a_configured_public_url_is_kept_as_given(tmp_path, env):
    config = load_config(env, instance_dir=tmp_path)
    assert config["PUBLIC_URL"] == env["PUBLIC_URL"].rstrip("/")
    assert config["PUBLIC_URL_FOLLOWS_SERVER"] is False


@pytest.fixture
def development_app(app, app_config):
    site = create_app({**app_config, "APP_ENV": "development", "TESTING": False,
                       "PUBLIC_URL": "http://127.0.0.1:5000", "PUBLIC_URL_FOLLOWS_SERVER": True})
    yield site
    with site.app_context():
        _db.session.remove()
        _db.engine.dispose()


def test_the_development_server_links_to_the_port_it_serves(development_app, outbox):
    factories.business(slug="kopi-bangkit")
    _db.session.commit()
    client = development_app.test_client()
    served_on_8000 = "http://127.0.0.1:8000"  # the test client's SERVER_PORT
    with development_app.app_context():
        sitemap = client.get("/sitemap.xml", base_url=served_on_8000).get_data(as_text=True)
        response = client.post("/account/register", base_url=served_on_8000, data={
            "name": "Andi", "email": "andi@example.com", "password": "layang layang biru",
            "confirm": "layang layang biru", "language": "id"})
    assert "http://127.0.0.1:8000/" in sitemap and ":5000" not in sitemap
    assert response.status_code == 200
    assert "http://127.0.0.1:8000/account/verify/" in outbox("andi@example.com")[-1].body


def test_the_port_follows_the_server_not_the_host_header(development_app):
    """The Host header is the visitor's to choose; only the port the server listens on is taken."""
    client = development_app.test_client()
    with development_app.app_context():
        sitemap = client.get("/sitemap.xml", headers={"Host": "evil.example:8000"},
                             base_url="http://127.0.0.1:8000").get_data(as_text=True)
    assert "evil.example" not in sitemap
