"""Phone numbers, the key a citizen is known by on every channel, kept in E.164."""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from casework.errors import N_, InvalidInput
from casework.masking import mask_phone

__all__ = ["example_number", "mask_phone", "normalise_phone"]

_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def example_number(region: str) -> str:
    """A mobile number as a citizen of `region` writes it, to show in error messages."""
    example = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
    if example is None:
        return "+27 71 234 5678"
    return phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL)


def normalise_phone(raw: str, region: str, *, mobile_only: bool = True) -> str:
    """`+27712345678` from `071 234 5678`, `27712345678` or `+27 71 234 5678`.

    `region` (PORTAL_COUNTRY) decides what a number without a country code means.
    Raises InvalidInput with a message that shows the expected shape.
    """
    text = (raw or "").strip()
    if not text:
        raise InvalidInput("phone", N_("Enter your phone number"))
    # Africa's Talking and many users write the country code without the plus.
    if "1" <= text[0] <= "9" and len(_digits(text)) > 10:
        text = "+" + text
    try:
        number = phonenumbers.parse(text, region.upper())
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidInput(
            "phone",
            N_("Enter a phone number like %(example)s"),
            example=example_number(region.upper()),
        )
    if mobile_only and phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise InvalidInput(
            "phone",
            N_("Enter a mobile number that can get SMS, like %(example)s"),
            example=example_number(region.upper()),
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if "0" <= ch <= "9")
