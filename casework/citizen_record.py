"""Everything about one citizen that a staff member may see, across agencies: their cases,
the referrals among them, the SMS we sent about those cases, and (for those who work the
inbox) what they texted us.

Scope is the case scope (`staff_queries.in_scope`): a citizen with no case in the viewer's
scope is not found at all, exactly like a citizen who does not exist. Every read is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from casework.actors import Actor
from casework.database import Database
from casework.models import (
    Agency,
    Case,
    Citizen,
    InboundMessage,
    OutboundMessage,
    Referral,
    Role,
)
from casework.recording import audit
from casework.staff_queries import QueueRow, in_scope, row_of

MESSAGES_SHOWN = 100
# The roles that read unmatched inbound SMS (the inbox) may read a citizen's texts too.
READS_INBOUND = {Role.TRIAGE_OFFICER.value, Role.SUPERVISOR.value, Role.ADMINISTRATOR.value}


@dataclass(frozen=True)
class ReferralRow:
    row: QueueRow
    from_agency: str
    to_agency: str
    urgency: str


@dataclass(frozen=True)
class SentMessage:
    at: dt.datetime
    reference: str
    kind: str
    template: str
    params: dict[str, Any]
    language: str
    status: str


@dataclass(frozen=True)
class ReceivedMessage:
    at: dt.datetime
    text: str
    command: str


@dataclass(frozen=True)
class CitizenRecord:
    citizen_id: int
    phone: str | None
    name: str | None
    national_id_end: str | None  # the last 3 digits: enough to confirm, not to copy
    language: str
    sms_consent: bool
    sms_opted_out: bool
    cases: list[QueueRow]
    referrals: list[ReferralRow]
    sent: list[SentMessage]
    received: list[ReceivedMessage] | None  # None: not the viewer's to read


def findable_citizen(db: Database, actor: Actor, phone: str) -> int | None:
    """The citizen with this E.164 number, if the viewer may open their record."""
    with db.read() as session:
        citizen_id = session.scalar(select(Citizen.id).where(Citizen.phone == phone))
        if citizen_id is None or actor.role == Role.ADMINISTRATOR.value:
            return citizen_id
        in_view = session.scalar(
            in_scope(select(Case.id), actor).where(Case.citizen_id == citizen_id).limit(1)
        )
    return citizen_id if in_view is not None else None


def citizen_record(db: Database, actor: Actor, citizen_id: int) -> CitizenRecord | None:
    with db.transaction() as session:
        citizen = session.get(Citizen, citizen_id)
        if citizen is None:
            return None
        cases = list(
            session.scalars(
                in_scope(select(Case), actor)
                .where(Case.citizen_id == citizen_id)
                .order_by(Case.created_at.desc(), Case.id.desc())
            )
        )
        if not cases and actor.role != Role.ADMINISTRATOR.value:
            return None  # no case of theirs in scope: no hint that the citizen exists
        audit(session, actor, "citizen.viewed", citizen_id=citizen_id)
        by_id = {case.id: case for case in cases}
        agency_names = {
            row.id: row.short_name for row in session.execute(select(Agency.id, Agency.short_name))
        }
        referrals = [
            ReferralRow(
                row_of(case),
                agency_names.get(case.from_agency_id, "?"),
                agency_names.get(case.agency_id, "?"),
                case.urgency,
            )
            for case in cases
            if isinstance(case, Referral)
        ]
        sent = [
            SentMessage(
                m.created_at,
                by_id[m.case_id].reference,
                by_id[m.case_id].kind,
                m.template,
                dict(m.params or {}),
                m.language,
                m.status,
            )
            for m in session.scalars(
                select(OutboundMessage)
                .where(OutboundMessage.case_id.in_(list(by_id)))
                .order_by(OutboundMessage.id.desc())
                .limit(MESSAGES_SHOWN)
            )
            if m.case_id is not None
        ]
        received = None
        if actor.role in READS_INBOUND:
            received = [
                ReceivedMessage(m.received_at, m.text, m.command)
                for m in session.scalars(
                    select(InboundMessage)
                    .where(InboundMessage.citizen_id == citizen_id)
                    .order_by(InboundMessage.id.desc())
                    .limit(MESSAGES_SHOWN)
                )
            ]
        national_id = citizen.national_id
        return CitizenRecord(
            citizen.id,
            citizen.phone,
            citizen.name,
            national_id[-3:] if national_id else None,
            citizen.language,
            citizen.sms_consent,
            citizen.sms_opted_out,
            [row_of(case) for case in cases],
            referrals,
            sent,
            received,
        )
