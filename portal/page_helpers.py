"""Small things every citizen page's template uses."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, session
from flask_babel import get_locale, gettext
from wtforms import Field

from casework.case_words import case_subject, event_words
from casework.i18n import LANGUAGE_NAMES, format_day, format_number
from casework.masking import mask_id, mask_personal_numbers, mask_phone
from casework.references import format_reference
from casework.status_labels import status_label


def field_attributes(
    field: Field, hint: str | None, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A field's hint and error tied to it for screen readers, and marked invalid."""
    described = [f"{field.id}-hint"] if hint else []
    attributes = dict(extra or {})
    if field.errors:
        described.append(f"{field.id}-error")
        attributes["aria-invalid"] = "true"
    if described:
        attributes["aria-describedby"] = " ".join(described)
    return attributes


def safe_next(target: str | None, default: str = "/") -> str:
    """A path on this site to go back to; anything else (another host) goes home."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def clean_text(value: str | None) -> str | None:
    """Typed text without NUL and other control characters (PostgreSQL refuses NUL),
    keeping line breaks, and without surrounding spaces: "   " is no answer at all."""
    if value is None:
        return None
    return "".join(ch for ch in value if ch >= " " or ch in "\n\t").strip()


def language_choices() -> list[tuple[str, str]]:
    """The deployment's languages, each in its own name."""
    return [(code, LANGUAGE_NAMES[code]) for code in current_app.config["PORTAL_LANGUAGES"]]


def _day(value: Any) -> str:
    if isinstance(value, str):  # a date answer, stored as ISO 8601
        value = dt.date.fromisoformat(value)
    return format_day(value, str(get_locale()))


def _number(value: Any) -> str:
    """12500 as the reader writes it: `12,500` in English, `12 500` in Afrikaans."""
    return format_number(value, str(get_locale()))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        field_attributes=field_attributes,
        format_reference=format_reference,
        status_label=status_label,
        format_day=_day,
        format_number=_number,
        case_subject=lambda case: case_subject(case, gettext),
        event_words=lambda kind, event: event_words(kind, event, gettext),
        # For links to journeys that a deployment (or this build) may not have yet.
        has_endpoint=lambda name: name in app.view_functions,
    )
    # Lists and tables show numbers masked; whole only on the audited single-record pages.
    app.jinja_env.filters.update(
        mask_phone=mask_phone, mask_id=mask_id, mask_numbers=mask_personal_numbers
    )

    @app.context_processor
    def citizen_context() -> dict[str, object]:
        return {
            "citizen_signed_in": "citizen_id" in session,
            "language_choices": language_choices(),
        }
