"""What staff may read, with the scope applied in the query itself (never in a template):

- administrators: every case;
- triage officers: every grievance (the intake), and their own agency's cases;
- supervisors and case officers: cases their agency owns or has referred elsewhere.

A case out of scope is simply not found, exactly like a case that does not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, or_, select

from casework.actors import Actor
from casework.database import Database
from casework.documents import documents_of_case
from casework.errors import InvalidInput
from casework.models import (
    Case,
    CaseEvent,
    CaseKind,
    Citizen,
    Document,
    Grievance,
    Referral,
    Role,
    utcnow,
)
from casework.phones import normalise_phone
from casework.recording import audit
from casework.references import parse_reference
from casework.sweep import AGENCY_OWES


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str
    kind: str
    status: str
    agency: str
    due_at: dt.datetime | None
    created_at: dt.datetime
    language: str


@dataclass(frozen=True)
class StaffCaseView:
    row: QueueRow
    agency_id: int
    from_agency_id: int | None
    citizen_phone: str | None
    citizen_id: int | None
    events: list[CaseEvent]
    documents: list[Document]
    details: dict[str, Any]


def in_scope(query: Select[Any], actor: Actor) -> Select[Any]:
    """`query` (over Case) narrowed to what `actor` may see."""
    if actor.role == Role.ADMINISTRATOR.value:
        return query
    referred_by_us = Case.id.in_(
        select(Referral.id).where(Referral.from_agency_id == actor.agency_id)
    )
    mine = or_(Case.agency_id == actor.agency_id, referred_by_us)
    if actor.role == Role.TRIAGE_OFFICER.value:
        return query.where(or_(Case.kind == CaseKind.GRIEVANCE.value, mine))
    return query.where(mine)


def still_to_do(actor: Actor) -> Any:
    """Open cases, and referrals another agency declined back to the actor's agency (the
    sender must find another way to help)."""
    declined_back = Case.id.in_(
        select(Referral.id).where(Referral.from_agency_id == actor.agency_id)
    )
    return or_(Case.closed_at.is_(None), and_(Case.status == "declined", declined_back))


def cases_in_scope(db: Database, actor: Actor, limit: int = 50) -> list[QueueRow]:
    """Open work first, soonest due first."""
    with db.read() as session:
        cases = session.scalars(
            in_scope(select(Case), actor)
            .where(still_to_do(actor))
            .order_by(Case.due_at.is_(None), Case.due_at, Case.id)
            .limit(limit)
        ).all()
        return [row_of(case) for case in cases]


def staff_case(db: Database, actor: Actor, reference: str) -> StaffCaseView | None:
    """A case with its whole timeline and documents, if in scope; the read is audited."""
    with db.transaction() as session:
        case = session.scalars(
            in_scope(select(Case), actor).where(Case.reference == reference)
        ).one_or_none()
        if case is None:
            return None
        audit(session, actor, "case.viewed", case=case)
        events = list(
            session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
            )
        )
        details = {
            key: getattr(case, key)
            for key in (
                "category",
                "description",
                "district",
                "priority",
                "anonymous",
                "answers",
                "reason",
                "urgency",
            )
            if hasattr(case, key)
        }
        view = StaffCaseView(
            row_of(case),
            case.agency_id,
            getattr(case, "from_agency_id", None),
            case.citizen.phone if case.citizen else None,
            case.citizen_id,
            events,
            [],
            details,
        )
    return StaffCaseView(
        view.row,
        view.agency_id,
        view.from_agency_id,
        view.citizen_phone,
        view.citizen_id,
        view.events,
        documents_of_case(db, view.row.id),
        view.details,
    )


def row_of(case: Case) -> QueueRow:
    return QueueRow(
        case.id,
        case.reference,
        case.kind,
        case.status,
        case.agency.short_name,
        case.due_at,
        case.created_at,
        case.citizen.language if case.citizen else case.language,
    )


@dataclass(frozen=True)
class QueueFilters:
    status: str | None = None
    category: str | None = None
    district: str | None = None
    channel: str | None = None
    priority: str | None = None
    overdue: bool = False
    search: str | None = None  # a reference (as typed) or a phone number
    country: str = "ZA"  # how a phone number without its country code is read


@dataclass(frozen=True)
class TriageRow:
    row: QueueRow
    category: str
    priority: str
    district: str
    channel: str
    overdue: bool


PAGE_SIZE = 50
AGENCY_OWES_GRIEVANCE = AGENCY_OWES[CaseKind.GRIEVANCE.value]


def triage_queue(
    db: Database, actor: Actor, filters: QueueFilters, page: int = 0
) -> tuple[list[TriageRow], bool]:
    """Grievances in scope: unacknowledged first, then soonest due. (rows, more pages?)"""
    now = utcnow()
    query = triage_query(actor, filters, now).offset(page * PAGE_SIZE).limit(PAGE_SIZE + 1)
    with db.read() as session:
        found = session.scalars(query).all()
        rows = [
            TriageRow(
                row_of(g),
                g.category,
                g.priority,
                g.district,
                g.channel,
                g.due_at is not None and g.due_at < now and g.status in AGENCY_OWES_GRIEVANCE,
            )
            for g in found[:PAGE_SIZE]
        ]
    return rows, len(found) > PAGE_SIZE


def triage_query(actor: Actor, filters: QueueFilters, now: dt.datetime) -> Select[Any]:
    """The triage queue in its order, unpaged: the one query the page and its CSV export
    share, so a download holds exactly what the filters show."""
    query = in_scope(select(Grievance), actor).where(Grievance.closed_at.is_(None))
    for column, value in (
        (Grievance.status, filters.status),
        (Grievance.category, filters.category),
        (Grievance.district, filters.district),
        (Grievance.channel, filters.channel),
        (Grievance.priority, filters.priority),
    ):
        if value:
            query = query.where(column == value)
    if filters.overdue:
        query = query.where(overdue_grievance(now))
    if filters.search:
        query = _searched(query, filters.search, filters.country)
    return query.order_by(
        (Grievance.status != "lodged"),
        Grievance.due_at.is_(None),
        Grievance.due_at,
        Grievance.id,
    )


def overdue_grievance(now: dt.datetime) -> Any:
    """Past its deadline while the agency owes the next step. A resolved grievance waiting
    to be closed keeps its old deadline but is not late (the sweep reads it the same way)."""
    return and_(Grievance.due_at < now, Grievance.status.in_(AGENCY_OWES_GRIEVANCE))


def _searched(query: Select[Any], text: str, country: str) -> Select[Any]:
    """By reference (typed any way) or by the citizen's phone number."""
    try:
        digits, _kind = parse_reference(text)
    except InvalidInput:
        digits = None
    if digits is not None:
        return query.where(Case.reference == digits)
    try:
        phone = normalise_phone(text, country, mobile_only=False)
    except InvalidInput:
        return query.where(Case.id.is_(None))  # neither: nothing matches
    return query.where(Case.citizen_id.in_(select(Citizen.id).where(Citizen.phone == phone)))


def kind_queue(db: Database, actor: Actor, kind: str, limit: int = 100) -> list[QueueRow]:
    """Open applications or referrals in scope, soonest due first."""
    with db.read() as session:
        cases = session.scalars(kind_query(actor, kind).limit(limit)).all()
        return [row_of(case) for case in cases]


def kind_query(actor: Actor, kind: str) -> Select[Any]:
    """The applications or referrals queue in its order, unpaged (the page and its export)."""
    return (
        in_scope(select(Case), actor)
        .where(Case.kind == kind, still_to_do(actor))
        .order_by(Case.due_at.is_(None), Case.due_at, Case.id)
    )


def citizen_id_for_phone(db: Database, phone: str) -> int | None:
    with db.read() as session:
        return session.scalar(select(Citizen.id).where(Citizen.phone == phone))


def visible_to(db: Database, actor: Actor, reference: str) -> bool:
    """Whether `actor` may open the case (without reading it, so nothing to audit)."""
    with db.read() as session:
        found = session.scalar(in_scope(select(Case.id), actor).where(Case.reference == reference))
    return found is not None
