"""Citizens sign in with their phone number and a 6-digit code sent to it by SMS."""

from __future__ import annotations

import secrets

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, ValidationError

from casework.errors import InvalidInput
from casework.phones import mask_phone, normalise_phone
from casework.services.sign_in import check_sign_in_code, send_sign_in_code
from portal.page_helpers import safe_next
from portal.rate_limits import client_address, limited, redirected, typed_phone
from portal.services import get_db

blueprint = Blueprint("sign_in", __name__)
DRAFTS = ("complaint_draft", "application_draft")


class PhoneForm(FlaskForm):
    phone = StringField(
        _l("Mobile number"), validators=[InputRequired(_l("Enter your mobile number"))]
    )

    def validate_phone(self, field: StringField) -> None:
        try:
            self.e164 = normalise_phone(field.data, current_app.config["PORTAL_COUNTRY"])
        except InvalidInput as error:
            raise ValidationError(_l(error.message) % error.params) from None


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from the SMS"), validators=[InputRequired(_l("Enter the code from the SMS"))]
    )


@blueprint.route("/sign-in", methods=["GET", "POST"])
@limited("sign_in_send_per_address", client_address, counts=redirected)
@limited("sign_in_send_per_phone", typed_phone, counts=redirected)
def start() -> ResponseReturnValue:
    form = PhoneForm()
    next_page = safe_next(request.args.get("next"), url_for("account.cases"))
    if form.validate_on_submit():
        language = str(get_locale())
        # Same answer whether a code was sent or this phone has had too many lately.
        send_sign_in_code(get_db(), form.e164, language)
        session["sign_in_phone"] = form.e164
        return redirect(url_for("sign_in.code", next=next_page))
    return render_template("account/sign_in.html", form=form)


@blueprint.route("/sign-in/code", methods=["GET", "POST"])
@limited("sign_in_check_per_address", client_address)
@limited("sign_in_check_per_phone", lambda: session.get("sign_in_phone"))
def code() -> ResponseReturnValue:
    phone = session.get("sign_in_phone")
    next_page = safe_next(request.args.get("next"), url_for("account.cases"))
    if not phone:
        return redirect(url_for("sign_in.start", next=next_page))
    form = CodeForm()
    if form.validate_on_submit():
        citizen = check_sign_in_code(
            get_db(),
            phone,
            form.code.data or "",
            language=str(get_locale()),
            country=current_app.config["PORTAL_COUNTRY"],
        )
        if citizen is not None:
            # A new session at sign-in: nothing from before (a shared phone's last user,
            # a planted cookie) carries over, except the form the citizen is half-way
            # through (signing in is a step of sending it).
            drafts = {key: session[key] for key in DRAFTS if key in session}
            session.clear()
            session.update(
                citizen_id=citizen.id,
                phone=citizen.phone,
                language=citizen.language,
                sid=secrets.token_hex(8),
                **drafts,
            )
            return redirect(next_page)
        form.code.errors.append(
            _l("That code is wrong or has expired. Check the SMS, or ask for a new code.")
        )
    return render_template(
        "account/sign_in_code.html", form=form, masked=mask_phone(phone), next_page=next_page
    )
