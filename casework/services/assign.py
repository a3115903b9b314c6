"""Giving a case to an agency and an officer."""

from __future__ import annotations

from casework.actors import Actor
from casework.database import Database
from casework.errors import N_, InvalidInput, NotPermitted
from casework.models import Agency, CaseEvent, Role, StaffUser
from casework.recording import audit, record_event
from casework.services.case_lookup import case_for_update
from casework.services.transition import apply_transition
from casework.workflows import WORKFLOWS

ASSIGNERS = {Role.TRIAGE_OFFICER.value, Role.SUPERVISOR.value, Role.ADMINISTRATOR.value}


def assign(
    db: Database,
    case_id: int,
    actor: Actor,
    *,
    officer_id: int | None = None,
    agency_id: int | None = None,
) -> CaseEvent:
    """Move the case to `agency_id` (default: its own) and `officer_id` (or nobody).

    Triage officers, supervisors and administrators assign; a case officer may only take
    a case for themselves. A grievance waiting to be assigned moves to `assigned`, which
    tells the citizen.
    """
    if actor.role not in ASSIGNERS and not (
        actor.role == Role.CASE_OFFICER.value and officer_id == actor.staff_id
    ):
        raise NotPermitted(N_("Your role cannot assign cases"))
    with db.transaction() as session:
        case = case_for_update(session, case_id, actor)
        target_agency = agency_id if agency_id is not None else case.agency_id
        if actor.role == Role.CASE_OFFICER.value and target_agency != actor.agency_id:
            raise NotPermitted(N_("Your role cannot assign cases"))
        if session.get(Agency, target_agency) is None:
            raise InvalidInput("agency", N_("Choose an agency from the list"))
        officer = session.get(StaffUser, officer_id) if officer_id is not None else None
        if officer_id is not None and (
            officer is None or not officer.active or officer.agency_id != target_agency
        ):
            raise InvalidInput("officer", N_("Choose an officer of that agency"))

        previous = {"agency": case.agency_id, "officer": case.assigned_to_id}
        case.agency_id = target_agency
        case.assigned_to_id = officer_id
        event = record_event(
            session,
            case,
            actor,
            "assigned",
            public=False,
            body=officer.display_name if officer else None,
        )
        audit(
            session,
            actor,
            "case.assigned",
            case=case,
            detail={"from": previous, "to": {"agency": target_agency, "officer": officer_id}},
        )
        if WORKFLOWS[case.kind].find(case.status, "assigned") and officer_id is not None:
            event = apply_transition(session, case, "assigned", actor)
        return event
