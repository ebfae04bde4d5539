"""Starting the app safely, and creating the first admin from the command line."""
import pytest

from marketplace import create_app
from marketplace.accounts import services
from marketplace.config import ConfigError


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(ConfigError) as error:
        create_app({"APP_ENV": "production"})
    assert "SECRET_KEY" in str(error.value)
    assert "secrets.token_hex" in str(error.value)


def test_create_admin_makes_a_verified_admin(app):
    result = app.test_cli_runner().invoke(args=[
        "create-admin", "--email", "Boss@Example.com", "--name", "Ibu Admin", "--password", "a long admin password"])
    assert result.exit_code == 0, result.output
    assert "boss@example.com" in result.output
    admin = services.find_user_by_email("boss@example.com")
    assert admin.role == "admin" and admin.email_verified_at is not None
    assert services.authenticate("boss@example.com", "a long admin password") == admin


def test_create_admin_explains_what_is_wrong(app):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["create-admin", "--email", "boss@example.com", "--password", "short"])
    assert weak.exit_code != 0 and "too easy to guess" in weak.output
    bad_email = runner.invoke(args=["create-admin", "--email", "not an email", "--password", "a long admin password"])
    assert bad_email.exit_code != 0 and "email address" in bad_email.output
    assert services.find_user_by_email("boss@example.com") is None

    runner.invoke(args=["create-admin", "--email", "boss@example.com", "--password", "a long admin password"])
    again = runner.invoke(args=["create-admin", "--email", "BOSS@example.com", "--password", "a long admin password"])
    assert again.exit_code != 0 and "already exists" in again.output
