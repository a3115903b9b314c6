"""A service's application form, defined as data so the web, USSD and staff console
can all ask the same questions.

Each field definition is a dict:
    {"name": "children", "type": "number", "required": true,
     "label": {"en": "How many children live with you?", "zu": "..."},
     "min": 0, "max": 20, "channels": ["web", "ussd"]}
Types: yes_no, choice (with "choices": [{"value": ..., "label": {...}}]), number, text
(with "max_length"), id_number, date (YYYY-MM-DD).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from casework.errors import N_, InvalidInput
from casework.keypad import only_digits
from casework.national_ids import normalise_national_id

FIELD_TYPES = ("yes_no", "choice", "number", "text", "id_number", "date")
TEXT_MAX_DEFAULT = 500


def validate_answers(
    fields: list[dict[str, Any]], answers: dict[str, Any], *, channel: str, country: str
) -> dict[str, Any]:
    """The answers, cleaned to their stored types; InvalidInput names the first bad one."""
    clean: dict[str, Any] = {}
    for field in fields:
        if channel not in field.get("channels", (channel,)):
            continue
        name = field["name"]
        raw = answers.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if field.get("required", True):
                raise InvalidInput(name, N_("Answer this question"))
            continue
        clean[name] = clean_answer(field, raw, country=country)
    unknown = set(answers) - {field["name"] for field in fields}
    if unknown:
        raise InvalidInput(sorted(unknown)[0], N_("This question is not part of the form"))
    return clean


def clean_answer(field: dict[str, Any], raw: Any, *, country: str) -> Any:
    name, kind = field["name"], field["type"]
    text = str(raw).strip()
    if kind == "yes_no":
        if isinstance(raw, bool):
            return raw
        if text.lower() in ("yes", "y", "1", "true"):
            return True
        if text.lower() in ("no", "n", "2", "false"):
            return False
        raise InvalidInput(name, N_("Choose yes or no"))
    if kind == "choice":
        values = [choice["value"] for choice in field["choices"]]
        if text not in values:
            raise InvalidInput(name, N_("Choose one of the options"))
        return text
    if kind == "number":
        if not only_digits(text):
            raise InvalidInput(name, N_("Enter a whole number, like 3"))
        number = int(text)
        low, high = field.get("min", 0), field.get("max", 10**9)
        if not low <= number <= high:
            raise InvalidInput(
                name, N_("Enter a number from %(low)s to %(high)s"), low=low, high=high
            )
        return number
    if kind == "text":
        limit = field.get("max_length", TEXT_MAX_DEFAULT)
        if len(text) > limit:
            raise InvalidInput(
                name, N_("Your answer must be %(limit)s characters or fewer"), limit=limit
            )
        return text
    if kind == "id_number":
        return normalise_national_id(text, country)
    if kind == "date":
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise InvalidInput(name, N_("Enter a real date, like 2024-03-27")) from None
    raise ValueError(f"unknown field type {kind!r} in field {name!r}")
