"""`flask --app portal casework retention`: take the personal data out of old closed cases.

The relay does the same once a day; this is for a deployment that schedules it itself, an
operator who wants it now, or a dry run to see what it would do.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from casework.database import Database
from casework.retention import anonymise_old_cases
from portal.sweep_command import commands


@click.command("retention")
@with_appcontext
@click.option(
    "--older-than-days",
    type=click.IntRange(min=1),
    default=None,
    help="Cases closed more than this many days ago (default: RETENTION_DAYS, 1825).",
)
@click.option("--dry-run", is_flag=True, help="Count what would be anonymised; change nothing.")
def retention_command(older_than_days: int | None, dry_run: bool) -> None:
    """Anonymise closed cases older than the retention age, keeping their statistics."""
    days = older_than_days or float(current_app.config["RETENTION_DAYS"])
    db: Database = current_app.extensions["casework.db"]
    result = anonymise_old_cases(
        db,
        older_than=dt.timedelta(days=days),
        documents_dir=Path(current_app.config["DOCUMENTS_DIR"]),
        dry_run=dry_run,
    )
    verb = "Would anonymise" if dry_run else "Anonymised"
    click.echo(
        f"{verb} {result.cases} cases closed more than {days:g} days ago,"
        f" {result.citizens} citizens and {result.documents} documents."
    )


def init_app(app: Flask) -> None:
    # Beside `sweep` in the `casework` group, which portal.sweep_command adds to the app.
    commands.add_command(retention_command)
