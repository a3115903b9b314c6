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

from sqlalchemy import Select, or_, select

from casework.actors import Actor
from casework.database import Database
from casework.documents import documents_of_case
from casework.models import Case, CaseEvent, CaseKind, Document, Referral, Role
from casework.recording import audit


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str
    kind: str
    status: str
    agency: str
    due_at: dt.datetime | None
    created_at: dt.datetime


@dataclass(frozen=True)
class StaffCaseView:
    row: QueueRow
    citizen_phone: str | None
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


def cases_in_scope(db: Database, actor: Actor, limit: int = 50) -> list[QueueRow]:
    """Open work first, soonest due first."""
    with db.read() as session:
        cases = session.scalars(
            in_scope(select(Case), actor)
            .where(Case.closed_at.is_(None))
            .order_by(Case.due_at.is_(None), Case.due_at, Case.id)
            .limit(limit)
        ).all()
        return [_row(case) for case in cases]


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
            _row(case), case.citizen.phone if case.citizen else None, events, [], details
        )
    return StaffCaseView(
        view.row, view.citizen_phone, view.events, documents_of_case(db, view.row.id), view.details
    )


def _row(case: Case) -> QueueRow:
    return QueueRow(
        case.id,
        case.reference,
        case.kind,
        case.status,
        case.agency.short_name,
        case.due_at,
        case.created_at,
    )
