"""``flask orders expire``: cancel unpaid orders past their time and release their stock.
``flask orders release-escrow``: sellers' shares become available for payout days after shipping.
``flask payments reconcile``: settle card payments whose webhook never came; report differences (the
orders domain runs it, as settling a payment changes its order)."""
import click
from flask import Flask
from flask.cli import AppGroup

from marketplace.orders.closing import expire_unpaid_orders
from marketplace.orders.fulfilment import release_due_parts
from marketplace.orders.settlement import reconcile as reconcile_payments


def register(app: Flask) -> None:
    group = AppGroup("orders", help="Order maintenance.")

    @group.command("expire")
    def expire() -> None:
        """Expire unpaid orders (safe to run on a schedule, and twice at once)."""
        click.echo(f"{expire_unpaid_orders()} order(s) expired.")

    @group.command("release-escrow")
    def release_escrow() -> None:
        """Make sellers' shares available for payout ESCROW_RELEASE_DAYS after shipping (safe to run twice)."""
        click.echo(f"{release_due_parts()} order part(s) released to their sellers.")

    app.cli.add_command(group)

    payments = AppGroup("payments", help="Payment maintenance.")

    @payments.command("reconcile")
    def reconcile() -> None:
        """Re-check pending Stripe payments and compare our records with Stripe."""
        result = reconcile_payments()
        for line in result.fixed:
            click.echo(f"fixed: {line}")
        for line in result.differences:
            click.echo(f"DIFFERENCE: {line}")
        click.echo(f"{len(result.fixed)} fixed, {len(result.differences)} difference(s).")
        if result.differences:
            raise SystemExit(1)

    app.cli.add_command(payments)
