"""Finding English left over in a page, a USSD screen or an SMS meant for another language.

The English to look for is every message in the catalog whose translation differs from it
(a message translated to itself, like "PIN" or "Thusa", is a proper name or a shared
word), cut at its placeholders into phrases of two words or more, plus the English
directory texts the language has its own words for.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from casework.i18n import TRANSLATIONS_DIR

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}|<[^>]+>")
WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*")
DIRECTORY_TEXTS = Path(__file__).resolve().parents[1] / "casework" / "demo_directory_text"


def _phrases(english: str) -> list[str]:
    found = []
    for piece in PLACEHOLDER.split(english):
        piece = " ".join(piece.split()).strip(" .,:;!?()-–")
        if len(WORDS.findall(piece)) >= 2:
            found.append(piece)
    return found


@cache
def english_phrases(language: str) -> tuple[str, ...]:
    """The English phrases that must not appear in `language`'s text, longest first."""
    path = TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    phrases: set[str] = set()
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        translated = " ".join(s for s in strings if s)
        for english in ids:
            for phrase in _phrases(english):
                # A phrase the translation keeps (a name, "SMS part(s)") is not English left.
                if phrase not in translated:
                    phrases.add(phrase)
    texts = DIRECTORY_TEXTS / f"{language}.json"
    if texts.exists():
        from casework.demo_directory_data import SERVICES

        ours = json.loads(texts.read_text(encoding="utf-8"))
        for service in SERVICES:
            if service["code"] not in ours["services"]:
                continue
            text = service["text"]
            mine = json.dumps(ours["services"][service["code"]], ensure_ascii=False)
            for value in (text["name"], text["description"], text["eligibility"]):
                phrases.update(p for p in _phrases(value) if len(p) > 15 and p not in mine)
    return tuple(sorted(phrases, key=len, reverse=True))


def visible_text(page: str) -> str:
    """What a reader sees: no tags, scripts or styles; entities decoded; spaces collapsed."""
    page = re.sub(r"(?is)<(style|script)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return " ".join(html.unescape(page).split())


def english_left(text: str, language: str) -> list[str]:
    """The English phrases found in `text` (whole words only)."""
    found = []
    for phrase in english_phrases(language):
        if re.search(rf"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z])", text):
            found.append(phrase)
    return found
