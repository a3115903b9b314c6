"""Service levels are promised in working days: weekends (and public holidays) don't count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection


def add_working_days(
    start: dt.datetime, days: int, holidays: Collection[dt.date] = ()
) -> dt.datetime:
    """The moment `days` working days after `start`, at the same time of day.

    Days are counted in `start`'s own calendar: pass a local time (see
    `casework.service_levels`) so that 23:30 UTC on a Friday counts as the Saturday it
    already is in Johannesburg.
    """
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current.date(), holidays):
            remaining -= 1
    return current


def is_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> bool:
    return day.weekday() < 5 and day not in holidays
