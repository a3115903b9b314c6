"""National identity numbers, checked by the rules of the deployment's country.

South Africa: 13 digits, YYMMDD date of birth, 4 sequence digits, a citizenship digit,
one more digit and a Luhn check digit. Ghana Card: `GHA-` then 9 digits, a dash and one
check digit (format only: the check algorithm is not published). Namibia: 11 digits
starting with the YYMMDD date of birth.
"""

from __future__ import annotations

import datetime as dt
import re

from casework.errors import N_, InvalidInput
from casework.keypad import only_digits
from casework.masking import mask_id

_GHANA_CARD = re.compile(r"^GHA(\d{9})(\d)$")


def normalise_national_id(raw: str, country: str, *, today: dt.date | None = None) -> str:
    """The ID number in its canonical form, or InvalidInput saying what to fix."""
    country = country.upper()
    today = today or dt.date.today()  # noqa: DTZ011  (a birth date is a calendar date)
    if country == "ZA":
        return _south_african_id(raw, today)
    if country == "GH":
        return _ghana_card(raw)
    if country == "NA":
        return _namibian_id(raw, today)
    text = (raw or "").strip()
    if not text:
        raise InvalidInput("national_id", N_("Enter your ID number"))
    return text


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def birth_date_from_id(yymmdd: str, today: dt.date) -> dt.date | None:
    """The date in an ID's first six digits; the century is the one that puts it in the past."""
    try:
        year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
        born = dt.date(2000 + year, month, day)
        if born > today:
            born = dt.date(1900 + year, month, day)
    except ValueError:
        return None
    return born


def _compact(raw: str) -> str:
    return re.sub(r"[\s\-]", "", raw or "").upper()


def _south_african_id(raw: str, today: dt.date) -> str:
    text = _compact(raw)
    if not text:
        raise InvalidInput("national_id", N_("Enter your ID number"))
    if not only_digits(text) or len(text) != 13:
        raise InvalidInput(
            "national_id", N_("Your ID number must have 13 digits, like 8001015009087")
        )
    if birth_date_from_id(text[:6], today) is None:
        raise InvalidInput(
            "national_id",
            N_("Check your ID number: the first 6 digits must be your date of birth"),
        )
    if text[10] not in "012":
        raise InvalidInput(
            "national_id", N_("Check your ID number: the 11th digit must be 0, 1 or 2")
        )
    if not luhn_valid(text):
        raise InvalidInput(
            "national_id", N_("Check your ID number: one of the digits looks mistyped")
        )
    return text


def _ghana_card(raw: str) -> str:
    if not (raw or "").strip():
        raise InvalidInput("national_id", N_("Enter your Ghana Card number"))
    match = _GHANA_CARD.match(_compact(raw))
    if match is None:
        raise InvalidInput(
            "national_id",
            N_("Enter your Ghana Card number as it is printed, like GHA-123456789-0"),
        )
    return f"GHA-{match.group(1)}-{match.group(2)}"


def _namibian_id(raw: str, today: dt.date) -> str:
    text = _compact(raw)
    if not text:
        raise InvalidInput("national_id", N_("Enter your ID number"))
    if not only_digits(text) or len(text) != 11:
        raise InvalidInput("national_id", N_("Your ID number must have 11 digits"))
    if birth_date_from_id(text[:6], today) is None:
        raise InvalidInput(
            "national_id",
            N_("Check your ID number: the first 6 digits must be your date of birth"),
        )
    return text


def mask_national_id(national_id: str | None) -> str:
    return mask_id(national_id)
