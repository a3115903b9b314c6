import itertools
import random

import pytest

from casework.errors import InvalidInput
from casework.references import (
    damm_digit,
    format_reference,
    is_valid,
    new_reference,
    parse_reference,
)

rng = random.Random(20261124)
SAMPLE = [new_reference(lambda: str(rng.randrange(10**8, 10**9))) for _ in range(300)]


def test_reference_is_ten_digits_and_valid():
    for _ in range(1000):
        reference = new_reference()
        assert len(reference) == 10 and reference.isdigit() and reference[0] != "0"
        assert is_valid(reference)


@pytest.mark.parametrize("reference", SAMPLE[:100])
def test_reference_check_digit_catches_every_single_digit_error(reference):
    for position in range(10):
        for digit in "0123456789":
            if digit == reference[position]:
                continue
            typo = reference[:position] + digit + reference[position + 1 :]
            assert not is_valid(typo), f"{typo} slipped through (from {reference})"


@pytest.mark.parametrize("reference", SAMPLE)
def test_reference_check_digit_catches_every_adjacent_transposition(reference):
    for position in range(9):
        a, b = reference[position], reference[position + 1]
        if a == b:
            continue
        swapped = reference[:position] + b + a + reference[position + 2 :]
        assert not is_valid(swapped), f"{swapped} slipped through (from {reference})"


def test_reference_check_digit_catches_all_transpositions_of_every_digit_pair():
    # Exhaustive over the digit pairs, in every position of a fixed body.
    body = "482719350"
    for position in range(8):
        for a in "0123456789":
            for b in "0123456789":
                if a == b:
                    continue
                candidate = body[:position] + a + b + body[position + 2 :]
                reference = candidate + damm_digit(candidate)
                swapped = candidate[:position] + b + a + candidate[position + 2 :]
                assert not is_valid(swapped + reference[-1])


def test_references_are_random_not_sequential():
    references = [int(new_reference()) for _ in range(200)]
    assert len(set(references)) == 200
    gaps = {abs(b - a) for a, b in itertools.pairwise(references)}
    assert min(gaps) > 1000  # no neighbours: one reference gives away no other


def test_format_reference_groups_for_reading_aloud():
    assert format_reference("4827193506") == "4827 1935 06"
    assert format_reference("4827193506", "grievance") == "G 4827 1935 06"


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("{r}", None),
        ("{g}", None),
        ("#{r}", None),
        ("{r}#", None),
        ("G {g}", "grievance"),
        ("g-{d}", "grievance"),
        ("A{r}", "application"),
        ("r {g}", "referral"),
        (" {d} ", None),
        ("{r[0]}{r[1]}{r[2]}{r[3]}.{r[4]}{r[5]}{r[6]}{r[7]}.{r[8]}{r[9]}", None),
    ],
)
def test_parse_reference_forgives_how_people_type_it(typed, kind):
    reference = SAMPLE[0]
    text = typed.format(
        r=reference,
        g=format_reference(reference),
        d="-".join((reference[:4], reference[4:8], reference[8:])),
    )
    assert parse_reference(text) == (reference, kind)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your reference number"),
        ("#", "Enter your reference number"),
        ("12345", "A reference number has 10 digits, like 4827 1935 06"),
        ("48271935O6", "A reference number has 10 digits, like 4827 1935 06"),
        ("X 4827193506", "A reference number has 10 digits, like 4827 1935 06"),
        ("482719350²", "A reference number has 10 digits, like 4827 1935 06"),
    ],
)
def test_parse_reference_explains_what_is_wrong(typed, message):
    with pytest.raises(InvalidInput) as error:
        parse_reference(typed)
    assert error.value.message == message


def test_parse_reference_rejects_a_mistyped_digit():
    reference = SAMPLE[1]
    typo = reference[:3] + str((int(reference[3]) + 1) % 10) + reference[4:]
    with pytest.raises(InvalidInput, match="mistyped"):
        parse_reference(typo)
