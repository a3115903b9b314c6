"""Understanding what a citizen texts in: keywords in every shipped language.

English keywords always work, whatever the phone's language. The word a citizen used
also tells us which language to answer in.
"""

from __future__ import annotations

from dataclasses import dataclass

from casework.errors import InvalidInput
from casework.references import parse_reference

# Per command, the keyword in each language. Short, unaccented words: they are typed on
# keypads, and a keyword with an accent would be mistyped more than it is typed.
KEYWORDS: dict[str, dict[str, str]] = {
    "status": {
        "en": "STATUS",
        "af": "STATUS",
        "zu": "ISIMO",
        "xh": "IMEKO",
        "st": "BOEMO",
        "sw": "HALI",
    },
    "help": {
        "en": "HELP",
        "af": "HULP",
        "zu": "USIZO",
        "xh": "UNCEDO",
        "st": "THUSO",
        "sw": "MSAADA",
    },
    "stop": {
        "en": "STOP",
        "af": "STOP",
        "zu": "YEKA",
        "xh": "YEKA",
        "st": "EMISA",
        "sw": "SITISHA",
    },
    "start": {
        "en": "START",
        "af": "BEGIN",
        "zu": "QALA",
        "xh": "QALISA",
        "st": "QALA",
        "sw": "ANZA",
    },
    "lang": {"en": "LANG", "af": "TAAL", "zu": "ULIMI", "xh": "ULWIMI", "st": "PUO", "sw": "LUGHA"},
}
# The language names a citizen may send after LANG, besides the codes themselves.
LANGUAGE_ALIASES = {
    "en": ("english",),
    "af": ("afrikaans",),
    "zu": ("zulu", "isizulu"),
    "xh": ("xhosa", "isixhosa"),
    "st": ("sesotho", "sotho"),
    "sw": ("kiswahili", "swahili"),
}


@dataclass(frozen=True)
class Command:
    name: str  # status, help, stop, start, lang, other
    # The language the keyword was in, when only that language has this word.
    language: str | None = None
    argument: str = ""
    reference: str | None = None
    # Ten digits whose check digit is wrong: a typo worth pointing out.
    mistyped: bool = False


def understand(text: str) -> Command:
    """What an inbound SMS asks for; `other` when it is not a keyword we know."""
    words = (text or "").strip()
    head, _, rest = words.partition(" ")
    keyword = head.strip(".,!?#*").upper()
    for name, by_language in KEYWORDS.items():
        languages = [lang for lang, word in by_language.items() if word == keyword]
        if not languages:
            continue
        language = languages[0] if len(languages) == 1 and languages[0] != "en" else None
        argument = rest.strip()
        if name == "status":
            return Command(name, language, argument, _reference(argument), _mistyped(argument))
        return Command(name, language, argument)
    # A bare reference (or a mistyped one) is a status question.
    reference = _reference(words)
    if reference is not None or _mistyped(words):
        return Command("status", None, words, reference, reference is None)
    return Command("other")


def language_asked_for(argument: str, offered: list[str]) -> str | None:
    word = argument.strip().lower()
    for code in offered:
        if word == code or word in LANGUAGE_ALIASES.get(code, ()):
            return code
    return None


def _mistyped(text: str) -> bool:
    try:
        parse_reference(text)
    except InvalidInput as error:
        return "mistyped" in error.message
    return False


def _reference(text: str) -> str | None:
    try:
        digits, _kind = parse_reference(text)
    except InvalidInput:
        return None
    return digits
