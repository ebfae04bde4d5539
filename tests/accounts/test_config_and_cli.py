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


def test_a_deployment_hashes_passwords_with_argon2s_recommended_parameters(app_config, monkeypatch):
    from marketplace.config import load_config

    # The suite lowers them for speed (tests/conftest.py); nothing in the environment can.
    monkeypatch.setenv("ARGON2_PROFILE", "CHEAPEST")
    assert load_config({"APP_ENV": "production", "SECRET_KEY": "x" * 32})["ARGON2_PROFILE"] == \
        "RFC_9106_LOW_MEMORY"
    deployed = create_app({**app_config, "ARGON2_PROFILE": load_config()["ARGON2_PROFILE"]})
    with deployed.app_context():
        stored = services.hash_password("a long password")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
