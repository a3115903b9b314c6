"""The main menu, and the language menu."""

from __future__ import annotations

from typing import Any

from casework.errors import N_
from casework.i18n import LANGUAGE_NAMES
from casework.services.citizen_preferences import choose_language
from ussd.screen_kit import Context, Go, GoHome, Menu, Outcome, Screen

JOURNEYS = (
    (N_("Apply for a service"), "apply_category"),
    (N_("Track my cases"), "track_cases"),
    (N_("Make a complaint"), "complaint_category"),
    (N_("Find a service"), "find_category"),
    (N_("Language"), "language"),
    # Sixth: casework.privacy.USSD_MENU_KEY, so `*120*3210*6#` dials straight into it.
    (N_("Privacy notice"), "privacy"),
)


def show_home(ctx: Context, data: dict[str, Any]) -> Menu:
    return Menu(
        ctx.gettext("Thusa: how can we help?"),
        [ctx.gettext(label) for label, _ in JOURNEYS],
        nav=False,
    )


def answer_home(ctx: Context, data: dict[str, Any], index: int) -> Outcome:
    return Go(JOURNEYS[index][1])


def show_language(ctx: Context, data: dict[str, Any]) -> Menu:
    # Each language in its own name: a reader of isiZulu looks for "isiZulu".
    return Menu(ctx.gettext("Choose your language"), [LANGUAGE_NAMES[c] for c in ctx.languages])


def answer_language(ctx: Context, data: dict[str, Any], index: int) -> Outcome:
    language = ctx.languages[index]
    choose_language(ctx.db, ctx.phone, language, "ussd")
    return GoHome(note=LANGUAGE_NAMES[language], language=language)


SCREENS = {
    "home": Screen(show_home, answer_home),
    "language": Screen(show_language, answer_language),
}
