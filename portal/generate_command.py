"""`flask --app portal casework generate`: fill a database with realistic citizens and
cases, for benchmarks and for trying the staff console at full size. Never in production.
"""

from __future__ import annotations

import datetime as dt

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from casework.database import Database
from casework.generate_data import DirectoryMissing, generate
from portal.sweep_command import commands


@click.command("generate")
@with_appcontext
@click.option("--citizens", type=click.IntRange(min=0), default=1000, show_default=True)
@click.option("--cases", type=click.IntRange(min=0), default=3000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d"]),
    default=None,
    help="UTC moment the data ends at (default: the start of this hour).",
)
def generate_command(citizens: int, cases: int, seed: int, as_of: dt.datetime | None) -> None:
    """Add generated citizens and cases (with timelines) to the database.

    Needs the directory first (`flask --app portal seed-demo`). On PostgreSQL it writes
    with COPY, a million citizens and three million cases in minutes.
    """
    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException(
            "Refusing to generate data with PORTAL_ENV=production: it is for test databases."
        )
    db: Database = current_app.extensions["casework.db"]
    label = f"Generating {citizens:,} citizens and {cases:,} cases"
    with click.progressbar(length=citizens + cases, label=label, show_pos=True) as bar:
        try:
            result = generate(
                db,
                citizens=citizens,
                cases=cases,
                seed=seed,
                as_of=as_of.replace(tzinfo=dt.UTC) if as_of else None,
                progress=bar.update,
            )
        except (DirectoryMissing, ValueError) as error:
            raise click.ClickException(str(error)) from None
    click.echo(
        f"Added {result.citizens:,} citizens, {result.cases:,} cases and"
        f" {result.events:,} timeline events in {result.seconds:.0f} s"
        f" ({result.rows_per_second:,.0f} rows/s)."
    )


def init_app(app: Flask) -> None:
    # In the `casework` group, beside `sweep` and `retention`.
    commands.add_command(generate_command)
