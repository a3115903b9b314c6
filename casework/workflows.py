"""The three case workflows, as data: statuses, transitions, who may make them, and
which ones tell the citizen by SMS (with which template).

Read this file to know what a case can do next; `transition()` enforces it and nothing
else decides. Actor roles are the staff roles plus `citizen` (acting on their own case)
and `system` (scheduled sweeps).
"""

from __future__ import annotations

from dataclasses import dataclass

from casework.models import CaseKind, Role

CITIZEN = "citizen"
SYSTEM = "system"

TRIAGE = Role.TRIAGE_OFFICER.value
OFFICER = Role.CASE_OFFICER.value
SUPERVISOR = Role.SUPERVISOR.value
ADMIN = Role.ADMINISTRATOR.value

INTAKE = frozenset({TRIAGE, SUPERVISOR, ADMIN})
CASEWORK = frozenset({OFFICER, SUPERVISOR, ADMIN})
SENIOR = frozenset({SUPERVISOR, ADMIN})


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[str]
    # The SMS template that tells the citizen, or None for an internal step.
    template: str | None = None
    reason_required: bool = False


@dataclass(frozen=True)
class Workflow:
    kind: str
    initial: str
    # The template of the SMS that confirms a new case.
    created_template: str
    statuses: tuple[str, ...]
    final: frozenset[str]
    transitions: tuple[Transition, ...]

    def find(self, source: str, target: str) -> Transition | None:
        for candidate in self.transitions:
            if candidate.source == source and candidate.target == target:
                return candidate
        return None

    def targets(self, source: str) -> list[str]:
        return [t.target for t in self.transitions if t.source == source]

    def is_open(self, status: str) -> bool:
        return status not in self.final


def _t(
    sources: str,
    target: str,
    roles: frozenset[str] | set[str],
    template: str | None = None,
    *,
    reason: bool = False,
) -> list[Transition]:
    """One transition into `target` from each of the space-separated `sources`."""
    return [
        Transition(source, target, frozenset(roles), template, reason) for source in sources.split()
    ]


GRIEVANCE = Workflow(
    kind=CaseKind.GRIEVANCE.value,
    initial="lodged",
    created_template="grievance_lodged",
    statuses=(
        "lodged",
        "acknowledged",
        "assigned",
        "in_progress",
        "resolved",
        "closed",
        "rejected",
        "escalated",
        "reopened",
    ),
    final=frozenset({"closed", "rejected"}),
    transitions=(
        *_t("lodged", "acknowledged", INTAKE, "grievance_acknowledged"),
        # Case officers reach `assigned` by taking a case themselves (see `assign`).
        *_t(
            "acknowledged reopened escalated", "assigned", INTAKE | {OFFICER}, "grievance_assigned"
        ),
        *_t("assigned reopened escalated", "in_progress", CASEWORK, "grievance_in_progress"),
        *_t("in_progress escalated", "resolved", CASEWORK, "grievance_resolved", reason=True),
        *_t("resolved", "closed", CASEWORK | {CITIZEN, SYSTEM}, "grievance_closed"),
        *_t("resolved", "reopened", SENIOR | {CITIZEN, TRIAGE}, "grievance_reopened", reason=True),
        *_t("lodged acknowledged", "rejected", INTAKE, "grievance_rejected", reason=True),
        *_t(
            "lodged acknowledged assigned in_progress reopened",
            "escalated",
            SENIOR | {TRIAGE, OFFICER, SYSTEM},
            "grievance_escalated",
            reason=True,
        ),
    ),
)

REFERRAL = Workflow(
    kind=CaseKind.REFERRAL.value,
    initial="sent",
    created_template="referral_sent",
    statuses=("sent", "accepted", "declined", "in_progress", "completed", "cancelled"),
    final=frozenset({"declined", "completed", "cancelled"}),
    transitions=(
        *_t("sent", "accepted", CASEWORK, "referral_accepted"),
        *_t("sent", "declined", CASEWORK, "referral_declined", reason=True),
        *_t("accepted", "in_progress", CASEWORK),
        *_t("in_progress", "completed", CASEWORK, "referral_completed"),
        *_t("sent accepted in_progress", "cancelled", CASEWORK, "referral_cancelled", reason=True),
    ),
)

APPLICATION = Workflow(
    kind=CaseKind.APPLICATION.value,
    initial="submitted",
    created_template="application_submitted",
    statuses=(
        "submitted",
        "under_review",
        "more_info_needed",
        "approved",
        "rejected",
        "withdrawn",
    ),
    final=frozenset({"approved", "rejected", "withdrawn"}),
    transitions=(
        *_t("submitted", "under_review", CASEWORK, "application_under_review"),
        *_t("under_review", "more_info_needed", CASEWORK, "application_more_info", reason=True),
        # The citizen answering the request puts it back in the officer's queue.
        *_t("more_info_needed", "under_review", CASEWORK | {CITIZEN}),
        *_t("under_review", "approved", CASEWORK, "application_approved"),
        *_t("under_review", "rejected", CASEWORK, "application_rejected", reason=True),
        *_t(
            "submitted under_review more_info_needed",
            "withdrawn",
            CASEWORK | {CITIZEN},
            "application_withdrawn",
        ),
    ),
)

WORKFLOWS: dict[str, Workflow] = {w.kind: w for w in (GRIEVANCE, REFERRAL, APPLICATION)}
ALL_ROLES = frozenset({*(role.value for role in Role), CITIZEN, SYSTEM})
