"""One USSD hop: from the gateway's cumulative `text` to the next screen.

Africa's Talking sends every input of the session so far joined by `*`. The new input is
what follows the text seen on the last hop (kept in the session), because citizens type
`*` too. A hop the gateway sends again gets the reply it got the first time, without
running twice; a session cut off half-way through a form is offered back when the number
dials again.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from casework.citizens import citizen_language
from casework.errors import N_
from casework.keypad import only_digits
from casework.phones import mask_phone
from ussd.screen_kit import (
    BACK,
    HOME,
    LIMIT,
    MORE,
    Context,
    End,
    GoHome,
    Info,
    Invalid,
    Menu,
    Outcome,
    Prompt,
    menu_pages,
    page_count,
    render,
    truncate,
)
from ussd.screens import SCREENS
from ussd.session_store import SessionStore
from ussd.throttle import refusal, too_many

log = logging.getLogger(__name__)

SESSION_TTL = 300  # gateways end a USSD session within about three minutes
RESUME_TTL = 600  # "continue where you left off" for ten minutes
STACK_MAX = 30
REPLIES_KEPT = 8  # earlier hops a gateway may still resend
# Inputs a first hop may carry and still be walked through: more than a citizen types in
# one session. A 2 kB text of "98*" would otherwise take seconds of work for one request.
REPLAY_MAX = 40
BUSY = N_("We are busy. Please dial again in a minute.")
WRONG_PHONE = N_("Please dial again.")
# Shown over a confirmation rebuilt after the session store lost the session: the key the
# citizen pressed on it was not acted on, and nothing was sent.
LOST_PLACE = N_("Sorry, we lost your place. Choose again.")
# Screens worth coming back to: a form half filled in. Reading a case or the directory
# is quicker to redo than to be asked about.
RESUMABLE = {
    "apply_question",
    "apply_number",
    "apply_confirm",
    "complaint_district",
    "complaint_office",
    "complaint_description",
    "complaint_anonymous",
    "complaint_confirm",
}


def handle_hop(ctx: Context, store: SessionStore, text: str) -> str:
    """The reply (`CON ...` or `END ...`) to this hop of `ctx.session_id`."""
    key = "session:" + ctx.session_id
    with store.lock(key, timeout=8) as acquired:
        if not acquired:
            return "END " + ctx.gettext(BUSY)
        record = store.get(key)
        if record is not None and record["phone"] != ctx.phone:
            return "END " + ctx.gettext(WRONG_PHONE)
        if record is not None:
            earlier = _earlier_reply(record, text)
            if earlier is not None:
                return earlier  # the gateway sent an old hop again: change nothing
            ctx = replace(ctx, language=record["state"]["language"])
        refused = refusal(ctx, ("ussd_hop_per_phone", ctx.phone))
        if refused is not None:
            # A runaway or scripted session ends here; a resent hop gets this END again.
            state = record["state"] if record is not None else home_state(ctx.language)
            reply = "END " + too_many(ctx, refused, saved_language=record is None)
            replies = {text: reply}
        elif record is not None:
            state, reply = step(ctx, record["state"], new_input(record["seen"], text))
            replies = {**record["replies"], text: reply}
        else:
            state, reply = _start(ctx, store, text)
            replies = {text: reply}
        ended = reply.startswith("END ")
        store.put(
            key,
            {
                "phone": ctx.phone,
                "seen": text,
                "reply": reply,
                "ended": ended,
                "state": state,
                "replies": dict(list(replies.items())[-REPLIES_KEPT:]),
            },
            SESSION_TTL,
        )
        if refused is None:  # else a form half filled in stays on offer for after the wait
            _keep_for_resume(store, ctx.phone, state, ended)
        return reply


def _earlier_reply(record: dict[str, Any], text: str) -> str | None:
    """The reply to a hop already answered: the same one again, or for a finished session
    its END, whatever comes after (nothing may be submitted twice)."""
    if record["ended"]:
        return record["reply"]
    if text in record["replies"]:
        return record["replies"][text]
    if record["seen"].startswith(text + "*") or (text == "" and record["seen"]):
        return record["reply"]  # older than we kept: show where the session is now
    return None


def new_input(seen: str, text: str) -> str:
    """What the citizen typed on this hop."""
    if seen == "":
        return text
    if text.startswith(seen + "*"):
        return text[len(seen) + 1 :]
    # The gateway's text does not extend what we saw (it should): take the last part.
    return text.rsplit("*", 1)[-1]


def home_state(language: str) -> dict[str, Any]:
    return {"screen": "home", "data": {}, "page": 0, "stack": [], "language": language}


def _start(ctx: Context, store: SessionStore, text: str) -> tuple[dict[str, Any], str]:
    saved_language = citizen_language(ctx.db, ctx.phone)
    if saved_language in ctx.languages:
        ctx = replace(ctx, language=saved_language)
    state = home_state(ctx.language)
    if text and text.count("*") < REPLAY_MAX:
        return _replay(ctx, state, text.split("*"))
    if text:
        return state, _render(ctx, state, None)
    saved = store.get("resume:" + ctx.phone)
    if saved is not None:
        state = {**state, "screen": "resume", "data": {"resume": saved}}
    return state, _render(ctx, state, None)


def _replay(ctx: Context, state: dict[str, Any], inputs: list[str]) -> tuple[dict[str, Any], str]:
    """A first hop that already carries inputs: a shortcut dialled (`*120*3210*3#`), or a
    session this store lost (Redis stopped, say). Walk the inputs from home, stopping short
    of anything that would submit: the citizen confirms that again themselves, told why
    they see the confirmation again."""
    reply = _render(ctx, state, None)
    for typed in inputs:
        if state["screen"].endswith("_confirm"):
            return state, _render(ctx, state, ctx.gettext(LOST_PLACE))
        state, reply = step(ctx, state, typed)
        if reply.startswith("END "):
            break
    return state, reply


def step(ctx: Context, state: dict[str, Any], typed: str) -> tuple[dict[str, Any], str]:
    """Apply one input to a session state: (new state, reply). Pure apart from the casework
    calls the screens make."""
    typed = typed.strip()
    if state["screen"] == "resume":
        return _resume(ctx, state, typed)
    screen = SCREENS[state["screen"]]
    view = screen.show(ctx, state["data"])
    if typed == HOME:
        return _home(ctx, state["language"])
    if typed == BACK:
        if not state["stack"]:
            return _home(ctx, state["language"])
        previous = {
            **_back(state["stack"][-1], state["data"]),
            "stack": state["stack"][:-1],
            "language": state["language"],
        }
        return previous, _render(ctx, previous, None)
    if typed == MORE and page_count(ctx, view) > 1:
        state = {**state, "page": state["page"] + 1}
        return state, _render(ctx, state, None)
    return _apply(ctx, state, _answer(ctx, screen, view, state, typed))


def _answer(ctx: Context, screen: Any, view: Any, state: dict[str, Any], typed: str) -> Outcome:
    if isinstance(view, Info) or screen.answer is None:
        return Invalid(N_("Reply 0 to go back, 00 for home"))
    if isinstance(view, Prompt):
        return screen.answer(ctx, state["data"], typed)
    index = _chosen(ctx, view, state["page"], typed)
    if index is None:
        return Invalid(N_("Choose a number from the list"))
    return screen.answer(ctx, state["data"], index)


def _chosen(ctx: Context, view: Menu, page: int, typed: str) -> int | None:
    pages = menu_pages(ctx, view)
    on_page = pages[page % len(pages)]
    if only_digits(typed) and 1 <= int(typed) <= len(on_page):
        return on_page[int(typed) - 1]
    return None


def _apply(ctx: Context, state: dict[str, Any], outcome: Outcome) -> tuple[dict[str, Any], str]:
    if isinstance(outcome, Invalid):
        return state, _render(ctx, state, ctx.gettext(outcome.error) % outcome.params)
    if isinstance(outcome, End):
        return state, truncate("END " + outcome.text, LIMIT)
    if isinstance(outcome, GoHome):
        language = outcome.language or state["language"]
        home = home_state(language)
        return home, _render(replace(ctx, language=language), home, outcome.note)
    data = {**state["data"], **outcome.data}
    here = {"screen": state["screen"], "page": state["page"], **_undo(state["data"], data)}
    following = {
        "screen": outcome.screen,
        "data": data,
        "page": 0,
        "stack": [*state["stack"], here][-STACK_MAX:],
        "language": state["language"],
    }
    return following, _render(ctx, following, None)


def _undo(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What takes a screen's data `after` back to `before`: the values it changed and the
    keys it added. Kept on the stack instead of a whole copy of `before` per screen, which
    a long form (its questions ride along in the data) made tens of kilobytes a hop."""
    return {
        "changed": {
            key: value for key, value in before.items() if key not in after or after[key] != value
        },
        "added": [key for key in after if key not in before],
    }


def _back(frame: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The screen a stack frame left, with its data rebuilt from the data now."""
    if "data" in frame:  # a frame kept whole (sessions saved before frames kept changes)
        return {key: frame[key] for key in ("screen", "data", "page")}
    kept = {key: value for key, value in data.items() if key not in frame["added"]}
    return {"screen": frame["screen"], "page": frame["page"], "data": {**kept, **frame["changed"]}}


def _home(ctx: Context, language: str) -> tuple[dict[str, Any], str]:
    state = home_state(language)
    return state, _render(ctx, state, None)


def _resume(ctx: Context, state: dict[str, Any], typed: str) -> tuple[dict[str, Any], str]:
    if typed == "1":
        saved = {**state["data"]["resume"], "language": state["language"]}
        try:
            return saved, _render(ctx, saved, None)
        except (KeyError, IndexError, TypeError):
            # The form changed since (a service edited, say): better to start again.
            log.info("could not resume a USSD journey for %s", mask_phone(ctx.phone))
            return _home(ctx, state["language"])
    if typed in ("2", HOME, BACK):
        return _home(ctx, state["language"])
    return state, _render(ctx, state, ctx.gettext("Choose a number from the list"))


def _render(ctx: Context, state: dict[str, Any], error: str | None) -> str:
    if state["screen"] == "resume":
        view: Any = Menu(
            ctx.gettext("You did not finish last time."),
            [ctx.gettext("Continue where you left off"), ctx.gettext("Start again")],
            nav=False,
        )
    else:
        view = SCREENS[state["screen"]].show(ctx, state["data"])
    return render(ctx, view, state["page"], error)


def _keep_for_resume(store: SessionStore, phone: str, state: dict[str, Any], ended: bool) -> None:
    """Remember an unfinished form by phone number, so a dropped call can pick it up."""
    if state["screen"] == "resume":
        return  # still offered: a call dropped on the offer keeps it
    if ended or state["screen"] not in RESUMABLE:
        store.delete("resume:" + phone)
        return
    store.put(
        "resume:" + phone, {k: state[k] for k in ("screen", "data", "page", "stack")}, RESUME_TTL
    )
