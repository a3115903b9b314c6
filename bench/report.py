"""One row per measured figure, and the table `make bench` prints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    section: str  # which benchmark: "ussd", "relay", "scale", "pages"
    name: str  # what was measured, in words
    value: float
    unit: str  # "ms", "msg/s", "x", "KB", ...
    # The target as text ("<= 25 ms", ">= 0.6x"), and whether the value meets it. A
    # figure with no target (the load it ran under, say) is context, never a failure.
    target: str = ""
    met: bool | None = None
    note: str = ""  # the load or conditions the value was measured under


def table(figures: Sequence[Figure]) -> str:
    header = ("section", "figure", "value", "target", "", "conditions")
    rows = [
        (
            f.section,
            f.name,
            f"{_number(f.value)} {f.unit}".strip(),
            f.target,
            {True: "ok", False: "MISSED", None: ""}[f.met],
            f.note,
        )
        for f in figures
    ]
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in (header, *rows)
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def missed(figures: Sequence[Figure]) -> list[Figure]:
    return [f for f in figures if f.met is False]


def _number(value: float) -> str:
    if value == int(value) and abs(value) >= 10:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
