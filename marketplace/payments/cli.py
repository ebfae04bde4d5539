"""``flask payments reconcile``: settle card payments whose webhook never came; report differences."""
import click
from flask import Flask
from flask.cli import AppGroup


def register(app: Flask) -> None:
    group = AppGroup("payments", help="Payment maintenance.")

    @group.command("reconcile")
    def reconcile() -> None:
        """Re-check pending Stripe payments and compare our records with Stripe."""
        from marketplace.payments.services import reconcile as run

        result = run()
        for line in result.fixed:
            click.echo(f"fixed: {line}")
        for line in result.differences:
            click.echo(f"DIFFERENCE: {line}")
        click.echo(f"{len(result.fixed)} fixed, {len(result.differences)} difference(s).")
        if result.differences:
            raise SystemExit(1)

    app.cli.add_command(group)
