"""An office as an Open Referral HSDS `location`: its address, phone, opening hours (as
HSDS schedules) and where it is on a map."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import get_global

from casework.hsds_ids import stable_id
from casework.models import Office

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# "…, Johannesburg, 2001": South African addresses end in a town and a 4-digit postcode.
_TOWN_AND_POSTCODE = re.compile(r"^(?P<street>.+),\s*(?P<town>[^,]+),\s*(?P<postcode>\d{4})$")


def location(office: Office) -> dict[str, Any]:
    """`office` as an HSDS location; its agency must be loaded (or loadable)."""
    location_id = stable_id("location", office.id)
    record: dict[str, Any] = {
        "id": location_id,
        "location_type": "physical",
        "organization_id": stable_id("organization", office.agency.code),
        "name": office.name,
        "addresses": [_address(office, location_id)],
        "phones": [
            {
                "id": stable_id("phone", f"location:{office.id}"),
                "location_id": location_id,
                "number": office.phone,
                "type": "voice",
            }
        ]
        if office.phone
        else [],
        "schedules": [
            _schedule(hours, location_id, f"{office.id}:{n}", _utc_offset(office.agency.country))
            for n, hours in enumerate(office.opening_hours)
        ],
    }
    if office.latitude is not None and office.longitude is not None:
        record["latitude"] = office.latitude
        record["longitude"] = office.longitude
    return record


def _address(office: Office, location_id: str) -> dict[str, Any]:
    # The directory keeps an address as one line; HSDS wants the town and postcode apart.
    # Where the line does not end in "town, postcode", all of it is the street part and
    # the town is the office's municipality.
    parts = _TOWN_AND_POSTCODE.match(office.address.strip())
    return {
        "id": stable_id("address", office.id),
        "location_id": location_id,
        "address_1": parts["street"] if parts else office.address,
        "city": parts["town"] if parts else office.municipality,
        "region": office.district,
        "state_province": office.province,
        "postal_code": parts["postcode"] if parts else "",
        "country": office.agency.country,
        "address_type": "physical",
    }


def _schedule(
    hours: dict[str, Any], location_id: str, key: str, offset: str | None
) -> dict[str, Any]:
    days = str(hours.get("days", ""))
    record: dict[str, Any] = {
        "id": stable_id("schedule", key),
        "location_id": location_id,
        "opens_at": f"{hours.get('opens', '')}{offset or ''}",
        "closes_at": f"{hours.get('closes', '')}{offset or ''}",
        # As stored ("Mon-Fri"): readable where `byday` cannot say it.
        "description": f"{days} {hours.get('opens', '')}-{hours.get('closes', '')}".strip(),
    }
    byday = _byday(days)
    if byday:
        record |= {"freq": "WEEKLY", "wkst": "MO", "byday": byday}
    return record


def _byday(days: str) -> str | None:
    """The RFC 5545 days (MO,TU,WE,TH,FR) of "Mon-Fri", of one day, or of a range that
    wraps ("Sat-Mon"); None for days written any other way."""
    ends = days.split("-")
    if len(ends) > 2 or not all(end in _WEEKDAYS for end in ends):
        return None
    first, last = _WEEKDAYS.index(ends[0]), _WEEKDAYS.index(ends[-1])
    return ",".join(_RRULE_DAYS[(first + n) % 7] for n in range((last - first) % 7 + 1))


@functools.cache
def _utc_offset(country: str) -> str | None:
    """The UTC offset ("+02:00") of a country on one time zone all year; else None, and the
    times go out as local times. HSDS asks for opening times with their offset, but a country with
    several zones, or daylight saving, has no one offset to give."""
    zones = get_global("territory_zones").get(country.upper(), ())
    if len(zones) != 1:
        return None
    try:
        zone = ZoneInfo(zones[0])
    except (ZoneInfoNotFoundError, ValueError):
        return None
    winter, summer = (dt.datetime(2025, month, 1, tzinfo=zone).utcoffset() for month in (1, 7))
    if winter is None or winter != summer:
        return None
    minutes = int(winter.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
