"""Where the gettext catalogs live, and loading them without a web framework.

Every channel translates with the same catalogs (translations/<lang>/LC_MESSAGES), so an
SMS, a USSD screen and a web page say the same thing the same way.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(
    os.environ.get("THUSA_TRANSLATIONS", Path(__file__).resolve().parent.parent / "translations")
)


# Dates a citizen reads are in their local calendar, not UTC (an event at 23:30 UTC is
# already tomorrow in Johannesburg).
DISPLAY_TIMEZONE = ZoneInfo(os.environ.get("PORTAL_TIMEZONE", "Africa/Johannesburg"))

# Each language's name in that language: what a citizen looks for in a language menu.
LANGUAGE_NAMES = {
    "en": "English",
    "af": "Afrikaans",
    "zu": "isiZulu",
    "xh": "isiXhosa",
    "st": "Sesotho",
    "sw": "Kiswahili",
}


@cache
def translations(language: str) -> NullTranslations:
    """The catalog for `language`; English (the message ids themselves) when there is none."""
    if language == "en":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS_DIR), [language], domain="messages")


def languages_with_catalogs() -> list[str]:
    """English, plus every language whose compiled catalog is present."""
    found = sorted(
        path.parent.parent.name for path in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.mo")
    )
    return ["en", *[language for language in found if language != "en"]]


def format_day(day: dt.date | dt.datetime, language: str) -> str:
    """A short date in the reader's language (`27 Mar 2026`), by Babel's CLDR data."""
    if isinstance(day, dt.datetime):
        day = day.astimezone(DISPLAY_TIMEZONE).date()
    try:
        return format_date(day, "d MMM y", locale=language)
    except (ValueError, LookupError):
        return format_date(day, "d MMM y", locale="en")


def format_number(value: float | int, language: str) -> str:
    """A number with the reader's digit grouping and decimal sign, by Babel's CLDR data."""
    try:
        return format_decimal(value, locale=language)
    except (ValueError, LookupError):
        return format_decimal(value, locale="en")
