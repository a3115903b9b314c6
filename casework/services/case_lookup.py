"""Loading a case to change it, locked so two officers can't both move it at once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.errors import N_, NotFound
from casework.models import Case


def case_for_update(session: Session, case_id: int, actor: Actor) -> Case:
    """The case, row-locked on PostgreSQL (SQLite's write lock is already held).

    A citizen may act only on their own case; anyone else's answers exactly like a case
    that does not exist, so a guessed id reveals nothing.
    """
    case = session.scalars(
        select(Case).where(Case.id == case_id).with_for_update(of=Case)
    ).one_or_none()
    if case is None or (actor.type == "citizen" and case.citizen_id != actor.citizen_id):
        raise NotFound(N_("We could not find that case"))
    return case
