"""What counts as digits typed on a keypad: 0-9 only.

`str.isdigit()` is also true for "²" and "①", which `int()` then refuses; anything a
citizen types passes through here before it is read as a number.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]+")


def only_digits(text: str) -> bool:
    return _DIGITS.fullmatch(text) is not None
