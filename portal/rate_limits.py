"""Abuse limits on the web: per address, and per phone number, reference or username where
a request carries one (the table, and the USSD and SMS side: casework/abuse_limits.py).

A view is marked with `@limited(name, key)`. `init_app`, run once every blueprint is
registered, gives the app a Flask-Limiter of its own (so two apps in one process never
share a storage by accident) and applies the marked limits to its views, shared by
name: tracking with a phone number and signing in count against the same SMS codes.
Counts live in Redis when it is configured (every worker shares them), else in process.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_limiter import Limiter
from werkzeug.exceptions import TooManyRequests

from casework.abuse_limits import LIMITS, AbuseLimits, parse_table, wait_words
from casework.errors import InvalidInput
from casework.phones import normalise_phone
from portal.config import ConfigError

RULES = "_abuse_limits"


@dataclass(frozen=True)
class Rule:
    name: str  # a row of the table
    key: Callable[[], str | None]  # None: the limit does not apply to this request
    counts: Callable[[Response], bool] | None  # None: every try counts
    refused: Callable[[str], ResponseReturnValue] | None  # the view's own refusal page


def limited(
    name: str,
    key: Callable[[], str | None],
    *,
    counts: Callable[[Response], bool] | None = None,
    refused: Callable[[str], ResponseReturnValue] | None = None,
) -> Callable[[Any], Any]:
    """Limit POSTs to this view by `name`'s row of the table, counted per `key()`.

    `counts` says which answers use up a try (a form sent, say, not one sent back with
    errors); `refused(wait)` renders the view's own page when the limit is reached,
    instead of the "Too many tries" page.
    """
    if name not in LIMITS:
        raise ValueError(f"no such rate limit: {name}")

    def mark(view: Any) -> Any:
        view.__dict__.setdefault(RULES, []).append(Rule(name, key, counts, refused))
        return view

    return mark


# Keys.
def client_address() -> str | None:
    return request.remote_addr  # the citizen's own, behind PROXY_COUNT proxies


def typed_phone() -> str | None:
    """The mobile number typed in the form, as the view will use it."""
    try:
        return normalise_phone(request.form.get("phone", ""), current_app.config["PORTAL_COUNTRY"])
    except InvalidInput:
        return None  # the form is sent back with an error; nothing is sent


# Which answers use up a try.
def redirected(response: Response) -> bool:
    """The form was accepted (an SMS code sent): the view moves on."""
    return response.status_code in (302, 303)


def sent(response: Response) -> bool:
    """A complaint or application was sent: the view moves on to its `.../sent` page."""
    return redirected(response) and urlsplit(response.location or "").path.endswith("/sent")


def init_app(app: Flask) -> None:
    config = app.config
    redis_url = config.get("REDIS_URL")
    config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    if redis_url:
        # As for every Redis client of ours: a Redis that stopped answering fails fast.
        config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_timeout": 1, "socket_connect_timeout": 1}
        )
    config.setdefault("RATELIMIT_STRATEGY", "fixed-window")
    # No X-RateLimit-* headers: the count left for a phone number would tell a stranger how
    # often it was used lately. A refusal says when to come back (Retry-After), no more.
    config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    # Redis down: count in this process until it is back, rather than answer with a 500.
    config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    overrides = dict(config.get("RATE_LIMITS") or {})
    try:
        table = parse_table(overrides)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    texts = {**LIMITS, **overrides}

    limiter = Limiter(key_func=client_address, default_limits=[])
    limiter.init_app(app)
    app.extensions["rate_limits"] = limiter

    @app.errorhandler(TooManyRequests)
    def too_many(error: TooManyRequests) -> Response:
        current = limiter.current_limit
        seconds = max(1, math.ceil(current.window.reset_time - time.time())) if current else 3600
        message, params = wait_words(seconds)
        wait = gettext(message, **params)
        view = app.view_functions.get(request.endpoint or "")
        refused = next((r.refused for r in getattr(view, RULES, ()) if r.refused), None)
        if refused is not None:
            response = make_response(refused(wait))
        else:
            response = make_response(render_template("too_many.html", wait=wait), 429)
        response.headers["Retry-After"] = str(seconds)
        return response

    if not limiter.enabled:  # RATELIMIT_ENABLED=false: no limits on any channel
        return
    abuse = AbuseLimits(limiter.storage, table, config["SECRET_KEY"])
    # The same counts, for the channels that know their key only inside (USSD, SMS).
    app.extensions["abuse_limits"] = abuse
    for endpoint, view in list(app.view_functions.items()):
        limited_view = view
        for rule in getattr(view, RULES, ()):
            limited_view = limiter.shared_limit(
                texts[rule.name],
                scope=rule.name,  # the same name: the same count, on every view and channel
                key_func=_hashed(abuse, rule),
                methods=["POST"],
                exempt_when=_not_applying(rule),
                deduct_when=rule.counts,
            )(limited_view)
        app.view_functions[endpoint] = limited_view


def _hashed(abuse: AbuseLimits, rule: Rule) -> Callable[[], str]:
    # Only called when the rule applies (see _not_applying), so key() is not None.
    return lambda: abuse.key(rule.key() or "")


def _not_applying(rule: Rule) -> Callable[[], bool]:
    return lambda: request.method != "POST" or not rule.key()
