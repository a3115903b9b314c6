"""`flask --app portal directory export-hsds`: the service directory as Open Referral HSDS.

Writes every active service, compiled (organization, locations, schedules nested), as one
JSON list: for a directory aggregator that takes files rather than calling
`/open-referral/`, or to check an export by hand.
"""

from __future__ import annotations

import json
from typing import IO

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from casework import hsds_export
from portal.services import get_db

commands = AppGroup("directory", help="The service directory: exports for other systems.")


@commands.command("export-hsds")
@click.option("--language", help="The language of the text (default: the first one offered).")
@click.option(
    "--output",
    type=click.File("w", encoding="utf-8", lazy=True),
    default="-",
    help="The file to write (default: standard output).",
)
def export_hsds(language: str | None, output: IO[str]) -> None:
    """Write the directory's active services as HSDS 3.0 JSON."""
    offered = current_app.config["PORTAL_LANGUAGES"]
    language = language or offered[0]
    if language not in offered:
        raise click.BadParameter(f"choose one of {', '.join(offered)}", param_hint="--language")
    records = hsds_export.services(get_db(), language)
    json.dump(records, output, ensure_ascii=False, indent=2)
    output.write("\n")


def init_app(app: Flask) -> None:
    app.cli.add_command(commands)
