"""`flask --app portal ussd dial`: a phone in the terminal, for demos and manual tests.

It speaks the Africa's Talking protocol to the app's own `/ussd`, so what you see is what
a handset would show.
"""

from __future__ import annotations

import secrets

import click
from flask import current_app
from flask.cli import AppGroup

from casework.errors import InvalidInput
from casework.phones import normalise_phone
from casework.services.citizen_preferences import choose_language

commands = AppGroup("ussd", help="The USSD channel.")


@commands.command("dial")
@click.option("--phone", default="+27820000001", show_default=True, help="The caller's number.")
@click.option("--lang", default=None, help="Save this language for the number first (e.g. zu).")
def dial_command(phone: str, lang: str | None) -> None:
    """Dial the USSD menu and answer each screen at the prompt. Ctrl-C hangs up."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        phone = normalise_phone(phone, app.config["PORTAL_COUNTRY"], mobile_only=False)
        if lang:
            choose_language(app.extensions["casework.db"], phone, lang, "ussd")
    except InvalidInput as error:
        raise click.BadParameter(
            str(error), param_hint=f"--{error.field}".replace("--language", "--lang")
        ) from None
    client = app.test_client()
    session_id = "dial-" + secrets.token_hex(6)
    token = app.config.get("AT_CALLBACK_TOKEN")
    path = f"/ussd?token={token}" if token else "/ussd"
    inputs: list[str] = []
    while True:
        response = client.post(
            path,
            data={
                "sessionId": session_id,
                "serviceCode": app.config["USSD_CODE"],
                "phoneNumber": phone,
                "networkCode": "65501",
                "text": "*".join(inputs),
            },
        )
        reply = response.get_data(as_text=True)
        click.echo("-" * 30)
        click.echo(reply[4:])
        click.echo("-" * 30 + f" ({len(reply)} characters)")
        if not reply.startswith("CON "):
            return
        try:
            inputs.append(click.prompt(">", default="", show_default=False))
        except (click.Abort, EOFError):
            click.echo("\nHung up.")
            return
