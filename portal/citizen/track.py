"""Track a case by its reference: with the phone it belongs to (proved by an SMS code),
or with the PIN of an anonymous complaint. Nothing here tells whether a reference exists.
"""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, ValidationError

from casework.case_queries import anonymous_case_id, timeline_by_id
from casework.errors import InvalidInput
from casework.phones import normalise_phone
from casework.references import format_reference, parse_reference
from casework.services.sign_in import send_sign_in_code
from portal.rate_limits import client_address, limited, redirected, typed_phone
from portal.services import get_db

blueprint = Blueprint("track", __name__)
PIN_VIEW_SECONDS = 15 * 60


class TrackForm(FlaskForm):
    reference = StringField(
        _l("Reference number"), validators=[InputRequired(_l("Enter your reference number"))]
    )
    phone = StringField(_l("Mobile number"))
    pin = StringField(_l("PIN"))

    def validate_reference(self, field: StringField) -> None:
        try:
            self.digits, _kind = parse_reference(field.data)
        except InvalidInput as error:
            raise ValidationError(_l(error.message)) from None

    def validate_phone(self, field: StringField) -> None:
        if not field.data and not self.pin.data:
            raise ValidationError(
                _l("Enter your mobile number, or the PIN of an anonymous complaint")
            )
        if field.data:
            try:
                self.e164 = normalise_phone(field.data, current_app.config["PORTAL_COUNTRY"])
            except InvalidInput as error:
                raise ValidationError(_l(error.message) % error.params) from None


def _by_pin() -> bool:
    """Whether this try opens an anonymous complaint by its PIN (else a code is sent),
    decided as `start` decides it."""
    return bool(request.form.get("pin")) and not request.form.get("phone")


def _typed_reference() -> str | None:
    try:
        return parse_reference(request.form.get("reference", ""))[0]
    except InvalidInput:
        return None  # sent back with an error, nothing checked


@blueprint.route("/track", methods=["GET", "POST"])
# With a phone number: an SMS code, counted with the sign-in's.
@limited(
    "sign_in_send_per_address",
    lambda: None if _by_pin() else client_address(),
    counts=redirected,
)
@limited("sign_in_send_per_phone", lambda: None if _by_pin() else typed_phone(), counts=redirected)
# With a PIN: every try counts, right or wrong, per address and per reference.
@limited("pin_check_per_address", lambda: client_address() if _by_pin() else None)
@limited("pin_check_per_reference", lambda: _typed_reference() if _by_pin() else None)
def start() -> ResponseReturnValue:
    form = TrackForm()
    if form.validate_on_submit():
        if form.pin.data and not form.phone.data:
            case_id = anonymous_case_id(get_db(), form.digits, form.pin.data.strip())
            if case_id is not None:
                # Only for a while: on a shared phone the next person must not find it open.
                session["pin_case"] = {"id": case_id, "until": time.time() + PIN_VIEW_SECONDS}
                return redirect(url_for("track.case"))
            form.pin.errors.append(_l("That reference and PIN do not match"))
        else:
            # The code goes out whether or not the case is this phone's; after signing in,
            # someone else's case looks exactly like no case at all.
            send_sign_in_code(get_db(), form.e164, str(get_locale()))
            session["sign_in_phone"] = form.e164
            return redirect(
                url_for("sign_in.code", next=url_for("account.case", reference=form.digits))
            )
    return render_template("track/start.html", form=form)


@blueprint.get("/track/case")
def case() -> ResponseReturnValue:
    opened = session.get("pin_case") or {}
    case_id = opened.get("id") if opened.get("until", 0) > time.time() else None
    found = timeline_by_id(get_db(), case_id, str(get_locale())) if case_id else None
    if found is None:
        abort(404)
    summary, events = found
    return render_template(
        "account/case.html",
        case=summary,
        events=events,
        reference=format_reference(summary.reference, summary.kind),
    )
