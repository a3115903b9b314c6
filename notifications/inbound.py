"""Answering an inbound SMS: understand the keyword, make the change, queue the reply."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from casework.abuse_limits import AbuseLimits
from casework.citizens import citizen_language
from casework.database import Database
from casework.errors import InvalidInput
from casework.i18n import LANGUAGE_NAMES
from casework.phones import mask_phone, normalise_phone
from casework.references import format_reference
from casework.services.sms_requests import (
    acknowledged_recently,
    inbound_seen,
    own_case_status,
    receive_sms,
)
from notifications.keywords import Command, language_asked_for, understand

log = logging.getLogger(__name__)
ACKNOWLEDGE_AT_MOST_EVERY = dt.timedelta(hours=6)


def handle_inbound_sms(
    db: Database,
    *,
    gateway_id: str,
    sender: str,
    to: str,
    text: str,
    link_id: str | None,
    date: str | None,
    region: str,
    languages: list[str],
    limits: AbuseLimits | None = None,
) -> bool:
    """Keep the message and queue its reply; False for a message already handled.

    Past the sender's limit of replies (`limits`), the message is still kept and what it
    asked (STOP, LANG) still done, but nothing is sent back: each reply is an SMS we pay
    for, and a script texting STATUS in a loop must not run up the bill.
    """
    if inbound_seen(db, gateway_id):
        return False
    try:
        phone: str | None = normalise_phone(sender, region, mobile_only=False)
    except InvalidInput:
        phone = None  # a short code or a name: keep the message, reply to nobody
    command = understand(text)
    saved_language = citizen_language(db, phone) if phone else None
    language = _reply_language(command, saved_language, languages)
    template, params, consent, new_language = _answer(db, command, phone, languages)
    if template and phone and limits and limits.hit("sms_reply_per_phone", phone):
        template, params = None, {}
    if new_language:
        language = new_language
    handled = receive_sms(
        db,
        gateway_id=gateway_id,
        sender=phone,
        to=to,
        text=text,
        link_id=link_id,
        received_at=_parse_date(date),
        command=command.name,
        reply_template=template,
        reply_params=params,
        reply_language=language,
        consent=consent,
        language=new_language,
    )
    if handled:
        log.info("inbound SMS %s from %s: %s", gateway_id, mask_phone(phone), command.name)
    return handled


def _answer(
    db: Database, command: Command, phone: str | None, languages: list[str]
) -> tuple[str | None, dict[str, Any], bool | None, str | None]:
    """(reply template, its params, consent change, language change)."""
    if command.name == "status" and command.mistyped:
        return "reply_reference_mistyped", {}, None, None
    if command.name == "status":
        status = (
            own_case_status(db, command.reference, phone) if command.reference and phone else None
        )
        if status is None:
            return "reply_status_unknown", {}, None, None
        reference = format_reference(status.reference, status.kind)
        return (
            "reply_status",
            {"reference": reference, "status": status.status, "kind": status.kind},
            None,
            None,
        )
    if command.name == "help":
        return "reply_help", {}, None, None
    if command.name == "stop":
        return "reply_stopped", {}, False, None
    if command.name == "start":
        return "reply_started", {}, True, None
    if command.name == "lang":
        chosen = language_asked_for(command.argument, languages)
        if chosen is None:
            return "reply_language_unknown", {"languages": " ".join(languages)}, None, None
        return "reply_language", {"language": LANGUAGE_NAMES[chosen]}, None, chosen
    if phone and acknowledged_recently(db, phone, ACKNOWLEDGE_AT_MOST_EVERY):
        # Two auto-responders could otherwise text each other (and bill us) forever.
        return None, {}, None, None
    return "reply_received", {}, None, None


def _reply_language(command: Command, saved: str | None, languages: list[str]) -> str:
    if command.language in languages:
        return command.language  # type: ignore[return-value]
    if saved in languages:
        return saved  # type: ignore[return-value]
    return languages[0]


def _parse_date(value: str | None) -> dt.datetime | None:
    """Africa's Talking sends `2026-11-24 10:15:02` (UTC) or ISO 8601; anything else: now."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
        parsed = parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None
    return parsed if parsed.year >= 2000 else None
