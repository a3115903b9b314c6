"""Notes on a case's timeline: internal for staff, or public for the citizen to read."""

from __future__ import annotations

from casework.actors import Actor
from casework.database import Database
from casework.errors import N_, InvalidInput
from casework.models import CaseEvent
from casework.recording import audit, queue_sms, record_event
from casework.services.case_lookup import case_for_update

NOTE_MAX = 2000


def add_note(
    db: Database, case_id: int, actor: Actor, body: str, *, public: bool = False
) -> CaseEvent:
    """Add a note. A public note from staff is a message: the citizen gets an SMS saying so.

    A citizen's own note (an answer to a request for more information) is always public.
    """
    text = (body or "").strip()
    if not text:
        raise InvalidInput("body", N_("Write the note"))
    if len(text) > NOTE_MAX:
        raise InvalidInput(
            "body", N_("The note must be %(limit)s characters or fewer"), limit=NOTE_MAX
        )
    public = public or actor.type == "citizen"
    with db.transaction() as session:
        case = case_for_update(session, case_id, actor)
        event = record_event(
            session, case, actor, "message" if public else "note", public=public, body=text
        )
        audit(session, actor, "case.note", case=case, detail={"public": public})
        if public and actor.type != "citizen":
            queue_sms(session, case, event, "case_message")
        return event
