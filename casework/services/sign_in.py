"""Signing a citizen in on the web with a code sent by SMS to their phone.

Anyone with a phone may sign in (a new number is registered at its first sign-in), so no
answer here depends on whether a number is known: nothing tells a stranger who uses us.
"""

from __future__ import annotations

import datetime as dt
import secrets
from functools import cache

from sqlalchemy import func, select, update

from casework.actors import Actor
from casework.citizens import find_or_register_citizen
from casework.database import Database
from casework.models import Channel, Citizen, OutboundMessage, SignInCode, utcnow
from casework.passwords import hash_secret, verify_secret
from casework.privacy import record_consent
from casework.recording import audit

CODE_LIFETIME = dt.timedelta(minutes=10)
TRIES_PER_CODE = 5
# Codes one phone may be sent in a quarter of an hour: enough for a slow SMS and a
# second try, too few to bomb a stranger's phone (or our SMS bill).
CODES_PER_PHONE = 3
CODES_WINDOW = dt.timedelta(minutes=15)


def send_sign_in_code(db: Database, phone: str, language: str) -> bool:
    """Queue a new 6-digit code for `phone` (E.164), replacing any earlier one.

    False when this phone has had its share of codes lately; the caller says the same
    thing either way.
    """
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = utcnow()
    with db.transaction() as session:
        recent = session.scalar(
            select(func.count(SignInCode.id)).where(
                SignInCode.phone == phone, SignInCode.created_at > now - CODES_WINDOW
            )
        )
        if recent >= CODES_PER_PHONE:
            return False
        session.execute(
            update(SignInCode)
            .where(SignInCode.phone == phone, SignInCode.spent_at.is_(None))
            .values(spent_at=now)
        )
        session.add(
            SignInCode(phone=phone, code_hash=hash_secret(code), expires_at=now + CODE_LIFETIME)
        )
        language = session.scalar(select(Citizen.language).where(Citizen.phone == phone)) or (
            language
        )
        session.add(
            OutboundMessage(
                to=phone, template="sign_in_code", params={"code": code}, language=language
            )
        )
    return True


def check_sign_in_code(
    db: Database, phone: str, code: str, *, language: str, country: str
) -> Citizen | None:
    """The citizen, signed in, if `code` is the phone's live code; else None.

    Each check uses up one of the code's tries, wrong or right, and the code works once.
    """
    now = utcnow()
    with db.transaction() as session:
        row = session.scalars(
            select(SignInCode)
            .where(
                SignInCode.phone == phone,
                SignInCode.spent_at.is_(None),
                SignInCode.expires_at > now,
                SignInCode.attempts < TRIES_PER_CODE,
            )
            .order_by(SignInCode.id.desc())
            .limit(1)
            .with_for_update()
        ).one_or_none()
        # The hash is checked even without a live code, so a wrong guess takes as long
        # either way.
        matches = verify_secret(row.code_hash if row else _decoy(), code.strip())
        if row is None:
            return None
        row.attempts += 1
        if not matches:
            return None
        row.spent_at = now
        citizen = find_or_register_citizen(session, phone, language=language, country=country)
        # The sign-in page says that signing in accepts the privacy notice.
        record_consent(session, citizen, Channel.WEB.value)
        audit(
            session,
            Actor.citizen(citizen.id, Channel.WEB.value),
            "citizen.signed_in",
            citizen_id=citizen.id,
        )
        return citizen


@cache
def _decoy() -> str:
    return hash_secret(secrets.token_hex(8))
