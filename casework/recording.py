"""The three records every change leaves, written in the caller's transaction:
the timeline event, the audit row and, when the citizen should know, the SMS.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.models import AuditLog, Case, CaseEvent, OutboundMessage, utcnow
from casework.references import format_reference, new_reference
from casework.webhook_events import queue_webhooks

# With 900 million possible references a clash is rare, but over millions of cases it
# happens; past this many in a row something else is wrong (a broken random source).
MAX_REFERENCE_ATTEMPTS = 20


def insert_case(session: Session, case: Case, draw: Any = None) -> Case:
    """Give `case` a fresh random reference and insert it, drawing again on a clash.

    Each try runs in a SAVEPOINT, so a clash rolls back only that try, never the
    caller's transaction. The unique index is the check: asking first would cost every
    submission a query for a clash that comes once in millions.
    """
    for _ in range(MAX_REFERENCE_ATTEMPTS):
        candidate = new_reference(draw) if draw else new_reference()
        case.reference = candidate
        try:
            with session.begin_nested():
                session.add(case)
                session.flush()
        except IntegrityError:
            # Rolling back the SAVEPOINT already took the pending case out of the session.
            if case in session:
                session.expunge(case)
            if not _reference_taken(session, candidate):
                raise  # some other constraint failed: drawing again would not help
            continue
        return case
    raise RuntimeError("could not draw an unused case reference")


def case_for_idempotency_key(session: Session, key: str | None) -> Case | None:
    """The case an earlier submission with this key created, if any."""
    if key is None:
        return None
    return session.scalars(select(Case).where(Case.idempotency_key == key)).one_or_none()


def _reference_taken(session: Session, reference: str) -> bool:
    return session.scalar(select(Case.id).where(Case.reference == reference)) is not None


def record_event(
    session: Session,
    case: Case,
    actor: Actor,
    type: str,
    *,
    public: bool,
    from_status: str | None = None,
    to_status: str | None = None,
    body: str | None = None,
) -> CaseEvent:
    event = CaseEvent(
        case=case,
        type=type,
        public=public,
        from_status=from_status,
        to_status=to_status,
        body=body,
        actor_type=actor.type,
        actor_staff_id=actor.staff_id,
        actor_api_key_id=actor.api_key_id,
    )
    # Anything on the timeline changes the case for whoever syncs by `updated_at` (a
    # note or a message changes no column of `cases` by itself). A case just created
    # has it from its insert: setting it again would cost every submission an UPDATE.
    if type != "created":
        case.updated_at = utcnow()
    session.add(event)
    session.flush()  # the event's id goes on the SMS that reports it
    queue_webhooks(session, case, event)  # in this transaction: told only if it commits
    return event


def audit(
    session: Session,
    actor: Actor,
    action: str,
    *,
    case: Case | None = None,
    citizen_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Ids and action names only: the audit log must never copy sensitive text."""
    session.add(
        AuditLog(
            actor_type=actor.type,
            actor_staff_id=actor.staff_id,
            actor_api_key_id=actor.api_key_id,
            actor_citizen_id=actor.citizen_id,
            action=action,
            channel=actor.channel,
            case_id=case.id if case else None,
            citizen_id=citizen_id
            if citizen_id is not None
            else (case.citizen_id if case else None),
            detail=detail or {},
        )
    )


def queue_sms(
    session: Session,
    case: Case,
    event: CaseEvent,
    template: str,
    *,
    to: str | None = None,
    params: dict[str, Any] | None = None,
) -> OutboundMessage | None:
    """Queue `template` for the case's citizen (or `to`); the relay sends it after commit.

    Returns None when there is nobody to tell (an anonymous grievance after its first SMS).
    """
    recipient = to or (case.citizen.phone if case.citizen else None)
    if not recipient:
        return None
    language = case.citizen.language if case.citizen else case.language
    message = OutboundMessage(
        to=recipient,
        template=template,
        params={"reference": format_reference(case.reference, case.kind), **(params or {})},
        language=language,
        case_id=case.id,
        case_event_id=event.id,
    )
    session.add(message)
    return message
