import datetime as dt

import pytest

from casework.errors import InvalidInput
from casework.national_ids import luhn_valid, mask_national_id, normalise_national_id
from casework.phones import mask_phone, normalise_phone

TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("typed", "region", "e164"),
    [
        ("071 234 5678", "ZA", "+27712345678"),
        ("0712345678", "ZA", "+27712345678"),
        ("+27 71 234 5678", "ZA", "+27712345678"),
        ("27712345678", "ZA", "+27712345678"),
        ("(071) 234-5678", "ZA", "+27712345678"),
        ("024 123 4567", "GH", "+233241234567"),
        ("+233 24 123 4567", "ZA", "+233241234567"),
        ("081 123 4567", "NA", "+264811234567"),
        ("+254712345678", "ZA", "+254712345678"),
    ],
)
def test_normalise_phone_gives_e164(typed, region, e164):
    assert normalise_phone(typed, region) == e164


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your phone number"),
        ("12345", "Enter a phone number like 071 123 4567"),
        ("phone me", "Enter a phone number like 071 123 4567"),
        ("011 123 4567", "Enter a mobile number that can get SMS, like 071 123 4567"),
    ],
)
def test_normalise_phone_explains_with_an_example_from_the_country(typed, message):
    with pytest.raises(InvalidInput) as error:
        normalise_phone(typed, "ZA")
    assert str(error.value) == message
    assert error.value.field == "phone"


def test_normalise_phone_example_follows_the_deployment_country():
    with pytest.raises(InvalidInput) as error:
        normalise_phone("12", "GH")
    assert "023 123 4567" in str(error.value) or "024" in str(error.value)


def test_mask_phone_keeps_only_enough_to_tell_numbers_apart():
    assert mask_phone("+27712345678") == "+27 71 *** **78"
    assert "2345" not in mask_phone("+27712345678")


def test_luhn():
    assert luhn_valid("8001015009087")
    assert not luhn_valid("8001015009088")


@pytest.mark.parametrize("typed", ["8001015009087", "800101 5009 087", "800101-5009-087"])
def test_south_african_id_accepted(typed):
    assert normalise_national_id(typed, "ZA", today=TODAY) == "8001015009087"


def _with_luhn(first12: str) -> str:
    for digit in "0123456789":
        if luhn_valid(first12 + digit):
            return first12 + digit
    raise AssertionError


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your ID number"),
        ("80010150090", "Your ID number must have 13 digits, like 8001015009087"),
        ("800101500908X", "Your ID number must have 13 digits, like 8001015009087"),
        ("8001015009088", "Check your ID number: one of the digits looks mistyped"),
        (_with_luhn("800230500908"), "the first 6 digits must be your date of birth"),
        (_with_luhn("801301500908"), "the first 6 digits must be your date of birth"),
        (_with_luhn("800101500958"), "the 11th digit must be 0, 1 or 2"),
    ],
)
def test_south_african_id_rejected_with_a_reason(typed, message):
    with pytest.raises(InvalidInput) as error:
        normalise_national_id(typed, "ZA", today=TODAY)
    assert message in str(error.value)


def test_south_african_id_birth_dates_in_both_centuries():
    born_2001 = _with_luhn("010101500908")
    born_1930 = _with_luhn("300101500908")
    assert normalise_national_id(born_2001, "ZA", today=TODAY) == born_2001
    assert normalise_national_id(born_1930, "ZA", today=TODAY) == born_1930
    # 29 February exists only in leap years: 2000 was one, 1900 was not.
    leap = _with_luhn("000229500908")
    assert normalise_national_id(leap, "ZA", today=TODAY) == leap


@pytest.mark.parametrize("typed", ["GHA-123456789-0", "gha1234567890", "GHA 123456789 0"])
def test_ghana_card_normalised(typed):
    assert normalise_national_id(typed, "GH") == "GHA-123456789-0"


@pytest.mark.parametrize("typed", ["GHA-12345678-0", "GHB-123456789-0", "123456789"])
def test_ghana_card_wrong_format_shows_the_printed_shape(typed):
    with pytest.raises(InvalidInput, match="like GHA-123456789-0"):
        normalise_national_id(typed, "GH")


def test_namibian_id_checks_length_and_birth_date():
    assert normalise_national_id("85010112345", "NA", today=TODAY) == "85010112345"
    with pytest.raises(InvalidInput, match="11 digits"):
        normalise_national_id("8501011234", "NA", today=TODAY)
    with pytest.raises(InvalidInput, match="date of birth"):
        normalise_national_id("85130112345", "NA", today=TODAY)


def test_mask_national_id():
    assert mask_national_id("8001015009087") == "**********087"
