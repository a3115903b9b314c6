"""The forms on a case's staff page, one per action."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError

from casework.actors import Actor
from casework.grievance_categories import CATEGORIES
from casework.services.transition import on_the_right_side
from casework.services.triage import MESSAGE_MAX, PRIORITIES
from casework.staff_case_view import StaffCaseView
from casework.workflows import WORKFLOWS
from portal.page_helpers import clean_text


class StatusForm(FlaskForm):
    target = SelectField(_l("New status"), validators=[InputRequired(_l("Choose a status"))])
    reason = TextAreaField(
        _l("Reason (the citizen may see it)"),
        filters=[clean_text],
        validators=[Optional()],
        render_kw={"rows": 3, "maxlength": 2000},
    )

    def offer(self, view: StaffCaseView, actor: Actor) -> None:
        """Only the steps this officer may make from here (the same rules transition() keeps)."""
        row = view.row
        self.target.choices = [
            SelectChoice(step.target, step.target.replace("_", " "))
            for step in WORKFLOWS[row.kind].transitions
            if step.source == row.status
            and actor.role in step.roles
            and on_the_right_side(row.kind, view.agency_id, view.from_agency_id, step.target, actor)
        ]


class ClassifyForm(FlaskForm):
    category = SelectField(
        _l("Category"), choices=[SelectChoice(c.code, _l(c.label)) for c in CATEGORIES]
    )
    priority = SelectField(_l("Priority"), choices=[SelectChoice(p, p) for p in PRIORITIES])


class AssignForm(FlaskForm):
    officer = SelectField(_l("Officer"), validators=[InputRequired(_l("Choose an officer"))])


class NoteForm(FlaskForm):
    note = TextAreaField(
        _l("Internal note (staff only)"),
        filters=[clean_text],
        validators=[InputRequired(_l("Write the note"))],
        render_kw={"rows": 3},
    )


class MessageForm(FlaskForm):
    template = SelectField(
        _l("Message"),
        choices=[
            SelectChoice("staff_message", _l("In your own words (type below)")),
            SelectChoice(
                "staff_bring_documents", _l("Standard: please bring your ID and documents")
            ),
            SelectChoice("staff_tried_to_call", _l("Standard: we tried to reach you")),
            SelectChoice("case_message", _l("Standard: you have a new message")),
        ],
    )
    text = TextAreaField(
        _l("Your words (sent by SMS)"),
        filters=[clean_text],
        # No Optional(): it would stop validate_text, which requires words when chosen.
        render_kw={"rows": 3, "maxlength": MESSAGE_MAX},
    )

    def validate_text(self, field: TextAreaField) -> None:
        if self.template.data == "staff_message" and not (field.data or "").strip():
            raise ValidationError(_l("Write the message"))
