"""Referrals between agencies, and the applications and referrals queues."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from casework.directory import agencies
from casework.errors import N_, CaseworkError, InvalidInput
from casework.phones import normalise_phone
from casework.references import format_reference
from casework.services import refer
from casework.services.refer import URGENCY_WORKING_DAYS
from casework.staff_case_view import citizen_id_for_phone
from casework.staff_queries import kind_queue
from portal.services import get_db
from portal.staff.auth import staff_required

blueprint = Blueprint("staff_referrals", __name__, url_prefix="/staff")


class ReferForm(FlaskForm):
    destination = SelectField(
        _l("Refer to"), validators=[InputRequired(_l("Choose where to refer"))]
    )
    urgency = SelectField(
        _l("Urgency"), choices=[SelectChoice(u, u) for u in URGENCY_WORKING_DAYS], default="normal"
    )
    reason = TextAreaField(
        _l("Why (the receiving agency reads this)"),
        validators=[InputRequired(_l("Give a reason for the referral"))],
        render_kw={"rows": 3, "maxlength": 2000},
    )

    def offer(self, own_agency: int, language: str) -> None:
        choices = []
        for agency in agencies(get_db(), language):
            if agency.id == own_agency:
                continue
            choices.append(
                SelectChoice(
                    f"{agency.id}:",
                    _l("%(agency)s (any service)", agency=agency.short_name),
                    optgroup=agency.short_name,
                )
            )
            choices += [
                SelectChoice(f"{agency.id}:{sid}", name, optgroup=agency.short_name)
                for sid, name in agency.services
            ]
        self.destination.choices = choices


class ReferCitizenForm(ReferForm):
    phone = StringField(
        _l("The citizen's mobile number"),
        validators=[InputRequired(_l("Enter the citizen's mobile number"))],
    )


def send_referral(form: ReferForm, **who: Any) -> str:
    """Refer as the signed-in officer; the new referral's reference."""
    agency_id, _, service_id = form.destination.data.partition(":")
    referral = refer(
        get_db(),
        current_user.actor,
        to_agency_id=int(agency_id),
        service_id=int(service_id) if service_id else None,
        reason=form.reason.data,
        urgency=form.urgency.data,
        **who,
    )
    return referral.reference


@blueprint.route("/refer", methods=["GET", "POST"])
@staff_required()
def refer_citizen() -> ResponseReturnValue:
    form = ReferCitizenForm()
    form.offer(current_user.user.agency_id, "en")
    if form.validate_on_submit():
        try:
            phone = normalise_phone(
                form.phone.data, current_app.config["PORTAL_COUNTRY"], mobile_only=False
            )
            citizen_id = citizen_id_for_phone(get_db(), phone)
            if citizen_id is None:
                raise InvalidInput("phone", N_("No citizen with that number has used Thusa yet"))
            reference = send_referral(form, citizen_id=citizen_id)
        except CaseworkError as error:
            target = form.phone if getattr(error, "field", "") == "phone" else form.reason
            target.errors = [*target.errors, str(error)]
        else:
            return redirect(url_for("staff_cases.case", reference=reference))
    return render_template("staff/refer.html", form=form)


@blueprint.get("/<any(applications, referrals):kind>")
@staff_required()
def kind_list(kind: str) -> ResponseReturnValue:
    rows = kind_queue(get_db(), current_user.actor, kind.rstrip("s"))
    heading = _l("Applications to review") if kind == "applications" else _l("Referrals")
    return render_template(
        "staff/kind_queue.html",
        rows=rows,
        heading=heading,
        format_reference=format_reference,
        args=request.args,
        csv_url=url_for("staff_exports.kind_csv", kind=kind),
    )
