"""Loading a case to change it, locked so two officers can't both move it at once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.errors import N_, NotFound
from casework.models import Case, CaseKind, Role


def case_for_update(session: Session, case_id: int, actor: Actor) -> Case:
    """The case, row-locked on PostgreSQL (SQLite's write lock is already held).

    A citizen may act only on their own case; anyone else's answers exactly like a case
    that does not exist, so a guessed id reveals nothing.
    """
    case = session.scalars(
        select(Case).where(Case.id == case_id).with_for_update(of=Case)
    ).one_or_none()
    if case is None or not may_act_on(actor, case):
        raise NotFound(N_("We could not find that case"))
    return case


def may_act_on(actor: Actor, case: Case) -> bool:
    """Whose case this is to change. Staff work on their own agency's cases (the receiving
    and the referring agency both, for a referral); triage officers on any grievance;
    administrators on everything. The staff console narrows its queues further.
    """
    if actor.type == "citizen":
        # An anonymous grievance has no citizen: only its PIN, checked elsewhere, opens it.
        return actor.citizen_id is not None and case.citizen_id == actor.citizen_id
    if actor.type == "system" or actor.role == Role.ADMINISTRATOR.value:
        return True
    if actor.role == Role.TRIAGE_OFFICER.value and case.kind == CaseKind.GRIEVANCE.value:
        return True
    agencies = {case.agency_id, getattr(case, "from_agency_id", None)}
    return actor.agency_id in agencies
