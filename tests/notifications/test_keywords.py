import pytest

from casework.references import format_reference, new_reference
from notifications.keywords import KEYWORDS, language_asked_for, understand

REFERENCE = new_reference()


@pytest.mark.parametrize(
    ("text", "name", "language"),
    [
        ("HELP", "help", None),
        ("help", "help", None),
        ("  Help! ", "help", None),
        ("HULP", "help", "af"),
        ("usizo", "help", "zu"),
        ("Msaada", "help", "sw"),
        ("STOP", "stop", None),
        ("yeka", "stop", None),  # isiZulu and isiXhosa share it: no language guessed
        ("START", "start", None),
        ("qalisa", "start", "xh"),
        ("LANG zu", "lang", None),
        ("ulimi zu", "lang", "zu"),
        ("hello there", "other", None),
        ("", "other", None),
    ],
)
def test_understand_keywords_in_every_language(text, name, language):
    command = understand(text)
    assert (command.name, command.language) == (name, language)


def test_every_command_has_a_keyword_in_every_shipped_language():
    for by_language in KEYWORDS.values():
        assert set(by_language) == {"en", "af", "zu", "xh", "st", "sw"}
        for word in by_language.values():
            assert word.isascii() and word.isalpha() and word.isupper()


@pytest.mark.parametrize(
    "text",
    [
        "STATUS {r}",
        "status {g}",
        "Status #{r}",
        "ISIMO {g}",
        "hali {r}",
        "{g}",
        "{r}",
        "G{r}",
    ],
)
def test_understand_status_with_the_reference_typed_any_way(text):
    command = understand(text.format(r=REFERENCE, g=format_reference(REFERENCE, "grievance")))
    assert command.name == "status"
    assert command.reference == REFERENCE


def test_understand_status_without_a_valid_reference_keeps_the_question():
    command = understand("STATUS 12345")
    assert command.name == "status" and command.reference is None


@pytest.mark.parametrize(
    ("argument", "code"),
    [
        ("zu", "zu"),
        ("ZU", "zu"),
        ("isiZulu", "zu"),
        ("Afrikaans", "af"),
        ("swahili", "sw"),
        ("fr", None),
        ("", None),
    ],
)
def test_language_asked_for(argument, code):
    assert language_asked_for(argument, ["en", "af", "zu", "xh", "st", "sw"]) == code


def test_language_asked_for_only_offers_the_deployments_languages():
    assert language_asked_for("zu", ["en", "af"]) is None
