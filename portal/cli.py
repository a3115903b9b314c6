"""Operator commands: `flask --app portal db upgrade | seed-demo | create-staff | translate`."""

from __future__ import annotations

import secrets

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from casework import migrate
from casework.errors import InvalidInput
from casework.models import Role
from casework.seed_demo import directory_is_empty, seed_demo
from casework.staff_accounts import create_staff
from portal.services import get_db
from portal.translate_command import translate

db_commands = AppGroup("db", help="Database schema migrations (Alembic).")


@db_commands.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (default: the newest)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database at {revision}.")


@db_commands.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database back to REVISION (`base` empties it)."""
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)


@db_commands.command("current")
def db_current() -> None:
    """Show the revision the database is at."""
    migrate.current(current_app.config["DATABASE_URL"])


@db_commands.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def db_revision(message: str) -> None:
    """Autogenerate a migration from the models (review it before committing)."""
    migrate.make_revision(current_app.config["DATABASE_URL"], message)


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when the directory has data.")
def seed_demo_command(if_empty: bool) -> None:
    """Fill an empty database with a demo directory and demo staff accounts."""
    db = get_db()
    if not directory_is_empty(db):
        if if_empty:
            click.echo("The directory already has data; not seeding.")
            return
        raise click.ClickException("The directory already has data; seed an empty database.")
    accounts = seed_demo(db)
    click.echo("Demo directory created. Demo staff accounts (shown once):")
    for account in accounts:
        name, role = account.username, f"{account.role} ({account.agency_code})"
        click.echo(f"  {name:<22} {account.password:<20} {role}")


@click.command("create-staff")
@with_appcontext
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="The person's full name.")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--agency", "agency_code", required=True, help="The agency's code, e.g. sassa.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    default="",
    help="Leave empty to generate one (printed once).",
)
def create_staff_command(
    username: str, display_name: str, role: str, agency_code: str, password: str
) -> None:
    """Create a staff account."""
    generated = not password
    password = password or secrets.token_urlsafe(12)
    try:
        user = create_staff(
            get_db(),
            username=username,
            password=password,
            display_name=display_name,
            role=role,
            agency_code=agency_code,
        )
    except InvalidInput as error:
        hint = f"--{error.field.replace('_', '-')}"
        raise click.BadParameter(str(error), param_hint=hint) from None
    click.echo(f"Created {user.username} ({role}, {agency_code}).")
    if generated:
        click.echo(f"Password (shown once): {password}")


def init_app(app: Flask) -> None:
    app.cli.add_command(db_commands)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_staff_command)
    app.cli.add_command(translate)
