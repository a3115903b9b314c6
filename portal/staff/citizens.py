"""One citizen, everything about them in the viewer's scope: found by mobile number or
from a case page. Out of scope is a 404, like a citizen who does not exist."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from casework.citizen_record import SentMessage, citizen_record, findable_citizen
from casework.errors import InvalidInput
from casework.i18n import LANGUAGE_NAMES
from casework.phones import normalise_phone
from notifications.templates import TEMPLATES
from notifications.templates import render as render_sms
from portal.services import get_db
from portal.staff.auth import staff_required

blueprint = Blueprint("staff_citizens", __name__, url_prefix="/staff/citizens")
HIDDEN = "****"


@blueprint.get("")
@staff_required()
def find() -> ResponseReturnValue:
    typed = (request.args.get("phone") or "").strip()[:40]
    problem = None
    if typed:
        try:
            phone = normalise_phone(typed, current_app.config["PORTAL_COUNTRY"], mobile_only=False)
        except InvalidInput:
            problem = "Enter a mobile number, like 071 234 5678"
        else:
            citizen_id = findable_citizen(get_db(), current_user.actor, phone)
            if citizen_id is not None:
                return redirect(url_for("staff_citizens.record", citizen_id=citizen_id))
            problem = "No citizen with that number among the cases you can see"
    return render_template("staff/find_citizen.html", typed=typed, problem=problem)


@blueprint.get("/<int:citizen_id>")
@staff_required()
def record(citizen_id: int) -> ResponseReturnValue:
    found = citizen_record(get_db(), current_user.actor, citizen_id)
    if found is None:
        abort(404)
    return render_template(
        "staff/citizen.html",
        record=found,
        sent=[_as_sent(m) for m in found.sent],
        language_names=LANGUAGE_NAMES,
    )


def _as_sent(message: SentMessage) -> dict[str, Any]:
    """The SMS as the citizen read it, with codes and PINs (dropped once sent) masked."""
    template = TEMPLATES.get(message.template)
    text = message.template
    if template is not None:
        params = {**dict.fromkeys(template.secret_params, HIDDEN), **message.params}
        try:
            text = render_sms(message.template, message.language, params)
        except (KeyError, TypeError, ValueError):
            text = message.template  # an old row whose parameters changed shape
    return {"message": message, "text": text}
