"""How long an agency has: to acknowledge a grievance, and to resolve it.

Grievances are acknowledged within 2 working days and resolved within a window set per
category. Sensitive categories (gender-based violence, child abuse) cannot wait for
Monday: 24 hours, counted in calendar hours, to acknowledge and again to resolve.

Working days skip weekends and public holidays, and are counted in South African
local dates: a complaint lodged at 23:30 UTC on a Friday arrives on a Saturday.
Holidays come in as a parameter (the operator's PUBLIC_HOLIDAYS setting, read by the
portal); the default is South Africa's list below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from casework.grievance_categories import BY_CODE
from casework.i18n import DISPLAY_TIMEZONE
from casework.working_days import add_working_days

ACKNOWLEDGE_WITHIN_WORKING_DAYS = 2
SENSITIVE_WITHIN = dt.timedelta(hours=24)

# Working days from acknowledgement to resolution, per grievance category. The sensitive
# categories are not here: they have SENSITIVE_WITHIN.
RESOLVE_WITHIN_WORKING_DAYS: dict[str, int] = {
    "service_delay": 10,
    "payment": 10,
    "access": 10,
    "staff_conduct": 15,
    "fraud_corruption": 20,  # investigations take longer
    "other": 15,
}
# For a category added later without a window of its own.
DEFAULT_RESOLVE_WITHIN_WORKING_DAYS = 15

# South Africa's public holidays (Public Holidays Act 36 of 1994): when one falls on a
# Sunday, the Monday after is a holiday too. Extend with PUBLIC_HOLIDAYS past 2027, and
# add any election day the President proclaims.
DEFAULT_PUBLIC_HOLIDAYS = ",".join(
    (
        # 2026
        "2026-01-01",  # New Year's Day
        "2026-03-21",  # Human Rights Day (a Saturday)
        "2026-04-03",  # Good Friday
        "2026-04-06",  # Family Day
        "2026-04-27",  # Freedom Day
        "2026-05-01",  # Workers' Day
        "2026-06-16",  # Youth Day
        "2026-08-09",  # National Women's Day (a Sunday)
        "2026-08-10",  # ... so the Monday after
        "2026-09-24",  # Heritage Day
        "2026-12-16",  # Day of Reconciliation
        "2026-12-25",  # Christmas Day
        "2026-12-26",  # Day of Goodwill (a Saturday)
        # 2027
        "2027-01-01",  # New Year's Day
        "2027-03-21",  # Human Rights Day (a Sunday)
        "2027-03-22",  # ... so the Monday after
        "2027-03-26",  # Good Friday
        "2027-03-29",  # Family Day
        "2027-04-27",  # Freedom Day
        "2027-05-01",  # Workers' Day (a Saturday)
        "2027-06-16",  # Youth Day
        "2027-08-09",  # National Women's Day
        "2027-09-24",  # Heritage Day
        "2027-12-16",  # Day of Reconciliation
        "2027-12-25",  # Christmas Day (a Saturday)
        "2027-12-26",  # Day of Goodwill (a Sunday)
        "2027-12-27",  # ... so the Monday after
    )
)


def holidays_from(text: str | None) -> frozenset[dt.date]:
    """The dates in a comma-separated list of ISO dates (`2026-12-25,2026-12-26`).

    Raises ValueError naming the first entry that is not a date.
    """
    days = set()
    for entry in (text or "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        try:
            days.add(dt.date.fromisoformat(entry))
        except ValueError:
            raise ValueError(f"{entry!r} is not a date like 2026-12-25") from None
    return frozenset(days)


PUBLIC_HOLIDAYS = holidays_from(DEFAULT_PUBLIC_HOLIDAYS)


def is_sensitive(category: str) -> bool:
    known = BY_CODE.get(category)
    return bool(known and known.sensitive)


def acknowledge_by(
    category: str, lodged_at: dt.datetime, holidays: Collection[dt.date] = PUBLIC_HOLIDAYS
) -> dt.datetime:
    """When a grievance lodged at `lodged_at` must have been acknowledged (in UTC)."""
    if is_sensitive(category):
        return lodged_at.astimezone(dt.UTC) + SENSITIVE_WITHIN
    return _working_days_after(lodged_at, ACKNOWLEDGE_WITHIN_WORKING_DAYS, holidays)


def resolve_by(
    category: str, acknowledged_at: dt.datetime, holidays: Collection[dt.date] = PUBLIC_HOLIDAYS
) -> dt.datetime:
    """When a grievance acknowledged at `acknowledged_at` must be resolved (in UTC)."""
    if is_sensitive(category):
        return acknowledged_at.astimezone(dt.UTC) + SENSITIVE_WITHIN
    days = RESOLVE_WITHIN_WORKING_DAYS.get(category, DEFAULT_RESOLVE_WITHIN_WORKING_DAYS)
    return _working_days_after(acknowledged_at, days, holidays)


def _working_days_after(
    start: dt.datetime, days: int, holidays: Collection[dt.date]
) -> dt.datetime:
    local = start.astimezone(DISPLAY_TIMEZONE)
    return add_working_days(local, days, holidays).astimezone(dt.UTC)
