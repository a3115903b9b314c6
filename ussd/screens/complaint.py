"""Make a complaint: what about, where, what happened, anonymous or not, confirm."""

from __future__ import annotations

import secrets
from typing import Any

from casework.errors import N_, InvalidInput
from casework.grievance_categories import CATEGORIES
from casework.references import format_reference
from casework.services import lodge_grievance
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
    length,
    title_budget,
    truncate,
)
from ussd.screens.privacy import agree_line
from ussd.throttle import refusal, too_many

DESCRIPTION_MAX = 160  # one screen's worth of typing on a keypad
QUOTE_MIN = 12  # fewer letters of the description than this tell the citizen nothing
SENT = N_("Complaint sent. Your reference is %(reference)s. We will SMS you.")
SENT_ANONYMOUS = N_(
    "Complaint sent. Reference %(reference)s, PIN %(pin)s. Keep both to follow it."
    " We also SMS them."
)


def show_category(ctx: Context, data: dict[str, Any]) -> Menu:
    return Menu(
        ctx.gettext("What is your complaint about?"), [ctx.gettext(c.label) for c in CATEGORIES]
    )


def answer_category(ctx: Context, data: dict[str, Any], index: int) -> Outcome:
    # The journey's own id keys the submission: a resumed or retried journey never lodges
    # twice, and nothing ties an anonymous complaint to the gateway's session (and number).
    return Go(
        "complaint_district",
        {"category": CATEGORIES[index].code, "journey": secrets.token_hex(8)},
    )


def show_district(ctx: Context, data: dict[str, Any]) -> Menu:
    return Menu(ctx.gettext("Where did it happen?"), cache.districts(ctx.db))


def answer_district(ctx: Context, data: dict[str, Any], index: int) -> Outcome:
    return Go("complaint_office", {"district": cache.districts(ctx.db)[index]})


def show_office(ctx: Context, data: dict[str, Any]) -> Menu:
    offices = cache.offices_in_district(ctx.db, data["district"])
    return Menu(
        ctx.gettext("Which office?"),
        [ctx.gettext("Not at an office / not sure"), *(o.name for o in offices)],
    )


def answer_office(ctx: Context, data: dict[str, Any], index: int) -> Outcome:
    offices = cache.offices_in_district(ctx.db, data["district"])
    office_id = offices[index - 1].id if index else None
    return Go("complaint_description", {"office_id": office_id})


def show_description(ctx: Context, data: dict[str, Any]) -> Prompt:
    return Prompt(
        ctx.gettext("What happened? Up to %(limit)s letters.") % {"limit": DESCRIPTION_MAX}
    )


def answer_description(ctx: Context, data: dict[str, Any], typed: str) -> Outcome:
    text = typed.strip()
    if not text:
        return Invalid(N_("Describe what happened"))
    if len(text) > DESCRIPTION_MAX:
        return Invalid(N_("Use %(limit)s letters or fewer"), {"limit": DESCRIPTION_MAX})
    return Go("complaint_anonymous", {"description": text})


def show_anonymous(ctx: Context, data: dict[str, Any]) -> Menu:
    return Menu(
        ctx.gettext("Give your number so we can reply?"),
        [ctx.gettext("Yes, use my number"), ctx.gettext("No, stay anonymous (get a PIN)")],
    )


def answer_anonymous(ctx: Context, data: dict[str, Any], index: int) -> Outcome:
    return Go("complaint_confirm", {"anonymous": index == 1})


def _place(ctx: Context, data: dict[str, Any]) -> str:
    found = cache.office(ctx.db, data["office_id"]) if data.get("office_id") else None
    return found.name if found else data["district"]


def show_confirm(ctx: Context, data: dict[str, Any]) -> Menu:
    """What they typed comes first, and whether they stay anonymous: the two things worth
    checking. What and where were chosen a moment ago from lists."""
    options = [ctx.gettext("Send complaint"), ctx.gettext("Cancel")]
    heading = ctx.gettext("Check your complaint:")
    who = ctx.gettext("Anonymous") if data["anonymous"] else ctx.gettext("With your number")
    privacy = agree_line(ctx)
    budget = title_budget(ctx, options) - length(heading) - length(who) - length(privacy) - 5
    if budget < QUOTE_MIN:
        # A language with long words: the privacy line matters more than a few letters.
        return Menu(f"{heading}\n{who}\n{privacy}", options)
    quoted = truncate(data["description"], budget)
    return Menu(f'{heading}\n"{quoted}"\n{who}\n{privacy}', options)


def answer_confirm(ctx: Context, data: dict[str, Any], index: int) -> Outcome:
    if index == 1:
        return GoHome(ctx.gettext("Nothing was sent."))
    refused = refusal(ctx, ("submission_per_phone", ctx.phone))
    if refused is not None:
        return End(too_many(ctx, refused))  # nothing lodged
    try:
        lodged = lodge_grievance(
            ctx.db,
            phone=ctx.phone,
            category=data["category"],
            description=data["description"],
            channel="ussd",
            language=ctx.language,
            country=ctx.country,
            office_id=data.get("office_id"),
            district=data["district"],
            anonymous=data["anonymous"],
            idempotency_key=f"ussd:{data['journey']}",
            privacy_consent=True,  # the confirmation screen said so
        )
    except InvalidInput as error:
        return Invalid.from_error(error)
    reference = format_reference(lodged.grievance.reference, "grievance")
    if lodged.pin:
        return End(ctx.gettext(SENT_ANONYMOUS) % {"reference": reference, "pin": lodged.pin})
    return End(ctx.gettext(SENT) % {"reference": reference})


SCREENS = {
    "complaint_category": Screen(show_category, answer_category),
    "complaint_district": Screen(show_district, answer_district),
    "complaint_office": Screen(show_office, answer_office),
    "complaint_description": Screen(show_description, answer_description),
    "complaint_anonymous": Screen(show_anonymous, answer_anonymous),
    "complaint_confirm": Screen(show_confirm, answer_confirm),
}
