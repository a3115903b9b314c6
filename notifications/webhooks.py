"""Africa's Talking calls these: delivery reports and inbound SMS.

A webhook always gets an answer: 200 for anything well-formed (including a report for a
message we don't know, or a retry of one we handled), 400 saying what is missing
otherwise, never a 500 that would make the gateway retry forever; 503 only while the
database is down, so that the gateway does retry.
"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import RequestEntityTooLarge

from casework import outbox
from casework.database import DATABASE_UNAVAILABLE, Database
from notifications.inbound import handle_inbound_sms

log = logging.getLogger(__name__)
blueprint = Blueprint("sms", __name__, url_prefix="/sms")

FIELD_MAX = 64
TEXT_PLAIN = "text/plain; charset=utf-8"
TEXT_MAX = 2000


def _db() -> Database:
    return current_app.extensions["casework.db"]


def _text(body: str, status: int = 200) -> ResponseReturnValue:
    return body, status, {"Content-Type": TEXT_PLAIN}


def _field(name: str, limit: int = FIELD_MAX) -> str:
    """A form field without NUL and other control characters (PostgreSQL refuses NUL, and
    nothing legitimate sends the others), keeping line breaks; cut to `limit`."""
    value = request.form.get(name, "")
    return "".join(ch for ch in value if ch >= " " or ch == "\n").strip()[:limit]


def database_unavailable(error: Exception) -> ResponseReturnValue:
    """Africa's Talking posts a callback again when it gets no 200 (its staff: for about
    ten minutes), so a 503 while the database restarts loses no report or message."""
    log.warning("SMS callback refused: database unavailable")
    return "Unavailable, try again", 503, {"Content-Type": TEXT_PLAIN, "Retry-After": "30"}


for _error_class in DATABASE_UNAVAILABLE:
    blueprint.register_error_handler(_error_class, database_unavailable)


@blueprint.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """A body past MAX_CONTENT_LENGTH, or multipart with too many or too big parts: a
    malformed callback like any other (400, plain text), not the citizen's upload page."""
    return _text("Request too large", 400)


@blueprint.post("/delivery-reports")
def delivery_report() -> ResponseReturnValue:
    message_id = _field("id", FIELD_MAX + 1)
    status = _field("status")
    if not message_id or len(message_id) > FIELD_MAX:
        return _text("Missing or malformed field: id", 400)
    if status not in outbox.REPORT_STATUSES:
        return _text(f"Field status must be one of {', '.join(outbox.REPORT_STATUSES)}", 400)
    reason = _field("failureReason", 200) or None
    known = outbox.record_delivery_report(_db(), message_id, status, reason)
    if not known:
        log.warning("delivery report for unknown message id %s (%s)", message_id, status)
    return _text("OK")


@blueprint.post("/inbound")
def inbound_sms() -> ResponseReturnValue:
    gateway_id = _field("id", FIELD_MAX + 1)
    sender = _field("from", FIELD_MAX + 1)
    if not gateway_id or len(gateway_id) > FIELD_MAX:
        return _text("Missing or malformed field: id", 400)
    if not sender or len(sender) > FIELD_MAX:
        return _text("Missing or malformed field: from", 400)
    handle_inbound_sms(
        _db(),
        gateway_id=gateway_id,
        sender=sender,
        to=_field("to", 32),
        text=_field("text", TEXT_MAX),
        link_id=_field("linkId") or None,
        date=_field("date"),
        region=current_app.config["PORTAL_COUNTRY"],
        languages=current_app.config["PORTAL_LANGUAGES"],
        limits=current_app.extensions.get("abuse_limits"),
    )
    return _text("OK")
