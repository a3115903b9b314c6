"""`POST /ussd`: Africa's Talking's USSD callback.

Always HTTP 200 with a `CON ` or `END ` body: on a 4xx or 5xx the gateway drops the
session and the citizen sees a network error instead of a message they can act on.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import RequestEntityTooLarge

from casework.database import DATABASE_UNAVAILABLE
from casework.errors import N_, InvalidInput
from casework.i18n import translations
from casework.phones import mask_phone, normalise_phone
from ussd.engine import BUSY, handle_hop
from ussd.screen_kit import Context, fit

log = logging.getLogger(__name__)
blueprint = Blueprint("ussd", __name__)

UNREADABLE = N_("Sorry, we could not read that. Please dial again.")
BAD_NUMBER = N_("Sorry, we could not read your number. Please dial again.")
FAILED = N_("Sorry, something went wrong. Please dial again.")
SESSION_ID_MAX = 128
TEXT_MAX = 2000  # every input of a session, joined; far past what a keypad session reaches


def _reply(body: str) -> ResponseReturnValue:
    return fit(body), 200, {"Content-Type": "text/plain; charset=utf-8"}


@lru_cache(maxsize=4096)
def _caller(raw_phone: str, country: str) -> str:
    # Every hop of a session sends the same number again; parsing it is a fair share of a
    # menu hop's time. (InvalidInput is raised again each time: lru_cache keeps no errors.)
    return normalise_phone(raw_phone, country, mobile_only=False)


def _clean(value: str) -> str:
    return "".join(ch for ch in value if ch >= " ")


@blueprint.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """A body past MAX_CONTENT_LENGTH, or multipart with too many or too big parts: no
    gateway sends one, but whoever did still gets a screen, not the citizen's HTML page."""
    sorry = translations(current_app.config["PORTAL_DEFAULT_LANGUAGE"]).gettext
    return _reply("END " + sorry(UNREADABLE))


@blueprint.post("/ussd")
def ussd_hop() -> ResponseReturnValue:
    config = current_app.config
    default = config["PORTAL_DEFAULT_LANGUAGE"]
    sorry = translations(default).gettext
    session_id = _clean(request.form.get("sessionId", "")).strip()
    raw_phone = _clean(request.form.get("phoneNumber", "")).strip()
    text = _clean(request.form.get("text", ""))
    if not session_id or len(session_id) > SESSION_ID_MAX or len(text) > TEXT_MAX:
        return _reply("END " + sorry(UNREADABLE))
    try:
        phone = _caller(raw_phone, config["PORTAL_COUNTRY"])
    except InvalidInput:
        return _reply("END " + sorry(BAD_NUMBER))
    ctx = Context(
        db=current_app.extensions["casework.db"],
        phone=phone,
        language=default,
        languages=tuple(config["PORTAL_LANGUAGES"]),
        country=config["PORTAL_COUNTRY"],
        ussd_code=config["USSD_CODE"],
        session_id=session_id,
        limits=current_app.extensions.get("abuse_limits"),
    )
    try:
        reply = handle_hop(ctx, current_app.extensions["ussd.store"], text)
    except DATABASE_UNAVAILABLE as error:
        # Nothing of this hop was kept: dialling again once the database is back offers
        # an unfinished form where it was left.
        log.warning(
            "USSD hop for %s: database unavailable (%s)",
            mask_phone(phone),
            type(error.orig).__name__,
        )
        reply = "END " + sorry(BUSY)
    except Exception:
        # Whatever broke, the citizen gets a screen, not a dropped session.
        log.exception("USSD hop failed for %s", mask_phone(phone))
        reply = "END " + sorry(FAILED)
    return _reply(reply)
