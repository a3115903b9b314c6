"""How a case and its timeline are put into words for the citizen, on every channel.

Channels pass their own `gettext`, so the words come out in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable

from casework.case_queries import CaseSummary, PublicEvent
from casework.errors import N_
from casework.grievance_categories import BY_CODE
from casework.status_labels import status_label

Gettext = Callable[[str], str]

EVENT_WORDS = {
    "created": N_("Received"),
    "status_changed": N_("Now %(status)s"),
    "message": N_("Message"),
    "delayed": N_("Taking longer than promised"),
}


def case_subject(case: CaseSummary, gettext: Gettext) -> str:
    """What the case is about: the service, the agency referred to, or the complaint."""
    if case.kind == "grievance":
        category = BY_CODE.get(case.subject)
        return gettext(category.label) if category else gettext("Complaint")
    return case.subject


# Outside the call below: pybabel does not see a message marked inside another call.
UPDATE = N_("Update")


def event_words(kind: str, event: PublicEvent, gettext: Gettext) -> str:
    words = gettext(EVENT_WORDS.get(event.type, UPDATE))
    if event.to_status:
        words = words % {"status": gettext(status_label(kind, event.to_status))}
    return words
