"""A case as staff open it: the whole case with its timeline and documents, within the
viewer's scope (casework.staff_queries.in_scope), and the reads the case pages need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.database import Database
from casework.documents import documents_of_case
from casework.models import Case, CaseEvent, Citizen, Document
from casework.recording import audit
from casework.staff_queries import QueueRow, in_scope, row_of


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


def staff_case(db: Database, actor: Actor, reference: str) -> StaffCaseView | None:
    """A case with its whole timeline and documents, if in scope; the read is audited."""
    with db.transaction() as session:
        opened = open_case(session, actor, reference)
        if opened is None:
            return None
        case, events = opened
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


def open_case(
    session: Session, actor: Actor, reference: str
) -> tuple[Case, list[CaseEvent]] | None:
    """The case with this reference and its whole timeline, if `actor` may see it; the
    look is audited in the caller's transaction (staff console and API alike)."""
    case = session.scalars(
        in_scope(select(Case), actor).where(Case.reference == reference)
    ).one_or_none()
    if case is None:
        return None
    audit(session, actor, "case.viewed", case=case)
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    )
    return case, list(events)


def citizen_id_for_phone(db: Database, phone: str) -> int | None:
    with db.read() as session:
        return session.scalar(select(Citizen.id).where(Citizen.phone == phone))


def visible_to(db: Database, actor: Actor, reference: str) -> bool:
    """Whether `actor` may open the case (without reading it, so nothing to audit)."""
    with db.read() as session:
        found = session.scalar(in_scope(select(Case.id), actor).where(Case.reference == reference))
    return found is not None
