"""A service's application form, built with WTForms from its field definitions (the same
definitions the USSD menu asks from)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Field,
    MultipleFileField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, ValidationError

from casework.application_fields import TEXT_MAX_DEFAULT, clean_answer
from casework.errors import InvalidInput
from portal.page_helpers import clean_text

PREFIX = "answer_"  # keeps a question called "data" or "meta" clear of the form's own names
WEB = "web"


def label_in(labels: dict[str, str], language: str) -> str:
    return labels.get(language) or labels.get("en") or next(iter(labels.values()), "")


def web_questions(fields: tuple[dict[str, Any], ...], channel: str = WEB) -> list[dict[str, Any]]:
    """The questions asked on `channel`: the citizen's own web form, or an officer's form
    for a citizen who walked in ("assisted")."""
    return [f for f in fields if channel in f.get("channels", (channel,))]


class _Answer:
    """Checks an answer the way casework will, so the error shows next to the field."""

    def __init__(self, definition: dict[str, Any], country: str) -> None:
        self.definition, self.country = definition, country

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if field.data in (None, ""):
            return
        try:
            clean_answer(
                self.definition, to_answer(self.definition, field.data), country=self.country
            )
        except InvalidInput as error:
            raise ValidationError(_l(error.message) % error.params) from None


def to_answer(definition: dict[str, Any], value: Any) -> Any:
    """A submitted value as casework takes it."""
    if definition["type"] == "yes_no":
        return value == "yes"
    if definition["type"] == "date" and value is not None and not isinstance(value, str):
        return value.isoformat()
    return value


def to_form_value(definition: dict[str, Any], answer: Any) -> Any:
    if definition["type"] == "yes_no":
        return "yes" if answer else "no"
    if definition["type"] == "date" and answer:
        return dt.date.fromisoformat(answer)
    return answer


def form_for(
    fields: tuple[dict[str, Any], ...],
    language: str,
    country: str,
    channel: str = WEB,
    base: type[FlaskForm] = FlaskForm,
) -> type[FlaskForm]:
    class ApplicationForm(base):  # type: ignore[valid-type,misc]
        documents = MultipleFileField(_l("Supporting documents (optional)"))

    for definition in web_questions(fields, channel):
        label = label_in(definition["label"], language)
        checks: list[Any] = [
            DataRequired(_l("Answer this question"))
            if definition.get("required", True)
            else Optional(),
            _Answer(definition, country),
        ]
        kind = definition["type"]
        if kind == "yes_no":
            field: Field = RadioField(
                label,
                checks,
                choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
            )
        elif kind == "choice":
            field = RadioField(
                label,
                checks,
                choices=[
                    SelectChoice(c["value"], label_in(c["label"], language))
                    for c in definition["choices"]
                ],
            )
        elif kind == "date":
            field = DateField(label, checks)
        elif kind == "text" and definition.get("max_length", TEXT_MAX_DEFAULT) > 100:
            field = TextAreaField(
                label,
                checks,
                filters=[clean_text],
                render_kw={"maxlength": definition.get("max_length", TEXT_MAX_DEFAULT), "rows": 4},
            )
        else:
            render_kw = {"inputmode": "numeric"} if kind in ("number", "id_number") else {}
            field = StringField(
                label, checks, filters=[clean_text], render_kw={**render_kw, "autocomplete": "off"}
            )
        setattr(ApplicationForm, PREFIX + definition["name"], field)
    return ApplicationForm
