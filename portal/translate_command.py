"""`flask --app portal translate update | compile | init LANG`: the gettext catalogs.

One set of catalogs serves the web pages, the USSD screens and the SMS. `update` extracts
every marked message (Python with N_/_/_l, Jinja templates) into translations/messages.pot
and merges it into each language's messages.po; `compile` writes the messages.mo files the
app reads, which are committed so that every checkout and every installed copy has them
(tests/test_translations.py fails if one is out of date). TRANSLATING.md has the workflow.
"""

from __future__ import annotations

import click
from babel.messages.frontend import CommandLineInterface
from flask.cli import AppGroup

from casework.i18n import TRANSLATIONS_DIR

ROOT = TRANSLATIONS_DIR.parent
POT = TRANSLATIONS_DIR / "messages.pot"
SOURCES = ("casework", "notifications", "portal", "ussd")

translate = AppGroup("translate", help="Extract, update and compile the message catalogs.")


def _pybabel(*args: str, quiet: bool = True) -> None:
    CommandLineInterface().run(["pybabel", *(["--quiet"] if quiet else []), *args])


def extract() -> None:
    """Every marked message in the code and templates into messages.pot."""
    _pybabel(
        "extract",
        "--mapping-file",
        str(ROOT / "babel.cfg"),
        "--keywords",
        "N_ _l",
        "--no-location",
        "--sort-output",
        "--project",
        "Thusa",
        "--version",
        "0.1",
        "--output-file",
        str(POT),
        *(str(ROOT / source) for source in SOURCES),
    )


@translate.command("update")
def update() -> None:
    """Extract the messages, then merge them into every language's catalog.

    A changed English message becomes a fuzzy entry: the tests fail until a translator
    has checked it and removed the flag.
    """
    extract()
    _pybabel("update", "--input-file", str(POT), "--output-dir", str(TRANSLATIONS_DIR))
    click.echo(f"Updated the catalogs in {TRANSLATIONS_DIR}. Translate, then run compile.")


@translate.command("compile")
def compile_catalogs() -> None:
    """Write each messages.mo from its messages.po (fuzzy entries are left out)."""
    _pybabel("compile", "--directory", str(TRANSLATIONS_DIR), "--statistics", quiet=False)


@translate.command("init")
@click.argument("language")
def init(language: str) -> None:
    """Start a catalog for LANGUAGE (a code such as `tn`), from messages.pot."""
    _pybabel(
        "init",
        "--input-file",
        str(POT),
        "--output-dir",
        str(TRANSLATIONS_DIR),
        "--locale",
        language,
    )
    click.echo(f"Created {TRANSLATIONS_DIR / language}. Add it to PORTAL_LANGUAGES when done.")
