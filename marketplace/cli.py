"""Command-line tasks: ``flask create-admin``, ``flask seed-demo`` and the domains' own groups."""
from __future__ import annotations

import click
from flask import Flask
from flask_babel import force_locale

from marketplace.extensions import db


def register(app: Flask) -> None:
    @app.cli.command("create-admin")
    @click.option("--email", prompt=True)
    @click.option("--name", default="Admin")
    @click.password_option()
    def create_admin(email: str, name: str, password: str) -> None:
        """Create the platform admin account."""
        from email_validator import EmailNotValidError, validate_email

        from marketplace.accounts import services

        try:
            email = validate_email(email.strip(), check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise click.ClickException(f"That is not a valid email address: {exc}") from exc
        from marketplace.accounts.errors import AccountError

        try:
            user = services.create_admin(email=email, name=name, password=password)
        except AccountError as exc:
            with force_locale("en"):  # the operator's console speaks the source language
                raise click.ClickException(exc.message) from exc
        click.echo(f"Admin {user.email} created.")

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Fill the database with a small believable world (safe to run twice)."""
        from marketplace import demo

        logins = demo.seed()
        db.session.commit()  # by hand: a command, not a service; it commits what the domains' seed() added
        click.echo("Demo data ready. Sign in with any of these (password for all: see below):")
        for role, email, password in logins:
            click.echo(f"  {role:<10} {email:<34} {password}")
