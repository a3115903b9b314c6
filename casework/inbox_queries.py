"""What the staff inbox shows: inbound SMS that matched no keyword, waiting for an officer
to attach one to a case, answer it, or dismiss it (casework.services.inbox makes those).

The messages are not tied to an agency (a citizen texts the one short code), so the inbox
is open to the roles that take in work from anywhere: triage officers, supervisors and
administrators. The sender's cases offered beside a message are narrowed to the officer's
scope like every other staff query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.database import Database
from casework.errors import N_, NotPermitted
from casework.models import Case, Citizen, InboundMessage, OutboundMessage, Role, StaffUser
from casework.models.records import OPEN_INBOX
from casework.recording import audit
from casework.staff_queries import in_scope

INBOX_ROLES = (Role.TRIAGE_OFFICER.value, Role.SUPERVISOR.value, Role.ADMINISTRATOR.value)
PAGE_SIZE = 25
CASES_OFFERED = 5  # a sender's open cases offered as quick choices; more is a search
# The very text of the partial index's predicate: with a bound parameter for 'other'
# instead, neither SQLite nor a generic PostgreSQL plan could prove the index applies.
_OPEN = sql_text(OPEN_INBOX)


@dataclass(frozen=True)
class CaseChoice:
    reference: str
    kind: str
    status: str


@dataclass(frozen=True)
class InboxRow:
    id: int
    sender: str | None  # None: a short code or a name, which cannot take a reply
    text: str
    received_at: dt.datetime
    cases: list[CaseChoice]


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    open_count: int
    more: bool


@dataclass(frozen=True)
class InboxMessage:
    row: InboxRow
    handled_at: dt.datetime | None
    handled_by: str | None  # the officer's name
    outcome: str | None
    # The case it went onto, when the reader may see that case.
    case: CaseChoice | None
    # The language an answer is written in (its "Thusa:" prefix, at least).
    answer_language: str
    # The sender texted STOP after this message: an answer may not go.
    stopped_since: bool


def may_use_inbox(actor: Actor) -> bool:
    return actor.type == "staff" and actor.role in INBOX_ROLES


def require_inbox_role(actor: Actor) -> None:
    if not may_use_inbox(actor):
        raise NotPermitted(N_("Your role cannot make this change"))


def open_inbox_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count(InboundMessage.id)).where(_OPEN)) or 0


def open_inbox(db: Database, actor: Actor, page: int = 0) -> InboxPage:
    """Open messages, oldest first (the longest waiting are answered first), a page at a
    time, each with the sender's open cases in the actor's scope."""
    require_inbox_role(actor)
    with db.read() as session:
        found = session.scalars(open_messages(page)).all()
        shown = found[:PAGE_SIZE]
        cases = open_cases_of(session, actor, {m.sender for m in shown if m.sender})
        rows = [_row(message, cases) for message in shown]
        count = session.scalar(select(func.count(InboundMessage.id)).where(_OPEN)) or 0
    return InboxPage(rows, count, len(found) > PAGE_SIZE)


def open_messages(page: int) -> Select[tuple[InboundMessage]]:
    """One page of open messages, and one more to tell whether another page follows."""
    return (
        select(InboundMessage)
        .where(_OPEN)
        .order_by(InboundMessage.received_at, InboundMessage.id)
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    )


def inbox_message(
    db: Database, actor: Actor, inbound_id: int, fallback_language: str
) -> InboxMessage | None:
    """One message of the inbox, open or handled; None for any id that is not one (a
    keyword message is not the inbox's). Reading it is audited: it is a citizen's words."""
    require_inbox_role(actor)
    with db.transaction() as session:
        message = session.scalars(
            select(InboundMessage).where(
                InboundMessage.id == inbound_id, InboundMessage.command == "other"
            )
        ).one_or_none()
        if message is None:
            return None
        audit(
            session,
            actor,
            "sms.viewed",
            citizen_id=message.citizen_id,
            detail={"inbound_id": message.id},
        )
        senders = {message.sender} if message.sender else set()
        row = _row(message, open_cases_of(session, actor, senders))
        citizen = sender_citizen(session, message)
        handled_by = (
            session.scalar(
                select(StaffUser.display_name).where(StaffUser.id == message.handled_by_id)
            )
            if message.handled_by_id
            else None
        )
        attached = None
        if message.case_id is not None:
            found = session.execute(
                in_scope(select(Case.reference, Case.kind, Case.status), actor).where(
                    Case.id == message.case_id
                )
            ).first()
            attached = CaseChoice(*found) if found else None
        return InboxMessage(
            row,
            message.handled_at,
            handled_by,
            message.outcome,
            attached,
            answer_language(session, message, citizen, fallback_language),
            stopped_since(message, citizen),
        )


def open_cases_of(
    session: Session, actor: Actor, senders: Iterable[str]
) -> dict[str, list[CaseChoice]]:
    """Per phone number, its citizen's open cases that `actor` may see, newest first."""
    phones = sorted(set(senders))
    if not phones:
        return {}
    found = session.execute(
        in_scope(select(Citizen.phone, Case.reference, Case.kind, Case.status), actor)
        .join(Citizen, Case.citizen_id == Citizen.id)
        .where(Citizen.phone.in_(phones), Case.closed_at.is_(None))
        .order_by(Case.created_at.desc(), Case.id.desc())
    ).all()
    cases: dict[str, list[CaseChoice]] = {}
    for phone, reference, kind, status in found:
        offered = cases.setdefault(phone, [])
        if len(offered) < CASES_OFFERED:
            offered.append(CaseChoice(reference, kind, status))
    return cases


def sender_citizen(session: Session, message: InboundMessage) -> Citizen | None:
    """Looked up by phone, not `citizen_id`: the sender may have registered since."""
    if not message.sender:
        return None
    return session.scalars(select(Citizen).where(Citizen.phone == message.sender)).one_or_none()


def answer_language(
    session: Session, message: InboundMessage, citizen: Citizen | None, fallback: str
) -> str:
    """The citizen's saved language; else the one their automatic acknowledgement went
    out in (the keyword or saved choice of the moment); else the deployment's first."""
    if citizen is not None:
        return citizen.language
    if message.reply_id is not None:
        language = session.scalar(
            select(OutboundMessage.language).where(OutboundMessage.id == message.reply_id)
        )
        if language:
            return language
    return fallback


def stopped_since(message: InboundMessage, citizen: Citizen | None) -> bool:
    """Whether the sender texted STOP after sending `message`. An answer to their own
    message is one they asked for, like a keyword's reply, and goes despite an older STOP;
    but a STOP sent since then is the newer word and is obeyed."""
    if citizen is None or not citizen.sms_opted_out:
        return False
    return citizen.sms_consent_at is None or citizen.sms_consent_at >= message.received_at


def _row(message: InboundMessage, cases: dict[str, list[CaseChoice]]) -> InboxRow:
    return InboxRow(
        message.id,
        message.sender,
        message.text,
        message.received_at,
        cases.get(message.sender, []) if message.sender else [],
    )
