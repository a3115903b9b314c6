"""Everything Thusa keeps about one citizen, for them to download (their right of access).

Only what is theirs and what they may read: their details, their consents, their cases
with the public timeline (never officers' internal notes, the triage priority or a
referral's internal reason), the SMS we sent to their number and the SMS they sent us.
Anonymous complaints are not linked to anyone, so they are in nobody's download.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectin_polymorphic

from casework.actors import Actor
from casework.database import Database
from casework.models import (
    Application,
    Case,
    CaseEvent,
    Citizen,
    Document,
    Grievance,
    InboundMessage,
    OutboundMessage,
    Referral,
    utcnow,
)
from casework.privacy import consents_of
from casework.recording import audit
from casework.references import format_reference


@dataclass(frozen=True)
class SentSms:
    at: dt.datetime
    status: str
    template: str
    params: dict[str, Any]
    language: str


@dataclass(frozen=True)
class CitizenData:
    """`data` is ready for JSON but for `sent_sms`, which the channel words (casework
    keeps templates, not texts); `documents` are (stored file name, name in the download)."""

    data: dict[str, Any]
    sent_sms: list[SentSms]
    documents: list[tuple[str, str]] = field(default_factory=list)


def citizen_data(db: Database, citizen_id: int, channel: str) -> CitizenData | None:
    """The citizen's own data; None if there is no such citizen. The read is audited."""
    with db.transaction() as session:
        citizen = session.get(Citizen, citizen_id)
        if citizen is None:
            return None
        actor = Actor.citizen(citizen.id, channel)
        audit(session, actor, "citizen.data_exported", citizen_id=citizen.id)
        cases = list(
            session.scalars(
                select(Case)
                .where(Case.citizen_id == citizen.id)
                .options(selectin_polymorphic(Case, [Application, Grievance, Referral]))
                .order_by(Case.created_at, Case.id)
            )
        )
        documents: list[tuple[str, str]] = []
        data = {
            "exported_at": _when(utcnow()),
            "profile": {
                "phone": citizen.phone,
                "name": citizen.name,
                "national_id": citizen.national_id,
                "language": citizen.language,
                "sms_updates": not citizen.sms_opted_out,
                "registered_at": _when(citizen.created_at),
            },
            "privacy_consents": [
                {
                    "at": _when(consent.at),
                    "channel": consent.channel,
                    "how": consent.how,
                    "notice_version": consent.notice_version,
                }
                for consent in consents_of(session, citizen)
            ],
            "cases": [_case(session, case, citizen.language, documents) for case in cases],
            "sms_from_you": _received(session, citizen),
        }
        return CitizenData(data, _sent(session, citizen), documents)


def _case(
    session: Session, case: Case, language: str, documents: list[tuple[str, str]]
) -> dict[str, Any]:
    events = session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.public)
        .order_by(CaseEvent.id)
    )
    files = []
    for document in session.scalars(
        select(Document).where(Document.case_id == case.id).order_by(Document.id)
    ):
        path = f"documents/{document.id}-{document.original_name}"
        documents.append((document.stored_name, path))
        files.append(
            {
                "name": document.original_name,
                "content_type": document.content_type,
                "size": document.size,
                "uploaded_at": _when(document.uploaded_at),
                "file": path,
            }
        )
    return {
        "reference": format_reference(case.reference, case.kind),
        "kind": case.kind,
        "status": case.status,
        "channel": case.channel,
        "opened_at": _when(case.created_at),
        "closed_at": _when(case.closed_at),
        "due_at": _when(case.due_at),
        "details": _details(case, language),
        "timeline": [
            {"at": _when(e.at), "type": e.type, "status": e.to_status, "message": e.body}
            for e in events
        ],
        "documents": files,
    }


def _details(case: Case, language: str) -> dict[str, Any]:
    if isinstance(case, Grievance):
        return {
            "category": case.category,
            "description": case.description,
            "district": case.district,
            "office": case.office.name if case.office else None,
        }
    if isinstance(case, Application):
        return {"service": case.service.text(language).name, "answers": dict(case.answers or {})}
    if isinstance(case, Referral):
        return {
            "from_agency": case.from_agency.name,
            "to_agency": case.agency.name,
            "service": case.service.text(language).name if case.service else None,
        }
    return {}


def _sent(session: Session, citizen: Citizen) -> list[SentSms]:
    if not citizen.phone:
        return []
    return [
        SentSms(m.created_at, m.status, m.template, dict(m.params or {}), m.language)
        for m in session.scalars(
            select(OutboundMessage)
            .where(
                OutboundMessage.to == citizen.phone,
                # Not the SMS of an anonymous complaint sent from this phone, still waiting
                # to go: that complaint is nobody's, and must not be tied to them here.
                or_(
                    OutboundMessage.case_id.is_(None),
                    OutboundMessage.case_id.in_(
                        select(Case.id).where(Case.citizen_id == citizen.id)
                    ),
                ),
            )
            .order_by(OutboundMessage.id)
        )
    ]


def _received(session: Session, citizen: Citizen) -> list[dict[str, Any]]:
    theirs = InboundMessage.citizen_id == citizen.id
    if citizen.phone:
        theirs = or_(theirs, InboundMessage.sender == citizen.phone)
    return [
        {"at": _when(m.received_at), "text": m.text}
        for m in session.scalars(select(InboundMessage).where(theirs).order_by(InboundMessage.id))
    ]


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None
