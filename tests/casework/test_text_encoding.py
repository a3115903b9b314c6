"""SMS part counting: what a message will cost before it is sent."""

from __future__ import annotations

import pytest

from casework.text_encoding import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    SmsSize,
    fold_to_gsm7,
    is_gsm7,
    measure,
    non_gsm_characters,
)

GRINNING = "\U0001f600"  # outside the BMP: one code point, two UTF-16 units


def test_empty_text_is_one_gsm_part() -> None:
    assert measure("") == SmsSize("GSM-7", 0, 1)
    assert is_gsm7("")
    assert non_gsm_characters("") == []


def test_tables_have_the_standard_sizes() -> None:
    # 128 basic positions less ESC, which is never sent as itself; ten extension characters.
    assert len(GSM7_BASIC) == 127
    assert len(GSM7_EXTENSION) == 10
    assert not GSM7_BASIC & GSM7_EXTENSION


@pytest.mark.parametrize(
    ("length", "parts"),
    [(1, 1), (160, 1), (161, 2), (153 * 2, 2), (153 * 2 + 1, 3), (153 * 3, 3), (153 * 3 + 1, 4)],
)
def test_gsm7_part_boundaries(length: int, parts: int) -> None:
    assert measure("a" * length) == SmsSize("GSM-7", length, parts)


@pytest.mark.parametrize(
    ("length", "parts"),
    [(1, 1), (70, 1), (71, 2), (67 * 2, 2), (67 * 2 + 1, 3)],
)
def test_ucs2_part_boundaries(length: int, parts: int) -> None:
    assert measure("ê" * length) == SmsSize("UCS-2", length, parts)


def test_whole_basic_table_is_gsm7_at_one_septet_each() -> None:
    text = "".join(sorted(GSM7_BASIC))
    assert measure(text) == SmsSize("GSM-7", 127, 1)


@pytest.mark.parametrize("char", sorted(GSM7_EXTENSION))
def test_each_extension_character_costs_two_septets(char: str) -> None:
    assert measure(f"a{char}b") == SmsSize("GSM-7", 4, 1)


def test_extension_characters_count_double_against_the_single_part_limit() -> None:
    assert measure("€" * 80) == SmsSize("GSM-7", 160, 1)
    assert measure("€" * 81) == SmsSize("GSM-7", 162, 2)


def test_extension_escape_is_not_split_across_parts() -> None:
    # 306 septets would divide into exactly two parts of 153, but the euro sign's two septets
    # would straddle the first boundary, so it moves to part two and the tail spills into three.
    text = "a" * 152 + "€" + "a" * 152
    assert measure(text) == SmsSize("GSM-7", 306, 3)


def test_extension_character_that_fits_exactly_at_the_end_of_a_part() -> None:
    text = "a" * 151 + "€" + "a" * 153
    assert measure(text) == SmsSize("GSM-7", 306, 2)


def test_emoji_count_two_units() -> None:
    assert measure(GRINNING) == SmsSize("UCS-2", 2, 1)
    assert measure(GRINNING * 35) == SmsSize("UCS-2", 70, 1)
    assert measure(GRINNING * 36) == SmsSize("UCS-2", 72, 2)
    assert measure("Siyabonga " + GRINNING) == SmsSize("UCS-2", 12, 1)


def test_surrogate_pair_is_not_split_across_parts() -> None:
    text = "ê" * 66 + GRINNING + "ê" * 66
    assert measure(text) == SmsSize("UCS-2", 134, 3)


@pytest.mark.parametrize(
    ("text", "culprit"),
    [
        ("Ons sê dankie vir jou geduld", "ê"),  # Afrikaans
        ("Kgopelo ya gago e amogetšwe", "š"),  # Sepedi
        ("We’ve received your application", "’"),
        ("Bonjour François", "ç"),
        ("‘Approved’", "‘"),
        ("“Approved”", "“"),
    ],
)
def test_characters_outside_gsm_force_ucs2(text: str, culprit: str) -> None:
    assert not is_gsm7(text)
    assert measure(text).encoding == "UCS-2"
    assert culprit in non_gsm_characters(text)


def test_upper_case_c_cedilla_is_gsm_but_lower_case_is_not() -> None:
    assert is_gsm7("Ç")
    assert not is_gsm7("ç")


def test_non_gsm_characters_are_in_order_of_first_appearance_without_repeats() -> None:
    text = f"ê’ aê š’ {GRINNING}ç ê"
    assert non_gsm_characters(text) == ["ê", "’", "š", GRINNING, "ç"]
    assert non_gsm_characters("Hello [world] €5") == []


def test_afrikaans_stays_gsm7() -> None:
    assert measure("Jou aansoek is ontvang") == SmsSize("GSM-7", 22, 1)


def test_isizulu_stays_gsm7() -> None:
    text = (
        "Sawubona. Isicelo sakho senkxaso yezingane sitholakele. Inombolo yakho yereferensi "
        "ngu-THU-4821. Sizokwazisa uma sesiqediwe."
    )
    size = measure(text)
    assert size == SmsSize("GSM-7", len(text), 1)
    assert non_gsm_characters(text) == []


def test_folding_into_gsm7_keeps_what_gsm7_has_and_plains_the_rest():
    assert fold_to_gsm7("Plain text stays, é ü à too") == "Plain text stays, é ü à too"
    assert fold_to_gsm7("vroeë leer, wêreld, ’n dokument “hier”") == (
        'vroee leer, wereld, \'n dokument "hier"'
    )
    assert fold_to_gsm7("Šola – 5…") == "Sola - 5..."
    assert measure(fold_to_gsm7("ê ë ô š ’ 😀")).encoding == "GSM-7"
