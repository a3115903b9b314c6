"""Moving a case along its workflow, the only way a status ever changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.database import Database
from casework.errors import N_, InvalidInput, NotPermitted, TransitionNotAllowed
from casework.models import Case, CaseEvent, Grievance, Role, utcnow
from casework.recording import audit, queue_sms, record_event
from casework.service_levels import PUBLIC_HOLIDAYS, resolve_by
from casework.services.case_lookup import case_for_update
from casework.workflows import WORKFLOWS

REASON_MAX = 2000


def transition(
    db: Database,
    case_id: int,
    target: str,
    actor: Actor,
    *,
    reason: str | None = None,
    holidays: Collection[dt.date] = PUBLIC_HOLIDAYS,
) -> CaseEvent:
    """Change the case's status to `target` if its workflow allows it for `actor`'s role.

    The status, a timeline event (public when the citizen is told), an audit row and the
    citizen's SMS commit together. Raises TransitionNotAllowed, NotPermitted or
    InvalidInput (a reason is missing) before anything is written. A grievance that is
    acknowledged (or reopened) becomes due by its category's resolve deadline.
    """
    with db.transaction() as session:
        case = case_for_update(session, case_id, actor)
        return apply_transition(session, case, target, actor, reason=reason, holidays=holidays)


def apply_transition(
    session: Session,
    case: Case,
    target: str,
    actor: Actor,
    *,
    reason: str | None = None,
    notify: bool = True,
    holidays: Collection[dt.date] = PUBLIC_HOLIDAYS,
) -> CaseEvent:
    """`transition` inside a transaction the caller already holds (used by `assign`).

    `notify=False` leaves the step's SMS out, for a caller that tells the citizen in a
    message of its own (the overdue sweep).
    """
    workflow = WORKFLOWS[case.kind]
    step = workflow.find(case.status, target)
    if step is None:
        raise TransitionNotAllowed(
            N_("A case that is %(status)s cannot become %(target)s"),
            status=case.status,
            target=target,
        )
    side_ok = on_the_right_side(
        case.kind, case.agency_id, getattr(case, "from_agency_id", None), target, actor
    )
    if actor.role not in step.roles or not side_ok:
        raise NotPermitted(N_("Your role cannot make this change"))
    reason = (reason or "").strip() or None
    if step.reason_required and not reason:
        raise InvalidInput("reason", N_("Give a reason for this change"))
    if reason and len(reason) > REASON_MAX:
        raise InvalidInput(
            "reason", N_("The reason must be %(limit)s characters or fewer"), limit=REASON_MAX
        )

    source = case.status
    case.status = target
    now = utcnow()
    case.closed_at = None if workflow.is_open(target) else now
    if isinstance(case, Grievance) and target == "acknowledged":
        case.acknowledged_at = now
    if isinstance(case, Grievance) and target in ("acknowledged", "reopened"):
        # A fresh promise: the old deadline (to acknowledge, or the one already met) is
        # no longer what the agency owes.
        case.due_at = resolve_by(case.category, now, holidays)
    event = record_event(
        session,
        case,
        actor,
        "status_changed",
        public=step.template is not None,
        from_status=source,
        to_status=target,
        body=reason,
    )
    audit(session, actor, "case.transition", case=case, detail={"from": source, "to": target})
    if step.template and notify:
        queue_sms(session, case, event, step.template)
    return event


# The receiving agency answers a referral; the agency that sent it may only call it off.
_RECEIVER_STEPS = {"accepted", "declined", "in_progress", "completed"}


def on_the_right_side(
    kind: str, agency_id: int, from_agency_id: int | None, target: str, actor: Actor
) -> bool:
    """For a referral, whether `actor`'s agency is the side that makes this step."""
    if kind != "referral" or not actor.is_staff_like or actor.role == Role.ADMINISTRATOR:
        return True
    if target in _RECEIVER_STEPS:
        return actor.agency_id == agency_id
    return actor.agency_id == from_agency_id
