"""Abuse limits in the USSD channel (the table: casework/abuse_limits.py).

Past a limit the caller gets a valid END screen in their language saying how long to
wait, never an HTTP error: the gateway would show that as a network failure.
"""

from __future__ import annotations

from dataclasses import replace

from casework.abuse_limits import TOO_MANY, Refusal, wait_words
from casework.citizens import citizen_language
from ussd.screen_kit import Context


def refusal(ctx: Context, *tries: tuple[str, str]) -> Refusal | None:
    """Count one try against each (limit name, key); the first limit reached, if any."""
    if ctx.limits is None:
        return None
    for name, key in tries:
        refused = ctx.limits.hit(name, key)
        if refused is not None:
            return refused
    return None


def too_many(ctx: Context, refused: Refusal, *, saved_language: bool = False) -> str:
    """What the END screen says (without `END `). `saved_language`: the session has not
    yet looked up the caller's language (a first hop), so look it up here."""
    if saved_language:
        language = citizen_language(ctx.db, ctx.phone)
        if language in ctx.languages:
            ctx = replace(ctx, language=language)
    message, params = wait_words(refused.retry_after)
    return f"{ctx.gettext(TOO_MANY)} {ctx.gettext(message) % params}"
