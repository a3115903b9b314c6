"""`flask --app portal api-keys create|list|revoke`: keys for agencies' systems.

Issued by an operator on the server, not through the web: a key acts for a whole agency,
so making one is a deliberate act with its own audit row.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from casework.actors import Actor
from casework.api_keys import issue_key, list_keys, revoke_key
from casework.database import Database
from casework.errors import InvalidInput, NotFound
from casework.models import Role

commands = AppGroup("api-keys", help="Keys agencies' systems use for /api/v1 and Open311.")


def _db() -> Database:
    return current_app.extensions["casework.db"]


@commands.command("create")
@click.option("--agency", "agency_code", required=True, help="The agency's code, e.g. sassa.")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--name", required=True, help="The system the key is for.")
def create_command(agency_code: str, role: str, name: str) -> None:
    """Issue a key; it is printed once and cannot be shown again."""
    try:
        issued = issue_key(_db(), Actor.system(), agency_code=agency_code, role=role, name=name)
    except InvalidInput as error:
        raise click.BadParameter(str(error), param_hint=f"--{error.field}") from None
    click.echo(f"Key {issued.prefix} for {agency_code} ({role}). Shown once:")
    click.echo(issued.key)


@commands.command("list")
def list_command() -> None:
    """Every key: prefix, agency, role, name, last use, revoked."""
    for key in list_keys(_db()):
        used = key.last_used_at.isoformat(timespec="minutes") if key.last_used_at else "never"
        state = "revoked" if key.revoked_at else "active"
        click.echo(
            f"{key.prefix}  {key.agency.code:<12} {key.role:<15} {state:<8} {used}  {key.name}"
        )


@commands.command("revoke")
@click.argument("prefix")
def revoke_command(prefix: str) -> None:
    """Stop a key working at once."""
    try:
        revoke_key(_db(), Actor.system(), prefix)
    except NotFound as error:
        raise click.BadParameter(str(error), param_hint="PREFIX") from None
    click.echo(f"Key {prefix} revoked.")


def init_app(app: Flask) -> None:
    app.cli.add_command(commands)
