"""``flask jobs close-expired`` (daily) and ``flask jobs digest`` (weekly)."""
import click
from flask import Flask
from flask.cli import AppGroup


def register(app: Flask) -> None:
    group = AppGroup("jobs", help="Job board maintenance.")

    @group.command("close-expired")
    def close_expired() -> None:
        """Close open vacancies past their closing date (safe to run on a schedule, and twice)."""
        from marketplace.jobs.vacancies import close_expired as close

        click.echo(f"{close()} vacancy(ies) closed.")

    @group.command("digest")
    def digest() -> None:
        """Email graduates the week's new vacancies that match them (weekly; running it twice sends nothing new)."""
        from marketplace.jobs.digest import send_weekly_digest

        click.echo(f"{send_weekly_digest()} digest email(s) sent.")

    app.cli.add_command(group)
