"""`flask --app portal casework refresh-dashboards`: count the staff dashboards again.

For a scheduler (cron, or the relay's periodic jobs) running more often than the kept
figures' age limit, so no officer waits for a dashboard to be counted.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from casework.dashboard_snapshots import refresh_dashboards
from casework.database import Database
from portal.sweep_command import commands


@click.command("refresh-dashboards")
@with_appcontext
def refresh_dashboards_command() -> None:
    """Count again the dashboard of every scope staff have opened."""
    db: Database = current_app.extensions["casework.db"]
    click.echo(f"Dashboards counted again: {refresh_dashboards(db)}.")


def init_app(app: Flask) -> None:
    commands.add_command(refresh_dashboards_command)
