"""The staff console: the cases in one's scope, a case with its whole timeline and
documents, and (administrators) the staff accounts."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired

from casework.documents import document_for_staff, download_name
from casework.errors import InvalidInput
from casework.models import Role
from casework.staff_accounts import create_staff
from casework.staff_queries import cases_in_scope
from casework.staff_sign_in import set_active, staff_list
from portal.services import get_db
from portal.staff.auth import staff_required

blueprint = Blueprint("staff", __name__, url_prefix="/staff")
ADMIN = Role.ADMINISTRATOR.value


@blueprint.get("")
@staff_required()
def home() -> ResponseReturnValue:
    return render_template("staff/home.html", rows=cases_in_scope(get_db(), current_user.actor))


@blueprint.get("/documents/<int:document_id>")
@staff_required()
def document(document_id: int) -> ResponseReturnValue:
    found = document_for_staff(get_db(), document_id, current_user.actor)
    if found is None:
        abort(404)
    return send_file(
        Path(current_app.config["DOCUMENTS_DIR"]) / found.stored_name,
        mimetype=found.content_type,
        as_attachment=True,
        download_name=download_name(found.original_name, found.content_type),
    )


class NewStaffForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired(_l("Enter a username"))])
    display_name = StringField(
        _l("Full name"), validators=[InputRequired(_l("Enter the person's name"))]
    )
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, role.value.replace("_", " ")) for role in Role],
    )
    agency = StringField(_l("Agency code"), validators=[InputRequired(_l("Enter the agency"))])
    password = PasswordField(
        _l("First password (at least 12 characters)"),
        validators=[InputRequired(_l("Enter a password"))],
    )


@blueprint.route("/users", methods=["GET", "POST"])
@staff_required(ADMIN)
def users() -> ResponseReturnValue:
    form = NewStaffForm()
    if form.validate_on_submit():
        try:
            create_staff(
                get_db(),
                username=form.username.data or "",
                password=form.password.data or "",
                display_name=form.display_name.data or "",
                role=form.role.data or "",
                agency_code=form.agency.data or "",
                actor=current_user.actor,
            )
        except InvalidInput as error:
            field = {
                "display_name": form.display_name,
                "agency": form.agency,
                "password": form.password,
                "role": form.role,
            }.get(error.field, form.username)
            field.errors = [*field.errors, _l(error.message) % error.params]
        else:
            return redirect(url_for("staff.users"))
    return render_template(
        "staff/users.html", form=form, users=staff_list(get_db()), toggle=FlaskForm()
    )


@blueprint.post("/users/<int:staff_id>/<any(activate, deactivate):change>")
@staff_required(ADMIN)
def set_user_active(staff_id: int, change: str) -> ResponseReturnValue:
    if not FlaskForm().validate_on_submit():
        abort(400)
    set_active(get_db(), staff_id, change == "activate", current_user.actor)
    return redirect(url_for("staff.users"))
