"""How an SMS will be encoded and how many parts it will be billed as.

Africa's Talking charges per part, and one character outside the GSM 03.38 alphabet turns the
whole message into UCS-2, cutting a part from 160 to 70 characters. Staff write templates in
eleven languages, so previews and checks need to know the real cost before anything is sent.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

GSM7 = "GSM-7"
UCS2 = "UCS-2"

# GSM 03.38 basic table, in code order, without 0x1B (ESC): a literal ESC in our text would be
# read by the handset as the start of an extension sequence, so it cannot be sent as itself.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)

# Sent as ESC + one septet, so each costs two septets of the part's budget.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
_GSM7_ALL = GSM7_BASIC | GSM7_EXTENSION

GSM7_SINGLE_PART = 160
GSM7_MULTI_PART = 153  # the user data header for concatenation takes 7 septets per part
UCS2_SINGLE_PART = 70
UCS2_MULTI_PART = 67  # the same 6-octet header, in 16-bit units


@dataclass(frozen=True)
class SmsSize:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    parts: int  # 1 if it fits one SMS; else the number of concatenated parts


def is_gsm7(text: str) -> bool:
    # A set method rather than a loop over the characters: every USSD screen comes here.
    return _GSM7_ALL.issuperset(text)


def non_gsm_characters(text: str) -> list[str]:
    """The characters that force UCS-2, first appearance first, each once."""
    # A dict keeps insertion order, so it both de-duplicates and preserves the order staff
    # will see the characters in their own text.
    found: dict[str, None] = {}
    for char in text:
        if char not in GSM7_BASIC and char not in GSM7_EXTENSION:
            found.setdefault(char, None)
    return list(found)


# Look-alikes for the punctuation typed text and translations bring in.
_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


def fold_to_gsm7(text: str) -> str:
    """`text` in the GSM-7 alphabet: curly quotes made straight and letters such as ê, ë
    and š without their marks ("vroeë" becomes "vroee"), which every reader still reads.

    For USSD: one letter outside GSM-7 makes the network send a screen as UCS-2, and some
    networks then show only about half of it. Letters GSM-7 has (é, ü, à) are kept.
    """
    if is_gsm7(text):
        return text
    folded = []
    for char in text.translate(_PLAIN):
        if char in GSM7_BASIC or char in GSM7_EXTENSION:
            folded.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        folded.append(base if base and is_gsm7(base) else "?")
    return "".join(folded)


def measure(text: str) -> SmsSize:
    if is_gsm7(text):
        units = len(text)
        if not GSM7_EXTENSION.isdisjoint(text):
            units += sum(1 for char in text if char in GSM7_EXTENSION)
        if units <= GSM7_SINGLE_PART:  # one part, as nearly every text: no need to count each
            return SmsSize(GSM7, units, 1)
        costs = [2 if char in GSM7_EXTENSION else 1 for char in text]
        return _size(GSM7, costs, GSM7_SINGLE_PART, GSM7_MULTI_PART)
    # Characters outside the Basic Multilingual Plane (emoji) are a UTF-16 surrogate pair.
    costs = [2 if ord(char) > 0xFFFF else 1 for char in text]
    return _size(UCS2, costs, UCS2_SINGLE_PART, UCS2_MULTI_PART)


def _size(encoding: str, costs: list[int], single: int, multi: int) -> SmsSize:
    units = sum(costs)
    if units <= single:
        return SmsSize(encoding, units, 1)
    # Fill parts one character at a time rather than dividing: an escape sequence or a surrogate
    # pair is never split across parts, so a part may end one unit short and the message can
    # need one more part than units / multi suggests.
    parts, used = 1, 0
    for cost in costs:
        if used + cost > multi:
            parts += 1
            used = 0
        used += cost
    return SmsSize(encoding, units, parts)
