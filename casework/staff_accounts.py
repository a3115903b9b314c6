"""Staff accounts: created by administrators (or the CLI), passwords kept as argon2 hashes."""

from __future__ import annotations

import re

from sqlalchemy import select

from casework.actors import Actor
from casework.database import Database
from casework.errors import N_, InvalidInput
from casework.models import Agency, Role, StaffUser
from casework.passwords import hash_secret
from casework.recording import audit

PASSWORD_MIN = 12
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def create_staff(
    db: Database,
    *,
    username: str,
    password: str,
    display_name: str,
    role: str,
    agency_code: str,
    actor: Actor | None = None,
) -> StaffUser:
    """A new staff account in `agency_code` with `role`. Audited as `actor` (default: system)."""
    username = (username or "").strip().lower()
    if not _USERNAME.match(username):
        raise InvalidInput(
            "username",
            N_("A username has 2 to 64 letters, digits, dots, dashes or underscores"),
        )
    if role not in {r.value for r in Role}:
        raise InvalidInput("role", N_("Choose a role from the list"))
    if len(password or "") < PASSWORD_MIN:
        raise InvalidInput(
            "password", N_("A password must have at least %(min)s characters"), min=PASSWORD_MIN
        )
    if not (display_name or "").strip():
        raise InvalidInput("display_name", N_("Enter the person's name"))
    with db.transaction() as session:
        agency = session.scalar(select(Agency).where(Agency.code == agency_code))
        if agency is None:
            raise InvalidInput("agency", N_("Choose an agency from the list"))
        if session.scalar(select(StaffUser.id).where(StaffUser.username == username)):
            raise InvalidInput("username", N_("That username is taken"))
        user = StaffUser(
            username=username,
            display_name=display_name.strip(),
            password_hash=hash_secret(password),
            role=role,
            agency=agency,
        )
        session.add(user)
        session.flush()
        audit(session, actor or Actor.system(), "staff.created", detail={"staff_id": user.id})
    return user
