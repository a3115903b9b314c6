"""A signed-in citizen's own pages: their cases with timelines, their details, sign out."""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired

from casework.actors import Actor
from casework.case_queries import cases_for_phone, own_timeline
from casework.citizens import sms_wanted
from casework.errors import InvalidInput
from casework.references import parse_reference
from casework.services.citizen_preferences import choose_language, set_sms_consent
from casework.services.more_information import answer_information_request
from portal.page_helpers import clean_text, language_choices
from portal.services import get_db

blueprint = Blueprint("account", __name__)


def citizen_required(view: Any) -> Any:
    """Send a visitor who is not signed in to sign in, and back here afterwards."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if "citizen_id" not in session:
            return redirect(url_for("sign_in.start", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


@blueprint.get("/my-cases")
@citizen_required
def cases() -> ResponseReturnValue:
    found = cases_for_phone(get_db(), session["phone"], str(get_locale()))
    return render_template("account/cases.html", cases=found)


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        _l("Your answer"),
        filters=[clean_text],
        validators=[InputRequired(_l("Write your answer"))],
        render_kw={"rows": 5, "maxlength": 2000},
    )


@blueprint.route("/my-cases/<reference>", methods=["GET", "POST"])
@citizen_required
def case(reference: str) -> ResponseReturnValue:
    try:
        digits, _kind = parse_reference(reference)
    except InvalidInput:
        abort(404)
    found = own_timeline(get_db(), session["phone"], digits, str(get_locale()))
    if found is None:
        abort(404)  # someone else's looks exactly like none at all
    summary, events = found
    form = AnswerForm() if summary.status == "more_info_needed" else None
    if form is not None and form.validate_on_submit():
        try:
            answer_information_request(
                get_db(),
                summary.id,
                Actor.citizen(session["citizen_id"], "web"),
                form.answer.data or "",
            )
        except InvalidInput as error:
            form.answer.errors = [*form.answer.errors, str(error)]
        else:
            return redirect(url_for("account.case", reference=reference, answered=1))
    return render_template(
        "account/case.html",
        case=summary,
        events=events,
        form=form,
        answered=request.args.get("answered"),
    )


class DetailsForm(FlaskForm):
    language = RadioField(_l("Language for SMS and pages"))
    sms = RadioField(
        _l("SMS updates"),
        choices=[
            SelectChoice("yes", _l("Send me SMS updates")),
            SelectChoice("no", _l("Only SMS about my own cases")),
        ],
    )


@blueprint.route("/my-details", methods=["GET", "POST"])
@citizen_required
def details() -> ResponseReturnValue:
    wanted = sms_wanted(get_db(), session["citizen_id"])
    form = DetailsForm(language=session.get("language"), sms="yes" if wanted else "no")
    form.language.choices = [
        SelectChoice(code, name, {"lang": code}) for code, name in language_choices()
    ]
    if form.validate_on_submit():
        db = get_db()
        choose_language(db, session["phone"], form.language.data, "web")
        set_sms_consent(db, session["citizen_id"], form.sms.data == "yes", "web")
        session.update(language=form.language.data, sms=form.sms.data)
        return redirect(url_for("account.details", saved=1))
    return render_template("account/details.html", form=form, saved=request.args.get("saved"))


@blueprint.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    session.clear()
    return redirect(url_for("citizen.home"))
