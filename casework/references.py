"""Case reference numbers: typed on phone keypads, so digits only.

Nine random digits and a Damm check digit. Damm catches every single-digit error and
every swap of two neighbouring digits, the two mistakes people make most when copying a
number from an SMS onto a keypad. Random, never sequential, so a reference alone gives
nothing away about how many cases exist or which neighbour belongs to whom.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from casework.errors import N_, InvalidInput
from casework.keypad import only_digits

BODY_DIGITS = 9
LENGTH = BODY_DIGITS + 1

# The Damm operation table: a totally anti-symmetric quasigroup of order 10.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

KIND_LETTERS = {"application": "A", "referral": "R", "grievance": "G"}
_KIND_BY_LETTER = {letter: kind for kind, letter in KIND_LETTERS.items()}


def damm_digit(digits: str) -> str:
    interim = 0
    for digit in digits:
        interim = _DAMM[interim][int(digit)]
    return str(interim)


def is_valid(reference: str) -> bool:
    return len(reference) == LENGTH and only_digits(reference) and damm_digit(reference) == "0"


def random_body() -> str:
    """Nine random digits, never starting with 0 (spreadsheets and some forms drop it)."""
    return str(secrets.randbelow(9 * 10 ** (BODY_DIGITS - 1)) + 10 ** (BODY_DIGITS - 1))


def new_reference(draw: Callable[[], str] = random_body) -> str:
    body = draw()
    return body + damm_digit(body)


def format_reference(reference: str, kind: str | None = None) -> str:
    """`4827 1935 06`, or `G 4827 1935 06` with the kind letter: easy to read out and copy."""
    grouped = f"{reference[:4]} {reference[4:8]} {reference[8:]}"
    return f"{KIND_LETTERS[kind]} {grouped}" if kind else grouped


_SEPARATORS = re.compile(r"[\s\-./]+")


def parse_reference(raw: str) -> tuple[str, str | None]:
    """The digits of a typed reference and the kind its letter names, if it had one.

    Forgives spaces, dashes, dots, a leading `#` (or a trailing one, as USSD users add)
    and the kind letter in either case. Raises InvalidInput with a message to show.
    """
    text = _SEPARATORS.sub("", raw or "").strip("#")
    kind = None
    if text[:1].upper() in _KIND_BY_LETTER:
        kind = _KIND_BY_LETTER[text[0].upper()]
        text = text[1:]
    if not text:
        raise InvalidInput("reference", N_("Enter your reference number"))
    if not only_digits(text) or len(text) != LENGTH:
        raise InvalidInput("reference", N_("A reference number has 10 digits, like 4827 1935 06"))
    if not is_valid(text):
        raise InvalidInput(
            "reference",
            N_("Check your reference number: one of the digits looks mistyped"),
        )
    return text, kind
