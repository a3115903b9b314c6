"""Service levels are promised in working days: weekends (and public holidays) don't count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection


def add_working_days(
    start: dt.datetime, days: int, holidays: Collection[dt.date] = ()
) -> dt.datetime:
    """The moment `days` working days after `start`, at the same time of day."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current.date() not in holidays:
            remaining -= 1
    return current
