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


# Issue 11, item 1: no public development key -----------------------------------------------------

def test_development_without_a_secret_key_makes_a_random_one_once_in_the_instance_folder(tmp_path):
    import os
    import stat

    from marketplace.config import load_config

    first = load_config({"APP_ENV": "development"}, instance_dir=tmp_path / "instance")
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600  # only the app's own user reads it
    assert len(first["SECRET_KEY"]) >= 64 and first["SECRET_KEY"] == key_file.read_text().strip()
    again = load_config({"APP_ENV": "development"}, instance_dir=tmp_path / "instance")
    assert again["SECRET_KEY"] == first["SECRET_KEY"]  # sessions survive a restart
    other = load_config({"APP_ENV": "development"}, instance_dir=tmp_path / "elsewhere")
    assert other["SECRET_KEY"] != first["SECRET_KEY"]  # every checkout has its own


def test_processes_starting_at_the_same_moment_share_one_whole_key(tmp_path):
    """A fresh clone's `make test` starts two workers at once: one read the key file the other had
    created but not yet written, and refused to start (every test errored)."""
    import subprocess
    import sys

    instance = tmp_path / "instance"
    program = ("import sys; from pathlib import Path; from marketplace.config import load_config; "
               "print(load_config({'APP_ENV': 'development'}, instance_dir=Path(sys.argv[1]))['SECRET_KEY'])")
    starts = [subprocess.Popen([sys.executable, "-c", program, str(instance)], stdout=subprocess.PIPE, text=True)
              for _ in range(6)]
    keys = {start.communicate(timeout=60)[0].strip() for start in starts}
    assert all(start.returncode == 0 for start in starts)
    assert keys == {(instance / "secret_key").read_text().strip()}
    assert [p.name for p in instance.iterdir()] == ["secret_key"]  # no temporary file left behind


def test_a_secret_key_from_the_environment_wins_and_no_file_is_written(tmp_path):
    from marketplace.config import load_config

    config = load_config({"APP_ENV": "development", "SECRET_KEY": "from the environment"}, instance_dir=tmp_path)
    assert config["SECRET_KEY"] == "from the environment"
    assert not (tmp_path / "secret_key").exists()


def test_production_never_falls_back_to_a_generated_key(tmp_path):
    from marketplace.config import load_config

    with pytest.raises(ConfigError):
        load_config({"APP_ENV": "production"}, instance_dir=tmp_path)
    assert not (tmp_path / "secret_key").exists()


def test_the_source_holds_no_fallback_key_and_git_ignores_the_generated_one():
    import subprocess

    from marketplace.config import PROJECT_ROOT

    source = (PROJECT_ROOT / "marketplace" / "config.py").read_text()
    assert "dev-only-not-secret" not in source
    ignored = subprocess.run(["git", "check-ignore", "-q", "instance/secret_key"], cwd=PROJECT_ROOT)
    assert ignored.returncode == 0


def test_a_deployment_hashes_passwords_with_argon2s_recommended_parameters(app_config):
    from marketplace.config import load_config

    # The suite lowers them for speed (tests/conftest.py); nothing in the environment can.
    deployment = load_config({"APP_ENV": "production", "SECRET_KEY": "x" * 32, "ARGON2_PROFILE": "CHEAPEST"})
    assert deployment["ARGON2_PROFILE"] == "RFC_9106_LOW_MEMORY"
    deployed = create_app({**app_config, "ARGON2_PROFILE": deployment["ARGON2_PROFILE"]})
    with deployed.app_context():
        stored = services.hash_password("a long password")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
