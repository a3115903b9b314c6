"""The directory as Open311 partners meet it: the choices a grievance's service definition
offers, and where in the directory a GeoReport request points.

A GeoReport request says where with a point (`lat`/`long`), an address a person typed,
or an address id; a grievance is filed under a district, and at an office when it is
about one (the office decides whose queue it lands in). An address id is an office's id;
a point finds its district through the nearest office; a typed address must name a
district. A directory service, when the partner names one, picks that service's office
in the district, so the complaint goes to the agency that delivers it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from casework.database import Database
from casework.directory import districts, list_services
from casework.errors import InvalidInput
from casework.models import Agency, Office, Service

# A point farther than this from every office is outside the area the directory covers:
# guessing a district for it would file the complaint where nobody can act on it. Rural
# districts are wide (OR Tambo is about 12,000 km²), so the margin is generous.
MAX_DISTANCE_KM = 100.0
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Choice:
    key: str
    name: str


@dataclass(frozen=True)
class GrievanceChoices:
    """What a grievance's Open311 service definition lets a partner choose from."""

    services: tuple[Choice, ...]  # active directory services, "name (agency)"
    districts: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    """Where a grievance is filed: as `lodge_grievance` takes it."""

    office_id: int | None
    district: str


def grievance_choices(db: Database) -> GrievanceChoices:
    services = tuple(
        Choice(service.code, f"{service.name} ({service.agency})")
        for service in list_services(db, "en")
    )
    return GrievanceChoices(services, tuple(districts(db)))


def directory_changed_at(db: Database) -> dt.datetime | None:
    """When the directory last changed: the service definitions list its services and
    districts, so partners holding a copy need to know."""
    with db.read() as session:
        times = [
            session.scalar(select(func.max(model.updated_at)))
            for model in (Agency, Office, Service)
        ]
    return max(filter(None, times), default=None)


def locate(
    db: Database,
    *,
    office_id: int | None = None,
    point: tuple[float, float] | None = None,
    district: str | None = None,
    address: str | None = None,
    service_code: str | None = None,
) -> Place:
    """The office and district a request points at. Raises InvalidInput naming the
    Open311 field that could not be used.

    An address id (office) is taken as it is. Otherwise the district is the one named,
    else the one of the office nearest the point, else the one the typed address names.
    A named service then picks its office in that district (the nearest to the point, or
    the first by name); without one, the grievance is filed under the district and the
    intake agency's triage routes it, as a complaint made on the web "somewhere in" a
    district is.
    """
    with db.read() as session:
        # A directory holds hundreds of offices, not millions: read once, measured here.
        offices = list(session.scalars(select(Office).order_by(Office.name, Office.id)))
        if office_id is not None:
            office = next((o for o in offices if o.id == office_id), None)
            if office is None:
                raise InvalidInput("address_id", "address_id names no office in the directory")
            return Place(office.id, office.district)
        known = {office.district for office in offices}
        if district is not None and district not in known:
            raise InvalidInput("attribute[district]", "attribute[district] names no district")
        service_offices: list[Office] = []
        if service_code is not None:
            service = session.scalars(
                select(Service)
                .where(Service.code == service_code, Service.active)
                .options(selectinload(Service.offices))
            ).one_or_none()
            if service is None:
                raise InvalidInput("attribute[service]", "attribute[service] names no service")
            service_offices = list(service.offices)

    where = district
    if where is None and point is not None:
        nearest_office = nearest(offices, point)
        if nearest_office is None:
            raise InvalidInput(
                "lat",
                f"lat/long is more than {MAX_DISTANCE_KM:.0f} km from every office: send"
                " attribute[district] instead",
            )
        where = nearest_office.district
    if where is None and address:
        where = district_named_in(address, known)
    if where is None:
        raise InvalidInput(
            "address_string",
            "address_string names no district we know: send attribute[district] too",
        )
    in_district = [office for office in service_offices if office.district == where]
    chosen = (nearest(in_district, point, limit_km=None) if point else None) or next(
        iter(sorted(in_district, key=lambda office: (office.name, office.id))), None
    )
    return Place(chosen.id if chosen else None, where)


def nearest(
    offices: Iterable[Office],
    point: tuple[float, float],
    limit_km: float | None = MAX_DISTANCE_KM,
) -> Office | None:
    """The office nearest `point` (within `limit_km`), of those whose place is known."""
    measured = [
        (distance_km(point, (office.latitude, office.longitude)), office.id, office)
        for office in offices
        if office.latitude is not None and office.longitude is not None
    ]
    if not measured:
        return None
    km, _, office = min(measured, key=lambda item: (item[0], item[1]))
    return office if limit_km is None or km <= limit_km else None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine): plenty for choosing between offices."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def district_named_in(address: str, known: Iterable[str]) -> str | None:
    """The district a typed address names, as a whole word or phrase, in any case. People
    write "Johannesburg" for "City of Johannesburg": the prefix may be left out. The
    longest name wins, so a district named inside another's name is not taken for it."""
    for name in sorted(known, key=len, reverse=True):
        spoken = re.sub(r"^City of ", "", name, flags=re.IGNORECASE)
        for form in {name, spoken}:
            if re.search(rf"\b{re.escape(form)}\b", address, flags=re.IGNORECASE):
                return name
    return None
