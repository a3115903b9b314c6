"""A citizen answers an officer's request for more information about their application."""

from __future__ import annotations

from casework.actors import Actor
from casework.database import Database
from casework.errors import N_, InvalidInput
from casework.models import CaseEvent
from casework.recording import audit, record_event
from casework.services.case_lookup import case_for_update
from casework.services.transition import apply_transition

ANSWER_MAX = 2000


def answer_information_request(db: Database, case_id: int, actor: Actor, text: str) -> CaseEvent:
    """The answer goes on the timeline and the application returns to the officer's review
    queue, together."""
    body = (text or "").strip()
    if not body:
        raise InvalidInput("answer", N_("Write your answer"))
    if len(body) > ANSWER_MAX:
        raise InvalidInput(
            "answer", N_("Your answer must be %(limit)s characters or fewer"), limit=ANSWER_MAX
        )
    with db.transaction() as session:
        case = case_for_update(session, case_id, actor)
        event = record_event(session, case, actor, "message", public=True, body=body)
        audit(session, actor, "application.information_given", case=case)
        apply_transition(session, case, "under_review", actor)
        return event
