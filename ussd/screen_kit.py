"""What every USSD screen is made of, and how one is laid out within 182 characters.

A screen is two plain functions, no Flask: `show(ctx, data)` says what to display, and
`answer(ctx, data, choice_or_text)` says where the citizen's input leads. The kit adds the
numbering, the pages (`98 More`), the navigation line (`0 Back 00 Home`) and the error
line, and makes sure the whole reply fits.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from casework.abuse_limits import AbuseLimits
from casework.database import Database
from casework.errors import CaseworkError
from casework.i18n import translations
from casework.text_encoding import fold_to_gsm7, measure

T = TypeVar("T")

LIMIT = 182  # what a handset shows of one USSD reply, the CON/END prefix included
MORE, BACK, HOME = "98", "0", "00"
LABEL_MAX = 40  # a long service name must not push every other option off the page
# Room kept on each page of text for a one-line error. Menus keep none: an error goes
# above the title, or takes the title's place when both would not fit, so the numbered
# options (what the citizen needs to answer) never move.
ERROR_RESERVE = 34


# Laying out one menu measures its lines some thirty times (pages, labels, the title's
# room), and the same labels come back on every hop: measured once per process.
@lru_cache(maxsize=16384)
def length(text: str) -> int:
    """Characters as the handset counts them: GSM extension characters (€, [, ~) take two."""
    return measure(text).units


@dataclass(frozen=True)
class Context:
    db: Database
    phone: str
    language: str
    languages: tuple[str, ...]
    country: str
    ussd_code: str
    session_id: str
    # Counts tries against the abuse limits; None counts nothing (screens tested alone).
    limits: AbuseLimits | None = None
    # What this hop already read: a hop shows the screen it answers as well as the next
    # one, and both may ask the database the same question. Kept for one hop only.
    read: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)

    def gettext(self, message: str) -> str:
        return translations(self.language).gettext(message)

    def once(self, key: Hashable, load: Callable[[], T]) -> T:
        """`load()`, or what it returned earlier in this hop for the same `key` (which
        names everything the answer depends on, the language included)."""
        if key not in self.read:
            self.read[key] = load()
        return self.read[key]  # type: ignore[no-any-return]


# What a screen shows.
@dataclass(frozen=True)
class Menu:
    """A title and numbered options, paginated."""

    title: str
    options: list[str]
    nav: bool = True


@dataclass(frozen=True)
class Prompt:
    """A question answered by typing."""

    text: str


@dataclass(frozen=True)
class Info:
    """Text to read, in pages; then back or home."""

    text: str


View = Menu | Prompt | Info


# Where an answer leads.
@dataclass(frozen=True)
class Go:
    screen: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Invalid:
    error: str  # an English message id, translated when shown
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_error(cls, error: CaseworkError) -> Invalid:
        return cls(error.message, error.params)


@dataclass(frozen=True)
class End:
    text: str  # already translated


@dataclass(frozen=True)
class GoHome:
    note: str | None = None  # shown above the home menu
    language: str | None = None  # the session switches to it


Outcome = Go | Invalid | End | GoHome


@dataclass(frozen=True)
class Screen:
    show: Callable[[Context, dict[str, Any]], View]
    # Menu: called with the chosen option's index; Prompt: with the text typed.
    answer: Callable[[Context, dict[str, Any], Any], Outcome] | None = None


def truncate(text: str, budget: int) -> str:
    if length(text) <= budget:
        return text
    cut = text
    while cut and length(cut) > budget - 3:
        cut = cut[:-1]
    return cut.rstrip() + "..."


def nav_line(ctx: Context) -> str:
    # Built outside f-strings: pybabel does not look inside them for messages.
    back, home = ctx.gettext("Back"), ctx.gettext("Home")
    return f"{BACK} {back} {HOME} {home}"


def more_line(ctx: Context) -> str:
    label = ctx.gettext("More")
    return f"{MORE} {label}"


def menu_pages(ctx: Context, menu: Menu) -> list[list[int]]:
    """Option indexes on each page: as many as fit under the title and above the
    navigation line (and `98 More`, which every page of a long list shows)."""
    fixed = length("CON ") + length(menu.title) + 1
    if menu.nav:
        fixed += length(nav_line(ctx)) + 1
    everything = _fill(menu.options, LIMIT - fixed)
    if len(everything) == 1:
        return everything
    return _fill(menu.options, LIMIT - fixed - length(more_line(ctx)) - 1)


def _fill(options: list[str], room: int) -> list[list[int]]:
    pages: list[list[int]] = [[]]
    used = 0
    for index, label in enumerate(options):
        line = length(f"{len(pages[-1]) + 1} {truncate(label, LABEL_MAX)}") + 1
        if pages[-1] and used + line > room:
            pages.append([])
            used = 0
            line = length(f"1 {truncate(label, LABEL_MAX)}") + 1
        pages[-1].append(index)
        used += line
    return pages


def text_pages(ctx: Context, text: str) -> list[str]:
    """`text` in chunks that fit with `98 More` and the navigation line, split at spaces."""
    budget = (
        LIMIT
        - length("CON ")
        - ERROR_RESERVE
        - length(nav_line(ctx))
        - 1
        - length(more_line(ctx))
        - 1
    )
    pages, current = [], ""
    for word in text.split(" "):
        candidate = f"{current} {word}".strip() if current else word
        if length(candidate) <= budget:
            current = candidate
            continue
        if current:
            pages.append(current)
        current = truncate(word, budget)
    pages.append(current)
    return pages


def render(ctx: Context, view: View, page: int, error: str | None) -> str:
    """The CON reply for `view` on `page`, with `error` (translated) above it."""
    return fit(compose(ctx, view, page, error))


def compose(ctx: Context, view: View, page: int, error: str | None) -> str:
    """`render` without the last guard, so tests can see a screen that would not fit."""
    if isinstance(view, Menu):
        pages = menu_pages(ctx, view)
        body = [
            f"{n} {truncate(view.options[i], LABEL_MAX)}"
            for n, i in enumerate(pages[page % len(pages)], start=1)
        ]
        if len(pages) > 1:
            body.append(more_line(ctx))
        if view.nav:
            body.append(nav_line(ctx))
        return _with_error(error, view.title, body)
    if isinstance(view, Prompt):
        return _with_error(error, view.text, [nav_line(ctx)])
    chunks = text_pages(ctx, view.text)
    body = [chunks[page % len(chunks)]]
    if len(chunks) > 1:
        body.append(more_line(ctx))
    body.append(nav_line(ctx))
    return "CON " + "\n".join(([truncate(error, ERROR_RESERVE - 1)] if error else []) + body)


def _with_error(error: str | None, title: str, body: list[str]) -> str:
    """Error, title, body; the error in the title's place when all three would not fit."""
    if not error:
        return "CON " + "\n".join([title, *body])
    whole = "CON " + "\n".join([error, title, *body])
    if length(whole) <= LIMIT:
        return whole
    rest = length("CON " + "\n".join(body)) + 1
    return "CON " + "\n".join([truncate(error, LIMIT - rest), *body])


def page_count(ctx: Context, view: View) -> int:
    if isinstance(view, Menu):
        return len(menu_pages(ctx, view))
    if isinstance(view, Info):
        return len(text_pages(ctx, view.text))
    return 1


def fit(reply: str) -> str:
    """The last guard: only GSM-7 letters (see `fold_to_gsm7`), and never more than the
    handset shows. Screens are built to fit (tests hold every screen in every language to
    it), so this should never cut."""
    return truncate(fold_to_gsm7(reply), LIMIT)


def title_budget(ctx: Context, options: list[str]) -> int:
    """Room left for a menu's title on a one-page menu with these options."""
    used = length("CON ") + length(nav_line(ctx)) + 1
    used += sum(
        length(f"{n} {truncate(label, LABEL_MAX)}") + 1 for n, label in enumerate(options, start=1)
    )
    return LIMIT - used - 1


def label_in(ctx: Context, labels: dict[str, str]) -> str:
    """A label stored per language (service data), in the session's language or English."""
    return labels.get(ctx.language) or labels.get("en") or next(iter(labels.values()), "")
