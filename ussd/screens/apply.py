"""Apply for a service: category, service, its questions, check the answers, submit."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from casework.application_fields import TEXT_MAX_DEFAULT, clean_answer
from casework.directory import CATEGORIES
from casework.errors import N_, InvalidInput, NotPermitted
from casework.keypad import only_digits
from casework.references import format_reference
from casework.services import submit_application
from ussd.directory_cache import cache
from ussd.screen_kit import (
    Context,
    End,
    Go,
    GoHome,
    Invalid,
    Menu,
    Outcome,
    Prompt,
    Screen,
    View,
    label_in,
    length,
    title_budget,
    truncate,
)
from ussd.screens.privacy import agree_line
from ussd.throttle import refusal, too_many

CHANNEL = "ussd"
SENT = N_("Application sent. Your reference is %(reference)s. We will SMS you.")
NOT_BY_USSD = N_("Sorry, you cannot apply for this service by USSD.")
SUMMARY_MIN = 12  # fewer letters of the answers than this tell the citizen nothing


def show_category(ctx: Context, data: dict[str, Any]) -> Menu:
    codes = cache.categories(ctx.db, channel=CHANNEL)
    return Menu(ctx.gettext("What do you need?"), [ctx.gettext(CATEGORIES[c]) for c in codes])


def answer_category(ctx: Context, data: dict[str, Any], index: int) -> Outcome:
    return Go("apply_service", {"category": cache.categories(ctx.db, channel=CHANNEL)[index]})


def _services(ctx: Context, data: dict[str, Any]) -> list[Any]:
    return cache.services_in_category(ctx.db, data["category"], ctx.language, channel=CHANNEL)


def show_service(ctx: Context, data: dict[str, Any]) -> Menu:
    return Menu(ctx.gettext("Choose a service"), [s.short_name for s in _services(ctx, data)])


def answer_service(ctx: Context, data: dict[str, Any], index: int) -> Outcome:
    return first_question(ctx, _services(ctx, data)[index].id)


def first_question(ctx: Context, service_id: int) -> Outcome:
    # The journey's own id keys the submission, so a resumed or retried journey can
    # never apply twice (and nothing ties the case to the gateway's session id).
    detail = cache.service_detail(ctx.db, service_id, ctx.language)
    data = {
        "service_id": service_id,
        # Read once per journey, not on every hop; a form edited meanwhile does not
        # change the questions under a citizen half-way through them.
        "questions": ussd_questions(detail.application_fields if detail else ()),
        "service_name": detail.summary.short_name if detail else "",
        "answers": {},
        "question": -1,
        "journey": secrets.token_hex(8),
    }
    return _next_question(ctx, data)


def ussd_questions(fields: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The questions asked by USSD: required ones, and optional ones answered by choosing
    (an optional free-text answer is left for the web, where skipping is easy)."""
    return [
        field
        for field in fields
        if CHANNEL in field.get("channels", (CHANNEL,))
        and (field.get("required", True) or field["type"] in ("yes_no", "choice"))
    ]


def _next_question(ctx: Context, data: dict[str, Any]) -> Outcome:
    following = data["question"] + 1
    if following >= len(data["questions"]):
        return Go("apply_confirm", {**data, "question": following})
    return Go("apply_question", {**data, "question": following})


def show_question(ctx: Context, data: dict[str, Any]) -> View:
    field = data["questions"][data["question"]]
    label = label_in(ctx, field["label"])
    if field["type"] == "yes_no":
        return Menu(label, [ctx.gettext("Yes"), ctx.gettext("No")])
    if field["type"] == "choice":
        return Menu(label, [label_in(ctx, choice["label"]) for choice in field["choices"]])
    if field["type"] == "number" and field.get("min", 0) <= 0:
        # "0" is Back on every screen, so a nil answer (no income) gets a choice of its own.
        return Menu(label, [ctx.gettext("None (0)"), ctx.gettext("Type a number")])
    if field["type"] == "number":
        hint = ctx.gettext("Type a number")
        return Prompt(f"{label}\n{hint}")
    if field["type"] == "date":
        hint = ctx.gettext("Type the date as DDMMYYYY")
        return Prompt(f"{label}\n{hint}")
    if field["type"] == "text":
        limit = field.get("max_length", TEXT_MAX_DEFAULT)
        hint = ctx.gettext("Up to %(limit)s letters") % {"limit": limit}
        return Prompt(f"{label}\n{hint}")
    return Prompt(label)


def answer_question(ctx: Context, data: dict[str, Any], given: Any) -> Outcome:
    field = data["questions"][data["question"]]
    if field["type"] == "number" and field.get("min", 0) <= 0 and isinstance(given, int):
        if given == 1:
            return Go("apply_number")
        given = "0"
    if field["type"] == "yes_no":
        raw: Any = given == 0
    elif field["type"] == "choice":
        raw = field["choices"][given]["value"]
    elif field["type"] == "date":
        raw = _keypad_date(given)
        if raw is None:
            return Invalid(N_("Type the date as DDMMYYYY, like 27032024"))
    else:
        raw = given
    try:
        value = clean_answer(field, raw, country=ctx.country)
    except InvalidInput as error:
        return Invalid.from_error(error)
    answers = {**data["answers"], field["name"]: value}
    return _next_question(ctx, {**data, "answers": answers})


def show_number(ctx: Context, data: dict[str, Any]) -> Prompt:
    field = data["questions"][data["question"]]
    hint = ctx.gettext("Type a number")
    return Prompt(f"{label_in(ctx, field['label'])}\n{hint}")


def _keypad_date(typed: str) -> str | None:
    """`27032024` as typed on a keypad, to `2024-03-27`."""
    digits = typed.strip()
    if len(digits) != 8 or not only_digits(digits):
        return None
    try:
        return dt.date(int(digits[4:]), int(digits[2:4]), int(digits[:2])).isoformat()
    except ValueError:
        return None


def _summary(ctx: Context, data: dict[str, Any]) -> str:
    parts = [data["service_name"]]
    for field in data["questions"]:
        value = data["answers"].get(field["name"])
        if field["type"] == "yes_no":
            value = ctx.gettext("Yes") if value else ctx.gettext("No")
        elif field["type"] == "choice":
            value = next(
                (label_in(ctx, c["label"]) for c in field["choices"] if c["value"] == value), value
            )
        parts.append(str(value))
    return ", ".join(parts)


def show_confirm(ctx: Context, data: dict[str, Any]) -> Menu:
    options = [ctx.gettext("Send application"), ctx.gettext("Cancel")]
    heading = ctx.gettext("Check your answers:")
    privacy = agree_line(ctx)
    budget = title_budget(ctx, options) - length(heading) - length(privacy) - 2
    if budget < SUMMARY_MIN:
        # A language with long words: the privacy line matters more than a few letters.
        return Menu(f"{heading}\n{privacy}", options)
    summary = truncate(_summary(ctx, data), budget)
    return Menu(f"{heading}\n{summary}\n{privacy}", options)


def answer_confirm(ctx: Context, data: dict[str, Any], index: int) -> Outcome:
    if index == 1:
        return GoHome(ctx.gettext("Nothing was sent."))
    refused = refusal(ctx, ("submission_per_phone", ctx.phone))
    if refused is not None:
        return End(too_many(ctx, refused))  # nothing submitted
    try:
        application = submit_application(
            ctx.db,
            phone=ctx.phone,
            service_id=data["service_id"],
            answers=data["answers"],
            channel=CHANNEL,
            language=ctx.language,
            idempotency_key=f"ussd:{data['journey']}",
            privacy_consent=True,  # the confirmation screen said so
        )
    except InvalidInput as error:
        return Invalid.from_error(error)
    except NotPermitted:
        return End(ctx.gettext(NOT_BY_USSD))
    reference = format_reference(application.reference, application.kind)
    return End(ctx.gettext(SENT) % {"reference": reference})


SCREENS = {
    "apply_category": Screen(show_category, answer_category),
    "apply_service": Screen(show_service, answer_service),
    "apply_question": Screen(show_question, answer_question),
    "apply_number": Screen(show_number, answer_question),
    "apply_confirm": Screen(show_confirm, answer_confirm),
}
