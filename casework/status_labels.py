"""What each status is called when a citizen reads it (SMS, USSD, web).

English, and the gettext message ids the channels translate. Short: they go into
one-part SMS and 182-character USSD screens.
"""

from __future__ import annotations

from casework.errors import N_

STATUS_LABELS = {
    "grievance": {
        "lodged": N_("received"),
        "acknowledged": N_("acknowledged"),
        "assigned": N_("with an officer"),
        "in_progress": N_("being worked on"),
        "resolved": N_("resolved"),
        "closed": N_("closed"),
        "rejected": N_("not accepted"),
        "escalated": N_("escalated to a supervisor"),
        "reopened": N_("reopened"),
    },
    "referral": {
        "sent": N_("sent"),
        "accepted": N_("accepted"),
        "declined": N_("declined"),
        "in_progress": N_("being worked on"),
        "completed": N_("completed"),
        "cancelled": N_("cancelled"),
    },
    "application": {
        "submitted": N_("received"),
        "under_review": N_("being reviewed"),
        "more_info_needed": N_("waiting for more information from you"),
        "approved": N_("approved"),
        "rejected": N_("not approved"),
        "withdrawn": N_("withdrawn"),
    },
}


def status_label(kind: str, status: str) -> str:
    return STATUS_LABELS[kind][status]
