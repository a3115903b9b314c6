"""GET Service Requests and GET Service Request: grievances in the key's scope, with the
spec's filters and fields. Never a name, phone or ID number: GeoReport has no field for
them, and a partner needs none to follow a complaint.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import request
from flask.typing import ResponseReturnValue

from casework.errors import InvalidInput
from casework.grievance_categories import BY_CODE
from casework.models import utcnow
from casework.models.base import plausible_moment
from casework.open311_queries import (
    MAX_REQUESTS,
    STATUSES_OF,
    RequestSearch,
    ServiceRequest,
    open311_status,
    read_request,
    search_requests,
    status_notes,
)
from casework.references import parse_reference
from portal.open311.access import calling_actor
from portal.open311.blueprint import blueprint
from portal.open311.catalogue import promise
from portal.open311.errors import Open311Error
from portal.open311.formats import render
from portal.open311.services import FORMAT, category_for
from portal.services import get_db

# A `+02:00` offset sent unencoded in a query string arrives as ` 02:00`.
_UNENCODED_OFFSET = re.compile(r" (\d\d:?\d\d)$")


@blueprint.get(f"/requests.{FORMAT}")
def service_requests(fmt: str) -> ResponseReturnValue:
    actor = calling_actor("get_service_requests")
    search = _search()
    try:
        found = search_requests(get_db(), actor, search, utcnow()) if search else []
    except InvalidInput as error:
        raise Open311Error(400, str(error)) from None
    return render(fmt, "service_requests", [as_open311(r) for r in found])


@blueprint.get(f"/requests/<service_request_id>.{FORMAT}")
def service_request(fmt: str, service_request_id: str) -> ResponseReturnValue:
    actor = calling_actor("get_service_request")
    try:
        reference, _ = parse_reference(service_request_id)
    except InvalidInput:
        reference = None
    found = read_request(get_db(), actor, reference) if reference else None
    if found is None:
        # Out of scope answers exactly as unknown: a key learns nothing of others' cases.
        raise Open311Error(404, f"service_request_id {service_request_id!r} was not found")
    return render(fmt, "service_requests", [as_open311(found)])


def as_open311(found: ServiceRequest) -> dict[str, Any]:
    """One request in the spec's fields, in its order."""
    on_site = found.office_id is not None
    return {
        # The reference's ten digits: what the citizen's SMS shows, without its spaces
        # and letter, so it fits a URL (`requests/4827193506.json`) as it is.
        "service_request_id": found.reference,
        "status": open311_status(found.status),
        "status_notes": status_notes(found.status, found.status_reason),
        "service_name": BY_CODE[found.category].label if found.category in BY_CODE else None,
        "service_code": found.category,
        "description": found.description,
        "agency_responsible": found.agency,
        "service_notice": promise(found.category) if found.category in BY_CODE else None,
        "requested_datetime": w3c(found.requested_at),
        "updated_datetime": w3c(found.updated_at),
        "expected_datetime": w3c(found.expected_at),
        # "From most specific to most general": the office's address, then the district.
        "address": f"{found.office_address}, {found.district}" if on_site else found.district,
        "address_id": str(found.office_id) if on_site else None,
        "zipcode": None,
        # Where the office is. A point a partner sent is not kept: a grievance is filed
        # by district and office, and a citizen's exact whereabouts are theirs.
        "lat": found.latitude,
        "long": found.longitude,
        # Media are not fetched from URLs (see post_requests): there is none to link.
        "media_url": None,
    }


def w3c(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _search() -> RequestSearch | None:
    """The search the query asks for; None when nothing can match it."""
    args = request.args
    ids = _listed(args.get("service_request_id"))
    if ids:
        if len(ids) > MAX_REQUESTS:
            raise Open311Error(400, f"Ask for at most {MAX_REQUESTS} service_request_id")
        # An id mistyped or unknown matches nothing: the others still come back.
        references = tuple(filter(None, map(_reference_or_none, ids)))
        return RequestSearch(references=references) if references else None
    categories = _listed(args.get("service_code"))
    for code in categories:
        category_for(code)  # 404 for a code that names no service
    statuses = _listed(args.get("status"))
    unknown = sorted(set(statuses) - set(STATUSES_OF))
    if unknown:
        raise Open311Error(400, f"status must be open or closed, not {', '.join(unknown)}")
    return RequestSearch(
        categories=tuple(categories),
        start=_moment("start_date"),
        end=_moment("end_date"),
        statuses=tuple(statuses),
    )


def _listed(value: str | None) -> list[str]:
    """A parameter "declared multiple times, comma delimited"; an empty one is absent."""
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _reference_or_none(text: str) -> str | None:
    try:
        return parse_reference(text)[0]
    except InvalidInput:
        return None


def _moment(name: str) -> dt.datetime | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        moment = dt.datetime.fromisoformat(_UNENCODED_OFFSET.sub(r"+\1", raw))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or not plausible_moment(moment):
        raise Open311Error(
            400, f"{name} must be a W3C datetime with a time zone, like 2010-01-01T00:00:00Z"
        )
    return moment
