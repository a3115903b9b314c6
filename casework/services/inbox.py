"""Dealing with an inbound SMS that matched no keyword: attach it to a case, answer it, or
dismiss it. Each is one transaction with its audit row.

Two officers may open the same message at once. Whoever's conditional UPDATE (`WHERE
handled_at IS NULL`) lands first wins; the other's finds no open row, learns who won, and
rolls back, so an answer is never queued twice. On PostgreSQL the second UPDATE waits for
the first transaction's row lock and then re-reads the row; on SQLite the write lock taken
at BEGIN already makes the two take turns.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.database import Database
from casework.errors import N_, CaseworkError, InvalidInput, NotFound
from casework.inbox_queries import (
    answer_language,
    require_inbox_role,
    sender_citizen,
    stopped_since,
)
from casework.models import (
    Case,
    CaseEvent,
    InboundMessage,
    InboxOutcome,
    OutboundMessage,
    StaffUser,
    utcnow,
)
from casework.recording import audit, record_event
from casework.references import parse_reference
from casework.services.triage import MESSAGE_MAX
from casework.staff_queries import in_scope

ANSWER_TEMPLATE = "inbox_reply"
CITIZEN_SMS = "citizen_sms"  # the case event an attached message becomes
ALREADY_HANDLED = N_("Already handled by %(name)s")


class AlreadyHandled(CaseworkError):
    """Another officer dealt with the message first; nothing was changed or sent."""


def attach_inbound(db: Database, inbound_id: int, actor: Actor, reference: str) -> CaseEvent:
    """Put the message's text on the case's timeline, for staff only (the citizen wrote
    it; showing it back to them, or to whoever follows the case, adds nothing and may
    expose it). A case out of the actor's scope answers exactly like no case at all."""
    require_inbox_role(actor)
    if not (reference or "").strip():
        raise InvalidInput("reference", N_("Enter the case reference"))
    digits, _kind = parse_reference(reference)
    with db.transaction() as session:
        message = _open_message(session, inbound_id)
        case = session.scalars(
            in_scope(select(Case), actor).where(Case.reference == digits)
        ).one_or_none()
        if case is None:
            raise InvalidInput("reference", N_("No case with that reference"))
        _claim(session, message.id, actor, InboxOutcome.ATTACHED, case_id=case.id)
        event = record_event(session, case, actor, CITIZEN_SMS, public=False, body=message.text)
        audit(session, actor, "sms.attached", case=case, detail={"inbound_id": message.id})
        return event


def answer_inbound(
    db: Database, inbound_id: int, actor: Actor, text: str, *, fallback_language: str = "en"
) -> OutboundMessage:
    """Text the sender back in the officer's words, through the outbox.

    The answer is "requested" (its template says so): it goes even to a number that had
    texted STOP before writing to us, as a keyword's reply does, but not to one that
    texted STOP after this message.
    """
    require_inbox_role(actor)
    body = " ".join((text or "").split())
    if not body:
        raise InvalidInput("text", N_("Write the message"))
    if len(body) > MESSAGE_MAX:
        raise InvalidInput(
            "text", N_("The message must be %(limit)s characters or fewer"), limit=MESSAGE_MAX
        )
    with db.transaction() as session:
        message = _open_message(session, inbound_id)
        if not message.sender:
            raise InvalidInput("text", N_("This message came from a number that takes no reply"))
        citizen = sender_citizen(session, message)
        if stopped_since(message, citizen):
            raise InvalidInput(
                "text", N_("They texted STOP after this message, so no SMS may go to them")
            )
        _claim(session, message.id, actor, InboxOutcome.ANSWERED)
        answer = OutboundMessage(
            to=message.sender,
            template=ANSWER_TEMPLATE,
            params={"text": body},
            language=answer_language(session, message, citizen, fallback_language),
        )
        session.add(answer)
        session.flush()
        session.execute(
            update(InboundMessage)
            .where(InboundMessage.id == message.id)
            .values(answer_id=answer.id)
            .execution_options(synchronize_session=False)
        )
        audit(
            session,
            actor,
            "sms.answered",
            citizen_id=citizen.id if citizen else None,
            detail={"inbound_id": message.id, "message_id": answer.id},
        )
        return answer


def dismiss_inbound(db: Database, inbound_id: int, actor: Actor) -> None:
    """Take spam, an empty text or a thank-you out of the inbox without doing anything."""
    require_inbox_role(actor)
    with db.transaction() as session:
        message = _open_message(session, inbound_id)
        _claim(session, message.id, actor, InboxOutcome.DISMISSED)
        audit(
            session,
            actor,
            "sms.dismissed",
            citizen_id=message.citizen_id,
            detail={"inbound_id": message.id},
        )


def _open_message(session: Session, inbound_id: int) -> InboundMessage:
    """The inbox message, refused early if already handled (the claim re-checks it)."""
    message = session.scalars(
        select(InboundMessage).where(
            InboundMessage.id == inbound_id, InboundMessage.command == "other"
        )
    ).one_or_none()
    if message is None:
        raise NotFound(N_("We could not find that message"))
    if message.handled_at is not None:
        raise _already_handled(session, inbound_id)
    return message


def _claim(
    session: Session,
    inbound_id: int,
    actor: Actor,
    outcome: InboxOutcome,
    *,
    case_id: int | None = None,
) -> None:
    """Mark the message handled by `actor`, or raise if someone else got there first."""
    claimed = session.execute(
        update(InboundMessage)
        .where(InboundMessage.id == inbound_id, InboundMessage.handled_at.is_(None))
        .values(
            handled_at=utcnow(),
            handled_by_id=actor.staff_id,
            outcome=outcome.value,
            case_id=case_id,
        )
        # The loaded row is not used for these columns again; no need to refresh it.
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise _already_handled(session, inbound_id)


def _already_handled(session: Session, inbound_id: int) -> AlreadyHandled:
    # Columns, not the ORM object: the session's copy of the row may predate the winner's
    # commit, and a column query reads the row as it is now.
    name = session.scalar(
        select(StaffUser.display_name)
        .join(InboundMessage, InboundMessage.handled_by_id == StaffUser.id)
        .where(InboundMessage.id == inbound_id)
    )
    return AlreadyHandled(ALREADY_HANDLED, name=name or "another officer")
