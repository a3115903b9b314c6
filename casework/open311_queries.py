"""Grievances as Open311 GeoReport v2 shows them to an agency's system: the workflow's
statuses mapped to GeoReport's two, the searches the spec defines, and reads scoped and
audited exactly as the staff console's are (`staff_queries.in_scope`).

A key sees what a staff member of its agency with its role would see, and what it may
not see is simply not found, like a case that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from casework.actors import Actor
from casework.database import Database
from casework.errors import InvalidInput
from casework.models import Case, CaseEvent, Grievance
from casework.recording import audit, case_for_idempotency_key
from casework.staff_queries import in_scope
from casework.status_labels import status_label
from casework.sweep import AGENCY_OWES
from casework.workflows import GRIEVANCE

# GeoReport has two statuses, and its `closed` means "it has been resolved". A resolved
# grievance waits for the citizen to confirm (or the sweep to close it) and may still be
# reopened, but the agency's work is done: a partner counting open work must not count
# it. Reopened, it is `open` again, and status_notes always carry the exact status.
CLOSED_STATUSES = GRIEVANCE.final | {"resolved"}
OPEN_STATUSES = frozenset(GRIEVANCE.statuses) - CLOSED_STATUSES
STATUSES_OF = {"open": OPEN_STATUSES, "closed": CLOSED_STATUSES}

# "Default query limit is a span of 90 days or first 1000 requests returned, whichever
# is smallest" (GET Service Requests, Response Volume).
MAX_REQUESTS = 1000
MAX_WINDOW = dt.timedelta(days=90)
# SQLite allows 32,766 bound values a statement; PostgreSQL more. Batches stay well clear.
_BATCH = 500


def open311_status(status: str) -> str:
    return "closed" if status in CLOSED_STATUSES else "open"


def status_notes(status: str, reason: str | None) -> str:
    """`in_progress: being worked on`: the exact status and what the citizen is told it
    means, then the officer's reason for it, if they gave one."""
    notes = f"{status}: {status_label(GRIEVANCE.kind, status)}"
    if status == "resolved":
        notes += " (the citizen may reopen it until it is closed)"
    return f"{notes}. {reason}" if reason else notes


@dataclass(frozen=True)
class ServiceRequest:
    reference: str
    status: str  # the workflow's
    category: str
    # The citizen's own words: only when one request is read (see `read_request`).
    description: str | None
    agency: str
    requested_at: dt.datetime
    updated_at: dt.datetime
    # The deadline the agency is working to, while it owes a step past acknowledging.
    expected_at: dt.datetime | None
    district: str
    office_id: int | None
    office_address: str | None
    latitude: float | None
    longitude: float | None
    status_reason: str | None


@dataclass(frozen=True)
class RequestSearch:
    references: tuple[str, ...] = ()  # when given, the other filters do not apply
    categories: tuple[str, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    statuses: tuple[str, ...] = ()  # "open", "closed"


def search_window(
    start: dt.datetime | None, end: dt.datetime | None, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """The span of requested_datetime to search: at most 90 days, the last 90 by default.
    With one end given, the other is 90 days away from it."""
    if start is None and end is None:
        return now - MAX_WINDOW, now
    if start is None:
        return end - MAX_WINDOW, end  # type: ignore[operator]
    if end is None:
        return start, start + MAX_WINDOW
    if end < start:
        raise InvalidInput("end_date", "end_date is before start_date")
    if end - start > MAX_WINDOW:
        raise InvalidInput("end_date", "start_date and end_date may not span more than 90 days")
    return start, end


def search_requests(
    db: Database, actor: Actor, search: RequestSearch, now: dt.datetime
) -> list[ServiceRequest]:
    """The grievances `search` matches in `actor`'s scope, newest first, at most 1000.

    Like the console's queues and exports, a list carries no free text (the complaint, an
    officer's reason): that is read one request at a time, and each read is audited as a
    case view. The search itself is audited with how many it returned, as a queue export
    is.
    """
    query = _grievances(actor)
    if search.references:
        query = query.where(Case.reference.in_(search.references))
    else:
        start, end = search_window(search.start, search.end, now)
        query = query.where(Case.created_at >= start, Case.created_at <= end)
        if search.categories:
            query = query.where(Grievance.category.in_(search.categories))
        if search.statuses:
            wanted = set().union(*(STATUSES_OF[status] for status in search.statuses))
            query = query.where(Case.status.in_(sorted(wanted)))
    query = query.order_by(Case.created_at.desc(), Case.id.desc()).limit(MAX_REQUESTS)
    with db.transaction() as session:
        found = list(session.scalars(query))
        audit(session, actor, "open311.requests_read", detail={"count": len(found)})
        # No officer's reason either: it is free text too (it may name a person or a
        # number), so it comes only with the one request, whose read is audited.
        return [_request(g, None, description=False) for g in found]


def read_request(db: Database, actor: Actor, reference: str) -> ServiceRequest | None:
    """One grievance in `actor`'s scope, with the citizen's description, audited as a
    case view (as opening it in the console is). None when out of scope or unknown.

    The description is given: the key acts as staff of its agency, who read it in the
    console, and the agency's system needs it to act on the complaint.
    """
    with db.transaction() as session:
        grievance = session.scalars(_grievances(actor).where(Case.reference == reference)).first()
        if grievance is None:
            return None
        audit(session, actor, "case.viewed", case=grievance)
        reason = _status_reasons(session, [grievance]).get(grievance.id)
        return _request(grievance, reason, description=True)


def lodged_before(db: Database, idempotency_keys: Iterable[str]) -> str | None:
    """The reference of a grievance an earlier submission lodged under one of these keys."""
    with db.read() as session:
        for key in idempotency_keys:
            case = case_for_idempotency_key(session, key)
            if isinstance(case, Grievance):
                return case.reference
    return None


def _grievances(actor: Actor) -> Select[Any]:
    return (
        in_scope(select(Grievance), actor)
        .where(Case.kind == GRIEVANCE.kind)
        .options(selectinload(Case.agency), selectinload(Grievance.office))
    )


def _status_reasons(session: Session, grievances: Sequence[Grievance]) -> dict[int, str]:
    """Why each grievance is in its status, as the officer told the citizen: the reason
    of the public step into it. A citizen's own words (their reason for reopening, say)
    are left out, as their description is from lists."""
    status_of = {g.id: g.status for g in grievances}
    ids = list(status_of)
    last: dict[int, CaseEvent] = {}
    for at in range(0, len(ids), _BATCH):
        steps = session.scalars(
            select(CaseEvent)
            .where(
                CaseEvent.case_id.in_(ids[at : at + _BATCH]),
                CaseEvent.type == "status_changed",
                CaseEvent.public.is_(True),
            )
            .order_by(CaseEvent.id)
        )
        for step in steps:
            last[step.case_id] = step
    return {
        case_id: step.body
        for case_id, step in last.items()
        if step.body and step.to_status == status_of[case_id] and step.actor_type != "citizen"
    }


def _request(grievance: Grievance, reason: str | None, *, description: bool) -> ServiceRequest:
    office = grievance.office
    owes = grievance.status in AGENCY_OWES[GRIEVANCE.kind] and grievance.status != "lodged"
    return ServiceRequest(
        reference=grievance.reference,
        status=grievance.status,
        category=grievance.category,
        # Emptied by retention once the case is old: then there is none to give.
        description=(grievance.description or None) if description else None,
        agency=grievance.agency.name,
        requested_at=grievance.created_at,
        # "For requests with status=closed, this will be the date the request was closed."
        updated_at=grievance.closed_at or grievance.updated_at,
        # Until acknowledged, due_at is the deadline to acknowledge, not to fulfil: a
        # partner would read it as a promise to resolve in two days.
        expected_at=grievance.due_at if owes else None,
        district=grievance.district,
        office_id=office.id if office else None,
        office_address=office.address if office else None,
        latitude=office.latitude if office else None,
        longitude=office.longitude if office else None,
        status_reason=reason,
    )
