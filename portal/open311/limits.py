"""How often an Open311 caller may call: every call counted per address, and calls
with a key counted per key too (several systems may share one address behind a NAT;
one key is one system).

Rows of the one abuse-limits table (casework.abuse_limits: `open311_per_address`,
`open311_per_key`, changed by `RATE_LIMIT_<NAME>`), counted in the storage the app's
other limits use (Redis when configured, so every worker shares the count), under keyed
hashes as they are.
"""

from __future__ import annotations

from flask import current_app

from portal.open311.errors import Open311Error


def count(name: str, value: str | None) -> None:
    """Count one call by `value`; Open311Error 429 when it is one too many."""
    limits = current_app.extensions.get("abuse_limits")  # absent: limits turned off
    if limits is None or not value:
        return
    refusal = limits.hit(name, value)
    if refusal is not None:
        raise Open311Error(
            429,
            f"Too many requests: try again in {refusal.retry_after} seconds",
            {"Retry-After": str(refusal.retry_after)},
        )
