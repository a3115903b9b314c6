"""Make a complaint on the web: what about, where, what happened, anonymous or not;
check the answers; send; the reference (and PIN) on screen and by SMS."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from casework.directory import districts, offices_in_district
from casework.errors import InvalidInput
from casework.grievance_categories import BY_CODE, CATEGORIES
from casework.phones import normalise_phone
from casework.references import format_reference
from casework.services import lodge_grievance
from portal.page_helpers import clean_text
from portal.rate_limits import client_address, limited, sent
from portal.services import get_db

blueprint = Blueprint("complaint", __name__)

DESCRIPTION_MAX = 2000
DRAFT_TTL = 2 * 3600  # long enough to fetch a document or ask someone for help


class ComplaintForm(FlaskForm):
    category = RadioField(
        _l("What is your complaint about?"),
        validators=[InputRequired(_l("Choose what your complaint is about"))],
    )
    place = SelectField(
        _l("Where did it happen?"), validators=[InputRequired(_l("Choose where it happened"))]
    )
    description = TextAreaField(
        _l("What happened?"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Describe what happened")),
            Length(
                max=DESCRIPTION_MAX,
                message=_l("Use %(max)d characters or fewer", max=DESCRIPTION_MAX),
            ),
        ],
    )
    anonymous = RadioField(
        _l("Do you want to give your mobile number?"),
        choices=[
            SelectChoice("no", _l("Yes, so you can update me")),
            SelectChoice("yes", _l("No, stay anonymous: I get a reference and a PIN")),
        ],
        validators=[InputRequired(_l("Choose whether to give your number"))],
    )
    sms_to = StringField(
        _l("Mobile number for the SMS with your reference and PIN (optional)"),
        validators=[Optional()],
    )

    def validate_sms_to(self, field: StringField) -> None:
        if field.data and self.anonymous.data == "yes":
            try:
                field.data = normalise_phone(field.data, current_app.config["PORTAL_COUNTRY"])
            except InvalidInput as error:
                raise ValidationError(_l(error.message) % error.params) from None


def place_choices() -> list[SelectChoice]:
    """Every district, and each office in it: `district:<name>` or `office:<id>`."""
    db = get_db()
    places = []
    for district in districts(db):
        places.append(
            SelectChoice(
                f"district:{district}",
                _l("Somewhere in %(place)s", place=district),
                optgroup=district,
            )
        )
        places += [
            SelectChoice(f"office:{o.id}", o.name, optgroup=district)
            for o in offices_in_district(db, district)
        ]
    return places


def where(place: str) -> dict[str, Any]:
    """A place choice as lodge_grievance takes it."""
    kind, _, value = place.partition(":")
    if kind == "office" and value.isdigit():
        return {"office_id": int(value), "district": None}
    return {"office_id": None, "district": value}


def _form() -> ComplaintForm:
    form = ComplaintForm()
    form.category.choices = [SelectChoice(c.code, _l(c.label)) for c in CATEGORIES]
    form.place.choices = place_choices()
    return form


def _drafts() -> Any:
    return current_app.extensions["drafts"]


def _draft() -> dict[str, Any] | None:
    token = session.get("complaint_draft")
    return _drafts().get("complaint:" + token) if token else None


@blueprint.route("/complaint", methods=["GET", "POST"])
def start() -> ResponseReturnValue:
    form = _form()
    draft = _draft()
    if draft and not form.is_submitted():
        form.process(data=draft)
    if form.validate_on_submit():
        # Kept on the server, not in the cookie: 2,000 characters would not fit there.
        token = session.get("complaint_draft") or secrets.token_hex(12)
        data = {
            field: getattr(form, field).data
            for field in ("category", "place", "description", "anonymous", "sms_to")
        }
        _drafts().put("complaint:" + token, data, DRAFT_TTL)
        session["complaint_draft"] = token
        return redirect(url_for("complaint.check"))
    return render_template("complaint/start.html", form=form)


class SendForm(FlaskForm):
    pass


def _sender_phone() -> str | None:
    """The number the complaint is sent from, or (anonymous) its SMS goes to, if any."""
    draft = _draft()
    if draft is None:
        return None
    return (draft.get("sms_to") or None) if draft["anonymous"] == "yes" else session.get("phone")


@blueprint.route("/complaint/check", methods=["GET", "POST"])
@limited("submission_per_address", client_address, counts=sent)
@limited("submission_per_phone", _sender_phone, counts=sent)
def check() -> ResponseReturnValue:
    draft = _draft()
    if draft is None:
        return redirect(url_for("complaint.start"))
    form = SendForm()
    anonymous = draft["anonymous"] == "yes"
    if form.validate_on_submit():
        if not anonymous and "citizen_id" not in session:
            return redirect(url_for("sign_in.start", next=url_for("complaint.check")))
        lodged = lodge_grievance(
            get_db(),
            # Anonymous: the number (if any) only receives the reference and PIN.
            phone=(draft.get("sms_to") or None) if anonymous else session["phone"],
            category=draft["category"],
            description=draft["description"],
            channel="web",
            language=str(get_locale()),
            country=current_app.config["PORTAL_COUNTRY"],
            **where(draft["place"]),
            anonymous=anonymous,
            idempotency_key="web:" + session["complaint_draft"],
            holidays=current_app.config["PUBLIC_HOLIDAYS"],
            # The check page says that sending accepts the privacy notice.
            privacy_consent=True,
        )
        _drafts().delete("complaint:" + session.pop("complaint_draft"))
        session["complaint_sent"] = {
            "reference": format_reference(lodged.grievance.reference, "grievance"),
            "pin": lodged.pin,
        }
        return redirect(url_for("complaint.sent"))
    place = _place_name(draft["place"])
    return render_template(
        "complaint/check.html",
        form=form,
        draft=draft,
        place=place,
        category=_l(BY_CODE[draft["category"]].label),
        anonymous=anonymous,
    )


@blueprint.get("/complaint/sent")
def sent() -> ResponseReturnValue:
    # Shown once: the PIN must not sit on a shared phone's screen for the next person.
    done = session.pop("complaint_sent", None)
    if done is None:
        return redirect(url_for("citizen.home"))
    return render_template("complaint/sent.html", done=done)


def _place_name(place: str) -> str:
    kind, _, value = place.partition(":")
    if kind == "district":
        return value
    for district in districts(get_db()):
        for office in offices_in_district(get_db(), district):
            if str(office.id) == value:
                return office.name
    return value
