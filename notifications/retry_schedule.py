"""When to try again after a transient failure: one schedule for every outbox the relay
drains (SMS and webhook deliveries)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Protocol

from casework.models import utcnow


class RetrySettings(Protocol):
    retry_window: dt.timedelta
    backoff_base: dt.timedelta
    backoff_cap: dt.timedelta


def next_attempt_at(
    settings: RetrySettings, attempts: int, created_at: dt.datetime, rng: random.Random
) -> dt.datetime | None:
    """Exponential backoff from `attempts` already made, capped, with jitter (so rows that
    failed together do not all come back together); None when that would fall outside
    the retry window counted from `created_at`: the row has then expired."""
    delay = min(settings.backoff_cap, settings.backoff_base * (2**attempts)) * rng.uniform(0.5, 1.0)
    retry_at = utcnow() + delay
    if retry_at - created_at > settings.retry_window:
        return None
    return retry_at
