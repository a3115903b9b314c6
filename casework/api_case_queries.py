"""Cases as agencies' systems read them through the API: a filtered list in a stable
order with a cursor, and one case whole. Scoped exactly like staff (`in_scope`); opening
a case is audited like a staff member opening it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.actors import Actor
from casework.database import Database
from casework.errors import N_, InvalidInput
from casework.models import Agency, Case, CaseEvent, Citizen, Grievance, Role, Service, StaffUser
from casework.recording import audit
from casework.services.transition import on_the_right_side
from casework.staff_case_view import open_case
from casework.staff_queries import in_scope
from casework.workflows import WORKFLOWS


@dataclass(frozen=True)
class CaseFilters:
    kind: str | None = None
    status: str | None = None
    open: bool | None = None
    category: str | None = None
    district: str | None = None
    updated_since: dt.datetime | None = None


@dataclass(frozen=True)
class CasePage:
    cases: list[dict[str, Any]]
    next_cursor: str | None


def list_cases(
    db: Database, actor: Actor, filters: CaseFilters, *, limit: int, cursor: str | None
) -> CasePage:
    """Cases in scope, oldest first, `limit` at a time. The order is by id, so a case
    never moves between pages while a system walks them, however it changes meanwhile."""
    after = _read_cursor(cursor)
    query = in_scope(select(Case), actor).where(Case.id > after)
    if filters.kind:
        query = query.where(Case.kind == filters.kind)
    if filters.status:
        query = query.where(Case.status == filters.status)
    if filters.open is not None:
        query = query.where(
            Case.closed_at.is_(None) if filters.open else Case.closed_at.is_not(None)
        )
    if filters.category:
        query = query.where(
            Case.id.in_(select(Grievance.id).where(Grievance.category == filters.category))
        )
    if filters.district:
        query = query.where(
            Case.id.in_(select(Grievance.id).where(Grievance.district == filters.district))
        )
    if filters.updated_since:
        query = query.where(Case.updated_at >= filters.updated_since)
    query = query.order_by(Case.id).limit(limit + 1).options(selectinload(Case.agency))
    with db.read() as session:
        found = list(session.scalars(query))
        rows = [summary_of(case) for case in found[:limit]]
    more = len(found) > limit
    return CasePage(rows, _write_cursor(found[limit - 1].id) if more else None)


def summary_of(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "kind": case.kind,
        "status": case.status,
        "agency": case.agency.code,
        "channel": case.channel,
        "language": case.language,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "due_at": case.due_at,
        "closed_at": case.closed_at,
    }


def case_id_in_scope(db: Database, actor: Actor, reference: str) -> int | None:
    """The id of the case with this reference, if `actor` may see it."""
    with db.read() as session:
        return session.scalar(in_scope(select(Case.id), actor).where(Case.reference == reference))


def case_detail(db: Database, actor: Actor, reference: str) -> dict[str, Any] | None:
    """The whole case with its timeline, if in scope; the read is audited."""
    with db.transaction() as session:
        opened = open_case(session, actor, reference)
        if opened is None:
            return None
        case, events = opened
        detail = summary_of(case) | {
            "citizen": _citizen(case),
            "assigned_to": _officer(session, case.assigned_to_id),
            "timeline": [_event(event) for event in events],
            "allowed_transitions": allowed_transitions(case, actor),
        }
        detail[case.kind] = _kind_details(session, case)
        return detail


def allowed_transitions(case: Case, actor: Actor) -> list[str]:
    workflow = WORKFLOWS[case.kind]
    from_agency = getattr(case, "from_agency_id", None)
    return [
        step.target
        for step in workflow.transitions
        if step.source == case.status
        and actor.role in step.roles
        and on_the_right_side(case.kind, case.agency_id, from_agency, step.target, actor)
    ]


def _citizen(case: Case) -> dict[str, Any] | None:
    if case.citizen is None:
        return None
    return {
        "name": case.citizen.name,
        "phone": case.citizen.phone,
        "language": case.citizen.language,
    }


def _officer(session: Any, staff_id: int | None) -> str | None:
    if staff_id is None:
        return None
    return session.scalar(select(StaffUser.display_name).where(StaffUser.id == staff_id))


def _event(event: CaseEvent) -> dict[str, Any]:
    return {
        "at": event.at,
        "type": event.type,
        "public": event.public,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "body": event.body,
        "actor": event.actor_type,
    }


def _kind_details(session: Any, case: Case) -> dict[str, Any]:
    if case.kind == "grievance":
        return {
            key: getattr(case, key)
            for key in ("category", "description", "district", "priority", "anonymous")
        }
    if case.kind == "application":
        return {"service": case.service.code, "answers": dict(case.answers)}
    source = session.get(Case, case.source_case_id) if case.source_case_id else None
    return {
        "from_agency": session.get(Agency, case.from_agency_id).code,
        "service": case.service.code if case.service else None,
        "reason": case.reason,
        "urgency": case.urgency,
        "source_case": source.reference if source else None,
    }


# The cursor is opaque to callers: only this module reads what is inside.
_CURSOR_VERSION = "c1"


def _write_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_VERSION}:{last_id}".encode()).decode().rstrip("=")


def _read_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, _, last = text.partition(":")
        # Bounded by what an id column holds: a forged huge number is a bad cursor, not
        # a database error.
        if version == _CURSOR_VERSION and last.isdigit() and len(last) <= 18:
            return int(last)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise InvalidInput("cursor", N_("That cursor is not one this API gave out"))


def directory_ids(
    db: Database, agency_code: str, service_code: str | None
) -> tuple[int | None, int | None]:
    """The ids behind an agency's and a service's codes (None where there is none)."""
    with db.read() as session:
        agency_id = session.scalar(select(Agency.id).where(Agency.code == agency_code))
        service_id = (
            session.scalar(select(Service.id).where(Service.code == service_code))
            if service_code
            else None
        )
    return agency_id, service_id


def citizen_with_cases(db: Database, actor: Actor, phone: str) -> dict[str, Any] | None:
    """The citizen with this E.164 number and their cases in scope, newest first. A
    citizen with none in scope is not found, exactly like a number nobody has (only
    administrators see every citizen). Audited as a look at the citizen's record."""
    with db.transaction() as session:
        citizen = session.scalars(select(Citizen).where(Citizen.phone == phone)).one_or_none()
        if citizen is None:
            return None
        cases = list(
            session.scalars(
                in_scope(select(Case), actor)
                .where(Case.citizen_id == citizen.id)
                .order_by(Case.created_at.desc(), Case.id.desc())
                .options(selectinload(Case.agency))
            )
        )
        if not cases and actor.role != Role.ADMINISTRATOR.value:
            return None
        audit(session, actor, "citizen.viewed", citizen_id=citizen.id)
        return {
            "name": citizen.name,
            "phone": citizen.phone,
            "language": citizen.language,
            "cases": [summary_of(case) for case in cases],
        }
