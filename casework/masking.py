"""Phone numbers and ID numbers, masked: for logs, staff lists and anything else that
should let a reader tell two numbers apart without being able to copy one.

Shown whole only where an officer needs the number itself (the case page, one SMS, the
citizen record), and those reads are audited.
"""

from __future__ import annotations

import re

import phonenumbers

# Where a number can hide in free text (a log line, a database error, an SMS): a run of
# digits, perhaps with a leading + and single spaces or dashes between groups.
_NUMBER_RUN = re.compile(r"(?<![\w+])\+?[0-9](?:[ \-]?[0-9]){8,}(?!\w)")
_GHANA_CARD = re.compile(r"(?<!\w)GHA[ \-]?[0-9]{9}[ \-]?[0-9](?!\w)", re.IGNORECASE)
_DIGIT = re.compile(r"[0-9]")


def mask_phone(phone: str | None) -> str:
    """`+27 82 *** **67`: the country, the network and the last two digits, no more."""
    if not phone:
        return "-"
    try:
        number = phonenumbers.parse(phone if phone.startswith("+") else "+" + phone, None)
    except phonenumbers.NumberParseException:
        return _stars_but_last(phone, 2)
    national = str(number.national_number)
    if len(national) < 7:
        return _stars_but_last(phone, 2)
    hidden = "*" * (len(national) - 6)
    return f"+{number.country_code} {national[:2]} {hidden} **{national[-2:]}"


def mask_id(national_id: str | None) -> str:
    """`**********087`, `GHA-*******89-0`: the last three digits, enough to confirm."""
    if not national_id:
        return "-"
    return _stars_but_last(national_id, 3)


def mask_personal_numbers(text: str) -> str:
    """`text` with every phone number and ID number in it masked.

    Masked: anything with a leading +, any run of 11 or more digits (E.164 without the +,
    South African and Namibian IDs), 9 or 10 digits starting with 0 (a number as written
    at home, `082 123 4567`), and Ghana Cards. Case references (10 digits, never starting
    with 0), dates and times stay readable.
    """
    if not text:
        return text
    text = _GHANA_CARD.sub(lambda match: mask_id(match.group(0)), text)
    return _NUMBER_RUN.sub(_mask_run, text)


def _mask_run(match: re.Match[str]) -> str:
    run = match.group(0)
    digits = "".join(_DIGIT.findall(run))
    if run.startswith("+"):
        return mask_phone("+" + digits)
    if len(digits) == 13:
        return mask_id(digits)  # a South African ID number
    if len(digits) >= 11:
        masked = mask_phone("+" + digits)
        return masked if masked.startswith("+") else _stars_but_last(run, 2)
    if digits.startswith("0"):
        return _stars_but_last(run, 2)
    return run


def _stars_but_last(text: str, keep: int) -> str:
    """Every digit of `text` a star except the last `keep`, other characters kept."""
    total = len(_DIGIT.findall(text))
    seen = 0
    out = []
    for char in text:
        if "0" <= char <= "9":
            seen += 1
            out.append(char if seen > total - keep else "*")
        else:
            out.append(char)
    return "".join(out)
