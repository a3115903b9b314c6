"""Triage actions that are not a status change: what a grievance is about and how urgent,
and a message to the citizen written by an officer."""

from __future__ import annotations

from casework.actors import Actor
from casework.database import Database
from casework.errors import N_, InvalidInput, NotPermitted
from casework.grievance_categories import BY_CODE
from casework.models import CaseEvent, Grievance, utcnow
from casework.recording import audit, queue_sms, record_event
from casework.service_levels import acknowledge_by, resolve_by
from casework.services.case_lookup import case_for_update

PRIORITIES = ("low", "normal", "high", "urgent")
MESSAGE_MAX = 459  # three SMS parts at most: an officer's note, not a letter


def reclassify(
    db: Database, case_id: int, actor: Actor, *, category: str, priority: str
) -> CaseEvent:
    """Correct a grievance's category and priority (an internal change, audited)."""
    if actor.type != "staff":
        raise NotPermitted(N_("Your role cannot make this change"))
    if category not in BY_CODE:
        raise InvalidInput("category", N_("Choose what the complaint is about"))
    if priority not in PRIORITIES:
        raise InvalidInput("priority", N_("Choose a priority"))
    with db.transaction() as session:
        case = case_for_update(session, case_id, actor)
        if not isinstance(case, Grievance):
            raise InvalidInput("category", N_("Only complaints have a category"))
        before = (case.category, case.priority)
        case.category, case.priority = category, priority
        if before[0] != category:
            # A complaint now found to be about abuse must be dealt with in 24 hours, not
            # in the old category's time.
            case.due_at = (
                acknowledge_by(category, case.created_at)
                if case.status == "lodged"
                else resolve_by(category, case.acknowledged_at or utcnow())
            )
        event = record_event(
            session,
            case,
            actor,
            "reclassified",
            public=False,
            body=f"{before[0]}/{before[1]} -> {category}/{priority}",
        )
        audit(
            session,
            actor,
            "case.reclassified",
            case=case,
            detail={"from": list(before), "to": [category, priority]},
        )
        return event


def message_citizen(
    db: Database, case_id: int, actor: Actor, text: str, *, template: str = "staff_message"
) -> CaseEvent:
    """A message to the citizen, on the case's timeline and by SMS: the officer's own words
    (`staff_message`), or a standard `template` whose wording (in the citizen's language)
    is `text`."""
    body = " ".join((text or "").split())
    if not body:
        raise InvalidInput("text", N_("Write the message"))
    if len(body) > MESSAGE_MAX:
        raise InvalidInput(
            "text", N_("The message must be %(limit)s characters or fewer"), limit=MESSAGE_MAX
        )
    if actor.type != "staff":
        raise NotPermitted(N_("Your role cannot make this change"))
    with db.transaction() as session:
        case = case_for_update(session, case_id, actor)
        event = record_event(session, case, actor, "message", public=True, body=body)
        audit(session, actor, "case.messaged", case=case)
        queue_sms(
            session,
            case,
            event,
            template,
            params={"text": body} if template == "staff_message" else None,
        )
        return event
