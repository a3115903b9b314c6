"""Staff sign in with a username and password; repeated failures lock the account.

The answer never tells a stranger which usernames exist: a wrong password, an unknown
name and a locked account all fail the same way, in the same time.
"""

from __future__ import annotations

import datetime as dt
import secrets
from functools import cache

from sqlalchemy import select

from casework.actors import Actor
from casework.database import Database
from casework.models import StaffUser, utcnow
from casework.passwords import hash_secret, verify_secret
from casework.recording import audit

FAILURES_BEFORE_LOCK = 5
LOCKED_FOR = dt.timedelta(minutes=15)


def authenticate(db: Database, username: str, password: str) -> StaffUser | None:
    """The staff user, signed in, or None. Each failure counts towards a lock."""
    now = utcnow()
    with db.transaction() as session:
        user = session.scalars(
            select(StaffUser)
            .where(StaffUser.username == (username or "").strip().lower())
            .with_for_update()
        ).one_or_none()
        matches = verify_secret(user.password_hash if user else _decoy(), password or "")
        if user is None or not user.active:
            return None
        if user.locked_until is not None and user.locked_until > now:
            audit(session, Actor.staff(user), "staff.sign_in_locked")
            return None
        if not matches:
            user.failed_logins += 1
            if user.failed_logins >= FAILURES_BEFORE_LOCK:
                user.locked_until = now + LOCKED_FOR
                user.failed_logins = 0
            audit(session, Actor.staff(user), "staff.sign_in_failed")
            return None
        user.failed_logins = 0
        user.locked_until = None
        user.last_login_at = now
        audit(session, Actor.staff(user), "staff.signed_in")
        session.flush()
        return user


def staff_by_id(db: Database, staff_id: int) -> StaffUser | None:
    with db.read() as session:
        user = session.get(StaffUser, staff_id)
        if user is not None:
            user.agency  # noqa: B018  (loaded now: pages show it after the session ends)
        return user if user is not None and user.active else None


def set_active(db: Database, staff_id: int, active: bool, actor: Actor) -> None:
    """Administrators switch accounts off (someone left) and on again (which also unlocks)."""
    with db.transaction() as session:
        user = session.get(StaffUser, staff_id)
        if user is None:
            return
        user.active = active
        user.locked_until = None
        user.failed_logins = 0
        audit(
            session,
            actor,
            "staff.activated" if active else "staff.deactivated",
            detail={"staff_id": staff_id},
        )


def staff_list(db: Database) -> list[StaffUser]:
    with db.read() as session:
        users = list(session.scalars(select(StaffUser).order_by(StaffUser.username)))
        for user in users:
            user.agency  # noqa: B018
        return users


@cache
def _decoy() -> str:
    return hash_secret(secrets.token_hex(8))
