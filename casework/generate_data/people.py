"""Generated citizens: unique, valid South African mobile numbers, names, ID numbers and
languages, as a real deployment's register would hold them."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator

from casework.generate_data.seeded import seeded
from casework.generate_data.texts import GIVEN_NAMES, SURNAMES

# Mobile prefixes in use in South Africa (060-066, 071-074, 076, 078, 079, 081-084); each
# with any seven digits is a number `phonenumbers` accepts as a mobile.
MOBILE_PREFIXES = (60, 61, 62, 63, 64, 65, 66, 71, 72, 73, 74, 76, 78, 79, 81, 82, 83, 84)
NUMBERS_PER_PREFIX = 10**7
NUMBER_SPACE = len(MOBILE_PREFIXES) * NUMBERS_PER_PREFIX

# The six languages, weighted roughly as a national deployment's callers would choose them.
LANGUAGES = ("en", "zu", "xh", "af", "st", "sw")
LANGUAGE_WEIGHTS = (30, 23, 17, 12, 12, 6)


class PhoneNumbers:
    """Distinct numbers from a seeded permutation of the whole mobile number space.

    Number `i` is `(a * i + b) mod N` with `a` coprime to N, a bijection: no two indexes
    share a number, so uniqueness needs no memory of the numbers already handed out, and
    a later run (starting at a later index) never repeats an earlier run's numbers.
    """

    def __init__(self, seed: int) -> None:
        rng = seeded("phones", seed)
        multiplier = rng.randrange(NUMBER_SPACE // 3, NUMBER_SPACE)
        while math.gcd(multiplier, NUMBER_SPACE) != 1:
            multiplier += 1
        self._multiplier = multiplier
        self._offset = rng.randrange(NUMBER_SPACE)

    def number(self, index: int) -> str:
        position = (self._multiplier * index + self._offset) % NUMBER_SPACE
        prefix, rest = divmod(position, NUMBERS_PER_PREFIX)
        return f"+27{MOBILE_PREFIXES[prefix]}{rest:07d}"

    def numbers(self, start: int) -> Iterator[str]:
        index = start
        while True:
            yield self.number(index)
            index += 1


def south_african_id(rng: random.Random, today: dt.date) -> str:
    """A valid 13-digit ID number: a birth date 18 to 90 years back, the sequence digits,
    citizen (0), the constant 8, and the Luhn check digit."""
    born = today - dt.timedelta(days=rng.randrange(18 * 365, 90 * 365))
    body = f"{born:%y%m%d}{rng.randrange(10_000):04d}08"
    return body + luhn_digit(body)


def luhn_digit(body: str) -> str:
    total = 0
    for position, char in enumerate(reversed(body)):
        value = int(char)
        if position % 2 == 0:  # doubled: these sit at odd positions once the digit is added
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def person_name(rng: random.Random, language: str) -> str:
    # Most people carry names of their home language; some do not.
    pool = language if rng.random() < 0.8 else rng.choice(LANGUAGES)
    return f"{rng.choice(GIVEN_NAMES[pool])} {rng.choice(SURNAMES[pool])}"


def citizen_row(
    rng: random.Random, citizen_id: int, phone: str, language: str, at: dt.datetime
) -> tuple[object, ...]:
    """(id, phone, name, national_id, language, sms_consent, sms_consent_at, sms_opted_out,
    created_at, updated_at): USSD callers often never give a name; fewer give an ID."""
    name = person_name(rng, language) if rng.random() < 0.6 else None
    national_id = south_african_id(rng, at.date()) if rng.random() < 0.35 else None
    consent = rng.random() < 0.9
    return (
        citizen_id,
        phone,
        name,
        national_id,
        language,
        consent,
        at if consent else None,
        rng.random() < 0.02,  # texted STOP
        at,
        at,
    )


CITIZEN_COLUMNS = (
    "id",
    "phone",
    "name",
    "national_id",
    "language",
    "sms_consent",
    "sms_consent_at",
    "sms_opted_out",
    "created_at",
    "updated_at",
)
