"""What every USSD screen is made of, and how one is laid out within 182 characters.

A screen is two plain functions, no Flask: `show(ctx, data)` says what to display, and
`answer(ctx, data, choice_or_text)` says where the citizen's input leads. The kit adds the
numbering, the pages (`98 More`), the navigation line (`0 Back 00 Home`) and the error
line, and makes sure the whole reply fits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from casework.database import Database
from casework.errors import CaseworkError
from casework.i18n import translations
from casework.text_encoding import measure

LIMIT = 182  # what a handset shows of one USSD reply, the CON/END prefix included
MORE, BACK, HOME = "98", "0", "00"
LABEL_MAX = 40  # a long service name must not push every other option off the page
# Room kept on every menu page for a one-line error ("Choose a number from the list"), so
# the pages do not shift when one is shown. A question's error goes above the question.
ERROR_RESERVE = 36


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

    def gettext(self, message: str) -> str:
        return translations(self.language).gettext(message)


# What a screen shows.
@dataclass(frozen=True)
class Menu:
    """A title and numbered options, paginated."""

    title: str
    options: list[str]
    nav: bool = True


@dataclass(frozen=True)
class Prompt:
    """A question answered by typing. `zero_is_answer`: 0 is a number here, not Back."""

    text: str
    zero_is_answer: bool = False


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


def home_line(ctx: Context) -> str:
    label = ctx.gettext("Home")
    return f"{HOME} {label}"


def menu_pages(ctx: Context, menu: Menu) -> list[list[int]]:
    """Option indexes on each page: as many as fit under the title, the error reserve,
    `98 More` and the navigation line."""
    fixed = length("CON ") + length(menu.title) + 1 + ERROR_RESERVE
    if menu.nav:
        fixed += length(nav_line(ctx)) + 1
    more = length(more_line(ctx)) + 1
    pages: list[list[int]] = [[]]
    used = fixed
    for index, label in enumerate(menu.options):
        number = len(pages[-1]) + 1
        line = length(f"{number} {truncate(label, LABEL_MAX)}") + 1
        last = index == len(menu.options) - 1
        room = LIMIT - used - (0 if last else more)
        if pages[-1] and line > room:
            pages.append([])
            used = fixed
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
    lines = []
    if error:
        lines.append(error if isinstance(view, Prompt) else truncate(error, ERROR_RESERVE - 1))
    if isinstance(view, Menu):
        pages = menu_pages(ctx, view)
        page %= len(pages)
        lines.append(view.title)
        for number, index in enumerate(pages[page], start=1):
            lines.append(f"{number} {truncate(view.options[index], LABEL_MAX)}")
        if len(pages) > 1:
            lines.append(more_line(ctx))
        if view.nav:
            lines.append(nav_line(ctx))
    elif isinstance(view, Prompt):
        lines.append(view.text)
        lines.append(home_line(ctx) if view.zero_is_answer else nav_line(ctx))
    else:
        pages_of_text = text_pages(ctx, view.text)
        page %= len(pages_of_text)
        lines.append(pages_of_text[page])
        if len(pages_of_text) > 1:
            lines.append(more_line(ctx))
        lines.append(nav_line(ctx))
    return "CON " + "\n".join(lines)


def page_count(ctx: Context, view: View) -> int:
    if isinstance(view, Menu):
        return len(menu_pages(ctx, view))
    if isinstance(view, Info):
        return len(text_pages(ctx, view.text))
    return 1


def fit(reply: str) -> str:
    """The last guard: never send more than the handset shows. Screens are built to fit
    (tests hold every screen in every language to it), so this should never cut."""
    return truncate(reply, LIMIT)


def title_budget(ctx: Context, options: list[str]) -> int:
    """Room left for a menu's title on a one-page menu with these options."""
    used = length("CON ") + ERROR_RESERVE + length(nav_line(ctx)) + 1
    used += sum(
        length(f"{n} {truncate(label, LABEL_MAX)}") + 1 for n, label in enumerate(options, start=1)
    )
    return LIMIT - used - 1


def label_in(ctx: Context, labels: dict[str, str]) -> str:
    """A label stored per language (service data), in the session's language or English."""
    return labels.get(ctx.language) or labels.get("en") or next(iter(labels.values()), "")
