"""The overdue sweep: a grievance past its deadline goes to the agency's supervisors, and
every citizen whose case is late hears so, once.

Run every few minutes by the relay process and by `flask --app portal casework sweep`.
It is safe to run twice, or in two relays at once: each case is locked and looked at
again in a transaction of its own, and what the sweep did is recorded on the case's
timeline, which is what it checks the next time. One case that cannot be swept is
logged and skipped; the others still are.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from casework.actors import Actor
from casework.database import Database
from casework.i18n import DISPLAY_TIMEZONE
from casework.models import Case, CaseEvent, CaseKind, utcnow
from casework.recording import audit, queue_sms, record_event
from casework.services.case_lookup import case_for_update
from casework.services.transition import apply_transition

log = logging.getLogger(__name__)

GRIEVANCE = CaseKind.GRIEVANCE.value
# Statuses in which the agency owes the next step, so the deadline is theirs to miss. Not
# `more_info_needed` (the citizen owes an answer) and not `resolved` (the work is done).
AGENCY_OWES: dict[str, frozenset[str]] = {
    GRIEVANCE: frozenset(
        {"lodged", "acknowledged", "assigned", "in_progress", "reopened", "escalated"}
    ),
    CaseKind.APPLICATION.value: frozenset({"submitted", "under_review"}),
    CaseKind.REFERRAL.value: frozenset({"sent", "accepted", "in_progress"}),
}
ESCALATE_FROM = AGENCY_OWES[GRIEVANCE] - {"escalated"}

NOT_ACKNOWLEDGED = "Overdue: not acknowledged in time"
NOT_RESOLVED = "Overdue: not resolved in time"
SUPERVISOR_NOTE = "Escalated to supervisors: overdue"
# The public timeline event that records the citizen was told (with or without an SMS).
DELAYED = "delayed"
DELAYED_TEMPLATE = "case_delayed"

# Citizens hear in the daytime: a deadline that passes at 02:00 is texted at 08:00.
DAYTIME_FROM = dt.time(8)
DAYTIME_UNTIL = dt.time(20)


@dataclass(frozen=True)
class SweepResult:
    escalated: int = 0
    # Citizens sent the `case_delayed` SMS (anonymous grievances have nobody to tell).
    told_delayed: int = 0
    # Cases that raised; each is logged, and the next sweep tries them again.
    failed: int = 0


def sweep_overdue(db: Database, now: dt.datetime | None = None) -> SweepResult:
    """Escalate every overdue grievance once and tell every late case's citizen once.

    An open grievance past its `due_at` (and never escalated by a sweep before) moves to
    `escalated` through its workflow as the system, with the reason why, and an internal
    note for the agency's supervisors. Its citizen gets one `case_delayed` SMS instead of
    the escalation's own. Applications and referrals past their due date are not
    escalated; their citizens are told once too.
    """
    now = now or utcnow()
    with db.read() as session:
        case_ids = list(session.scalars(_candidates(now)))
    escalated = told = failed = 0
    for case_id in case_ids:
        try:
            did_escalate, did_tell = _sweep_case(db, case_id, now)
        except Exception:
            log.exception("overdue sweep skipped case %s", case_id, extra={"case_id": case_id})
            failed += 1
            continue
        escalated += did_escalate
        told += did_tell
    if escalated or told or failed:
        log.info(
            "overdue sweep: %s escalated, %s told delayed, %s failed",
            escalated,
            told,
            failed,
            extra={"escalated": escalated, "told_delayed": told, "failed": failed},
        )
    return SweepResult(escalated=escalated, told_delayed=told, failed=failed)


def _candidates(now: dt.datetime) -> Select[tuple[int]]:
    """Ids of the overdue cases with something left to do, soonest due first."""
    owes = or_(
        *(
            and_(Case.kind == kind, Case.status.in_(statuses))
            for kind, statuses in AGENCY_OWES.items()
        )
    )
    may_escalate = and_(
        Case.kind == GRIEVANCE,
        Case.status.in_(ESCALATE_FROM),
        ~exists().where(CaseEvent.case_id == Case.id, _swept_escalation()),
    )
    not_told = ~exists().where(CaseEvent.case_id == Case.id, CaseEvent.type == DELAYED)
    return (
        select(Case.id)
        # Every status the agency owes a step in is open: said, it lets the database
        # read only the open cases, in due order, from their own index.
        .where(Case.closed_at.is_(None), Case.due_at < now, owes, or_(not_told, may_escalate))
        .order_by(Case.due_at, Case.id)
    )


def _sweep_case(db: Database, case_id: int, now: dt.datetime) -> tuple[bool, bool]:
    actor = Actor.system()
    with db.transaction() as session:
        # Locked, then looked at again: another sweep or an officer may have got here first.
        case = case_for_update(session, case_id, actor)
        if (
            case.due_at is None
            or case.due_at >= now
            or case.status not in AGENCY_OWES.get(case.kind, ())
        ):
            return False, False
        escalate = (
            case.kind == GRIEVANCE
            and case.status in ESCALATE_FROM
            and not _has_event(session, case_id, _swept_escalation())
        )
        tell = not _has_event(session, case_id, CaseEvent.type == DELAYED)
        if escalate:
            _escalate(session, case, actor)
        told = _tell_delayed(session, case, actor, now) if tell else False
        return escalate, told


def _escalate(session: Session, case: Case, actor: Actor) -> None:
    missed = "acknowledge" if case.status == "lodged" else "resolve"
    reason = NOT_ACKNOWLEDGED if missed == "acknowledge" else NOT_RESOLVED
    # The citizen hears from `_tell_delayed` instead: one message, not two.
    apply_transition(session, case, "escalated", actor, reason=reason, notify=False)
    record_event(session, case, actor, "note", public=False, body=SUPERVISOR_NOTE)
    audit(session, actor, "case.escalated_overdue", case=case, detail={"missed": missed})


def _tell_delayed(session: Session, case: Case, actor: Actor, now: dt.datetime) -> bool:
    event = record_event(session, case, actor, DELAYED, public=True)
    message = queue_sms(session, case, event, DELAYED_TEMPLATE)
    if message is not None:
        message.next_attempt_at = _daytime(now)
    audit(session, actor, "case.told_delayed", case=case, detail={"sms": message is not None})
    return message is not None


def _swept_escalation() -> ColumnElement[bool]:
    # Only a sweep escalates as the system; a case it escalated once is the supervisors'
    # to move on, and is not escalated again when they do.
    return and_(
        CaseEvent.type == "status_changed",
        CaseEvent.to_status == "escalated",
        CaseEvent.actor_type == "system",
    )


def _has_event(session: Session, case_id: int, condition: ColumnElement[bool]) -> bool:
    found = session.scalar(
        select(CaseEvent.id).where(CaseEvent.case_id == case_id, condition).limit(1)
    )
    return found is not None


def _daytime(now: dt.datetime) -> dt.datetime:
    """`now`, or the next 08:00 in South Africa when `now` is at night."""
    local = now.astimezone(DISPLAY_TIMEZONE)
    if DAYTIME_FROM <= local.time() < DAYTIME_UNTIL:
        return now
    morning = local.replace(hour=DAYTIME_FROM.hour, minute=0, second=0, microsecond=0)
    if local.time() >= DAYTIME_UNTIL:
        morning += dt.timedelta(days=1)
    return morning.astimezone(dt.UTC)
