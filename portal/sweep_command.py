"""`flask --app portal casework sweep`: the overdue sweep, for cron or by hand.

The relay runs the same sweep every SWEEP_EVERY_SECONDS; this command is for a
deployment that schedules it itself, or an operator who wants it now.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from casework.database import Database
from casework.sweep import sweep_overdue

commands = AppGroup("casework", help="Casework: scheduled jobs.")


@commands.command("sweep")
def sweep_command() -> None:
    """Escalate overdue grievances and tell citizens, once, that their case is late."""
    db: Database = current_app.extensions["casework.db"]
    result = sweep_overdue(db)
    click.echo(
        f"Escalated {result.escalated} overdue grievances."
        f" Told {result.told_delayed} citizens their case is delayed."
    )
    if result.failed:
        # A non-zero exit, so cron or a scheduler reports it.
        raise click.ClickException(
            f"{result.failed} cases could not be swept (see the log); the next sweep retries them."
        )


def init_app(app: Flask) -> None:
    app.cli.add_command(commands)
