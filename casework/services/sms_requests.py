"""What a citizen asks for by texting a keyword: consent, language, a case's status.

The notifications channel understands the keyword; these functions make the change and
keep the inbound message with its reply, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from casework.actors import Actor
from casework.database import Database
from casework.models import Case, Channel, Citizen, InboundMessage, OutboundMessage, utcnow
from casework.privacy import follow_with_notice
from casework.recording import audit


@dataclass(frozen=True)
class CaseStatus:
    reference: str
    kind: str
    status: str


def own_case_status(db: Database, reference: str, phone: str) -> CaseStatus | None:
    """The case's status, only when `phone` is its citizen's. None looks the same whether
    the case does not exist or belongs to someone else."""
    with db.read() as session:
        row = session.execute(
            select(Case.reference, Case.kind, Case.status)
            .join(Citizen, Case.citizen_id == Citizen.id)
            .where(Case.reference == reference, Citizen.phone == phone)
        ).first()
    return CaseStatus(*row) if row else None


def acknowledged_recently(db: Database, phone: str, within: dt.timedelta) -> bool:
    """Whether a message of no known keyword from `phone` was answered within `within`."""
    with db.read() as session:
        found = session.scalar(
            select(InboundMessage.id).where(
                InboundMessage.sender == phone,
                InboundMessage.command == "other",
                InboundMessage.reply_id.is_not(None),
                InboundMessage.received_at > utcnow() - within,
            )
        )
    return found is not None


def inbound_seen(db: Database, gateway_id: str) -> bool:
    with db.read() as session:
        found = session.scalar(
            select(InboundMessage.id).where(InboundMessage.gateway_id == gateway_id)
        )
    return found is not None


def receive_sms(
    db: Database,
    *,
    gateway_id: str,
    sender: str | None,
    to: str,
    text: str,
    link_id: str | None,
    received_at: dt.datetime | None,
    command: str,
    reply_template: str | None,
    reply_params: dict[str, Any],
    reply_language: str,
    consent: bool | None = None,
    language: str | None = None,
) -> bool:
    """Keep an inbound SMS, apply what it asked (`consent` from STOP/START, `language`
    from LANG), and queue the reply; all or nothing. False if `gateway_id` was seen
    before: the gateway retries, and a retry must change nothing and reply nothing.
    """
    try:
        with db.transaction() as session:
            if session.scalar(
                select(InboundMessage.id).where(InboundMessage.gateway_id == gateway_id)
            ):
                return False
            citizen = (
                session.scalars(select(Citizen).where(Citizen.phone == sender)).one_or_none()
                if sender
                else None
            )
            if citizen is None and sender and (consent is not None or language is not None):
                citizen = Citizen(phone=sender, language=language or reply_language)
                session.add(citizen)
                session.flush()
            if citizen is not None:
                _apply_preferences(session, citizen, consent, language)
            reply = None
            if reply_template and sender:
                reply = OutboundMessage(
                    to=sender,
                    template=reply_template,
                    params=reply_params,
                    language=reply_language,
                )
                session.add(reply)
                session.flush()
                if consent is not False:  # not to a number that just texted STOP
                    # First contact by SMS: the notice follows our first reply.
                    follow_with_notice(session, sender, reply_language)
            session.add(
                InboundMessage(
                    gateway_id=gateway_id,
                    sender=sender,
                    to=to,
                    text=text,
                    link_id=link_id,
                    received_at=received_at or utcnow(),
                    command=command,
                    citizen_id=citizen.id if citizen else None,
                    reply_id=reply.id if reply else None,
                )
            )
            actor = Actor.citizen(citizen.id if citizen else None, Channel.SMS.value)
            audit(session, actor, f"sms.{command}", citizen_id=citizen.id if citizen else None)
    except IntegrityError:
        return False  # the same gateway id, received twice at once: the other one won
    return True


def _apply_preferences(
    session: Any, citizen: Citizen, consent: bool | None, language: str | None
) -> None:
    if consent is not None:
        citizen.sms_opted_out = not consent
        citizen.sms_consent = consent
        citizen.sms_consent_at = utcnow()
    if language is not None:
        citizen.language = language
