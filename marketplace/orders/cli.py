"""``flask orders expire``: cancel unpaid orders past their time and release their stock."""
import click
from flask import Flask
from flask.cli import AppGroup


def register(app: Flask) -> None:
    group = AppGroup("orders", help="Order maintenance.")

    @group.command("expire")
    def expire() -> None:
        """Expire unpaid orders (safe to run on a schedule, and twice at once)."""
        from marketplace.orders.services import expire_unpaid_orders

        click.echo(f"{expire_unpaid_orders()} order(s) expired.")

    app.cli.add_command(group)
