"""``flask mentoring digest``: the weekly email of alerts to each mentor (run it weekly from cron)."""
import click
from flask import Flask
from flask.cli import AppGroup


def register(app: Flask) -> None:
    group = AppGroup("mentoring", help="Mentoring.")

    @group.command("digest")
    def digest() -> None:
        """Email each mentor the alerts of their mentees (mentors without alerts get nothing)."""
        from marketplace.mentoring.alerts import send_weekly_digests

        click.echo(f"{send_weekly_digests()} digest(s) sent.")

    app.cli.add_command(group)
