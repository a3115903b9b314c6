"""The assisted channel: an officer records a complaint or an application for a citizen who
walked in or phoned. The citizen gets the same SMS as if they had done it themselves; the
timeline names the officer who took it down."""

from __future__ import annotations

import dataclasses
import secrets
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from casework import documents
from casework.actors import Actor
from casework.directory import list_services, service_detail
from casework.errors import InvalidInput, NotPermitted
from casework.grievance_categories import CATEGORIES
from casework.phones import normalise_phone
from casework.references import format_reference
from casework.services import lodge_grievance, submit_application
from casework.staff_case_view import visible_to
from portal.citizen.application_form import PREFIX, form_for, to_answer, web_questions
from portal.citizen.complaint import DESCRIPTION_MAX, place_choices, where
from portal.page_helpers import clean_text, language_choices
from portal.services import get_db
from portal.staff.auth import staff_required

blueprint = Blueprint("staff_assisted", __name__, url_prefix="/staff/record")
ASSISTED = "assisted"


class CitizenFields(FlaskForm):
    """Who the officer is helping. The key makes a double-clicked Save record one case."""

    key = HiddenField()
    phone = StringField(
        _l("Citizen's mobile number"),
        filters=[clean_text],
        render_kw={"inputmode": "tel", "autocomplete": "off"},
    )
    name = StringField(
        _l("Citizen's name (optional)"), filters=[clean_text], validators=[Optional()]
    )
    language = SelectField(_l("Language for their SMS"))

    def validate_phone(self, field: StringField) -> None:
        if field.data:
            try:
                field.data = normalise_phone(field.data, current_app.config["PORTAL_COUNTRY"])
            except InvalidInput as error:
                raise ValidationError(_l(error.message) % error.params) from None
        elif not getattr(getattr(self, "anonymous", None), "data", False):
            raise ValidationError(_l("Enter the citizen's mobile number"))

    def prepare(self) -> None:
        self.language.choices = [SelectChoice(c, n) for c, n in language_choices()]
        if not self.key.data:
            self.key.data = secrets.token_hex(12)


class AssistedGrievanceForm(CitizenFields):
    category = SelectField(
        _l("What is the complaint about?"),
        validators=[InputRequired(_l("Choose what the complaint is about"))],
    )
    place = SelectField(
        _l("Where did it happen?"), validators=[InputRequired(_l("Choose where it happened"))]
    )
    description = TextAreaField(
        _l("What happened, in the citizen's words"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Describe what happened")),
            Length(max=DESCRIPTION_MAX, message=_l("Use %(max)d characters or fewer")),
        ],
        render_kw={"rows": 6, "maxlength": DESCRIPTION_MAX},
    )
    anonymous = BooleanField(_l("The citizen wants to stay anonymous (reference and PIN only)"))


def _actor() -> Actor:
    return dataclasses.replace(current_user.actor, channel=ASSISTED)


def _show_error(form: FlaskForm, error: InvalidInput, fallback: Any) -> None:
    name = {"office": "place", "district": "place"}.get(error.field, error.field)
    field = getattr(form, name, None) or getattr(form, PREFIX + name, fallback)
    field.errors = [*field.errors, _l(error.message) % error.params]


@blueprint.route("/grievance", methods=["GET", "POST"])
@staff_required()
def grievance() -> ResponseReturnValue:
    form = AssistedGrievanceForm()
    form.prepare()
    form.category.choices = [SelectChoice(c.code, _l(c.label)) for c in CATEGORIES]
    form.place.choices = place_choices()
    if form.validate_on_submit():
        anonymous = bool(form.anonymous.data)
        try:
            lodged = lodge_grievance(
                get_db(),
                phone=form.phone.data or None,
                category=form.category.data or "",
                description=form.description.data or "",
                channel=ASSISTED,
                language=form.language.data or "en",
                country=current_app.config["PORTAL_COUNTRY"],
                anonymous=anonymous,
                name=None if anonymous else form.name.data or None,
                idempotency_key=f"{ASSISTED}:{current_user.id}:{form.key.data}",
                holidays=current_app.config["PUBLIC_HOLIDAYS"],
                recorded_by=_actor(),
                **where(form.place.data or ""),
            )
        except InvalidInput as error:
            _show_error(form, error, form.phone)
        else:
            reference = lodged.grievance.reference
            return _recorded(reference, "grievance", lodged.pin)
    return render_template("staff/record_grievance.html", form=form)


@blueprint.get("/application")
@staff_required()
def choose_service() -> ResponseReturnValue:
    # Every service, including those only offered at an office ("assisted" only).
    return render_template("staff/record_services.html", services=list_services(get_db(), "en"))


@blueprint.route("/application/<code>", methods=["GET", "POST"])
@staff_required()
def application(code: str) -> ResponseReturnValue:
    found = next((s for s in list_services(get_db(), "en") if s.code == code), None)
    service = service_detail(get_db(), found.id, "en") if found else None
    if service is None:
        abort(404)
    country = current_app.config["PORTAL_COUNTRY"]
    form = form_for(service.application_fields, "en", country, ASSISTED, CitizenFields)()
    form.prepare()
    questions = web_questions(service.application_fields, ASSISTED)
    if form.validate_on_submit():
        recorded = _submit(form, service, questions)
        if recorded:
            return recorded
    fields = [getattr(form, PREFIX + q["name"]) for q in questions]
    return render_template(
        "staff/record_application.html",
        form=form,
        service=service,
        fields=fields,
        max_size=documents.describe_size(current_app.config["DOCUMENT_MAX_BYTES"]),
    )


def _submit(form: Any, service: Any, questions: list[dict[str, Any]]) -> ResponseReturnValue:
    """Store the scanned documents, then the application; None (with the form's errors set)
    when something was wrong."""
    uploads = [u for u in form.documents.data or () if u and u.filename]
    directory = Path(current_app.config["DOCUMENTS_DIR"])
    try:
        stored = [
            file.as_dict()
            for file in documents.store_all(
                directory,
                [(upload.stream, upload.filename) for upload in uploads],
                max_bytes=current_app.config["DOCUMENT_MAX_BYTES"],
            )
        ]
    except InvalidInput as error:
        form.documents.errors = [_l(error.message) % error.params]
        return None
    finally:
        for upload in uploads:
            upload.close()
    answers = {
        q["name"]: to_answer(q, getattr(form, PREFIX + q["name"]).data)
        for q in questions
        if getattr(form, PREFIX + q["name"]).data not in (None, "")
    }
    try:
        application = submit_application(
            get_db(),
            phone=form.phone.data,
            service_id=service.summary.id,
            answers=answers,
            channel=ASSISTED,
            language=form.language.data or "en",
            name=form.name.data or None,
            idempotency_key=f"{ASSISTED}:{current_user.id}:{form.key.data}",
            documents=stored,
            recorded_by=_actor(),
        )
    except InvalidInput as error:
        # The form comes back and the scans are chosen again: these would belong to nobody.
        documents.discard(directory, stored)
        _show_error(form, error, form.phone)
        return None
    except NotPermitted as error:
        documents.discard(directory, stored)
        form.phone.errors = [_l(error.message)]
        return None
    return _recorded(application.reference, "application", None)


def _recorded(reference: str, kind: str, pin: str | None) -> ResponseReturnValue:
    # Shown once, like the citizen's own confirmation: a PIN must not linger on a screen.
    session["assisted_recorded"] = {"reference": reference, "kind": kind, "pin": pin}
    return redirect(url_for("staff_assisted.recorded"))


@blueprint.get("/done")
@staff_required()
def recorded() -> ResponseReturnValue:
    done = session.pop("assisted_recorded", None)
    if done is None:
        return redirect(url_for("staff.home"))
    return render_template(
        "staff/recorded.html",
        done=done,
        formatted=format_reference(done["reference"], done["kind"]),
        # The intake agency may not be the officer's own: link only to what they can open.
        can_open=visible_to(get_db(), current_user.actor, done["reference"]),
    )
