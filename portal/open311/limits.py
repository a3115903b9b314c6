"""How often an Open311 caller may call: every call counted per address, and calls
with a key counted per key too (several systems may share one address behind a NAT;
one key is one system).

Counted in the storage the app's other limits use (Redis when configured, so every
worker shares the count), under keyed hashes as they are (casework.abuse_limits).
`OPEN311_RATE_LIMITS` ({name: "N per period"}) changes a row.
"""

from __future__ import annotations

from flask import current_app
from limits import parse_many

from casework.abuse_limits import AbuseLimits
from portal.open311.errors import Open311Error

LIMITS = {
    # Generous: discovery and service lists are cheap, and a partner syncing its queue
    # reads each new request once.
    "open311_per_address": "300 per minute",
    "open311_per_key": "120 per minute;5000 per hour",
}
_EXTENSION = "open311.limits"


def count(name: str, value: str | None) -> None:
    """Count one call by `value`; Open311Error 429 when it is one too many."""
    limits = _limits()
    if limits is None or not value:
        return
    refusal = limits.hit(name, value)
    if refusal is not None:
        raise Open311Error(
            429,
            f"Too many requests: try again in {refusal.retry_after} seconds",
            {"Retry-After": str(refusal.retry_after)},
        )


def _limits() -> AbuseLimits | None:
    app = current_app
    if _EXTENSION not in app.extensions:
        limiter = app.extensions.get("rate_limits")
        if limiter is None or not limiter.enabled:  # RATELIMIT_ENABLED=false: no limits
            app.extensions[_EXTENSION] = None
        else:
            rows = {**LIMITS, **(app.config.get("OPEN311_RATE_LIMITS") or {})}
            table = {name: parse_many(value) for name, value in rows.items()}
            app.extensions[_EXTENSION] = AbuseLimits(
                limiter.storage, table, app.config["SECRET_KEY"]
            )
    return app.extensions[_EXTENSION]
