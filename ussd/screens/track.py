"""Track my cases: the caller's open cases, one case's latest news, or a typed reference
(shown only when the case belongs to the calling number)."""

from __future__ import annotations

from typing import Any

from casework.case_queries import (
    CaseSummary,
    CaseView,
    anonymous_case_id,
    case_by_id,
    open_cases_for_phone,
    own_case,
)
from casework.case_words import case_subject, event_words
from casework.errors import N_, InvalidInput
from casework.i18n import format_day
from casework.references import format_reference, parse_reference
from casework.status_labels import status_label
from ussd.screen_kit import Context, End, Go, Info, Invalid, Menu, Outcome, Prompt, Screen
from ussd.throttle import refusal, too_many


def subject(ctx: Context, case: CaseSummary) -> str:
    return case_subject(case, ctx.gettext)


def _open_cases(ctx: Context) -> list[CaseSummary]:
    return ctx.once(
        ("open_cases", ctx.phone, ctx.language),
        lambda: open_cases_for_phone(ctx.db, ctx.phone, ctx.language),
    )


def _own_case(ctx: Context, case_id: int) -> CaseView | None:
    return ctx.once(
        ("own_case", ctx.phone, case_id, ctx.language),
        lambda: own_case(ctx.db, ctx.phone, ctx.language, case_id=case_id),
    )


def show_cases(ctx: Context, data: dict[str, Any]) -> Menu:
    cases = _open_cases(ctx)
    options = [f"{subject(ctx, c)}: {ctx.gettext(status_label(c.kind, c.status))}" for c in cases]
    title = ctx.gettext("Your open cases:") if cases else ctx.gettext("You have no open cases.")
    return Menu(title, [*options, ctx.gettext("Type a reference")])


def answer_cases(ctx: Context, data: dict[str, Any], index: int) -> Outcome:
    cases = _open_cases(ctx)
    if index >= len(cases):
        return Go("track_reference")
    return Go("track_case", {"case_id": cases[index].id})


def show_reference(ctx: Context, data: dict[str, Any]) -> Prompt:
    return Prompt(ctx.gettext("Type the reference from your SMS, like 4827 1935 06"))


def answer_reference(ctx: Context, data: dict[str, Any], typed: str) -> Outcome:
    try:
        reference, _kind = parse_reference(typed)
    except InvalidInput as error:
        return Invalid.from_error(error)
    view = own_case(ctx.db, ctx.phone, ctx.language, reference=reference)
    if view is not None:
        # The next screen shows this very case: no need to read it again.
        ctx.read[("own_case", ctx.phone, view.summary.id, ctx.language)] = view
        return Go("track_case", {"case_id": view.summary.id})
    # Not this number's: it may be an anonymous complaint, opened by its PIN. Asked the
    # same way whether the reference exists or not.
    return Go("track_pin", {"reference": reference})


def show_pin(ctx: Context, data: dict[str, Any]) -> Prompt:
    return Prompt(ctx.gettext("Not a case of this number. If it has a PIN, type the PIN:"))


def answer_pin(ctx: Context, data: dict[str, Any], typed: str) -> Outcome:
    # Every try counts, right or wrong: per caller, and per reference whoever calls.
    refused = refusal(
        ctx, ("pin_check_per_phone", ctx.phone), ("pin_check_per_reference", data["reference"])
    )
    if refused is not None:
        return End(too_many(ctx, refused))
    case_id = anonymous_case_id(ctx.db, data["reference"], typed.strip())
    if case_id is None:
        return Invalid(N_("That reference and PIN do not match"))
    # Kept in the server-side session only: proof, for this session, of the PIN.
    return Go("track_case", {"case_id": case_id, "opened_by_pin": True})


def describe(ctx: Context, view: CaseView) -> str:
    case = view.summary
    lines = [
        format_reference(case.reference, case.kind),
        subject(ctx, case),
        ctx.gettext("Status: %(status)s")
        % {"status": ctx.gettext(status_label(case.kind, case.status))},
    ]
    latest = view.latest
    if latest is not None:
        words = event_words(case.kind, latest, ctx.gettext)
        news = f"{format_day(latest.at, ctx.language)}: {words}"
        if latest.body:
            news += f". {latest.body}"
        lines.append(news)
    return "\n".join(lines)


def show_case(ctx: Context, data: dict[str, Any]) -> Info:
    if data.get("opened_by_pin"):
        view = case_by_id(ctx.db, data["case_id"], ctx.language)
    else:
        view = _own_case(ctx, data["case_id"])
    if view is None:
        return Info(ctx.gettext("We could not find that case"))
    return Info(describe(ctx, view))


SCREENS = {
    "track_cases": Screen(show_cases, answer_cases),
    "track_reference": Screen(show_reference, answer_reference),
    "track_pin": Screen(show_pin, answer_pin),
    "track_case": Screen(show_case),
}
