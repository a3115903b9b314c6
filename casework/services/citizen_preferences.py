"""A citizen picks the language every channel should use with them."""

from __future__ import annotations

from sqlalchemy import select

from casework.actors import Actor
from casework.database import Database
from casework.errors import N_, InvalidInput
from casework.i18n import LANGUAGE_NAMES
from casework.models import Citizen, utcnow
from casework.phones import normalise_phone
from casework.recording import audit


def choose_language(db: Database, phone: str, language: str, channel: str) -> Citizen:
    """Save `language` for the citizen with this phone, registering them if they are new."""
    if language not in LANGUAGE_NAMES:
        raise InvalidInput("language", N_("Choose a language from the list"))
    e164 = normalise_phone(phone, "ZZ", mobile_only=False)
    with db.transaction() as session:
        citizen = session.scalars(select(Citizen).where(Citizen.phone == e164)).one_or_none()
        if citizen is None:
            citizen = Citizen(phone=e164, language=language)
            session.add(citizen)
        citizen.language = language
        session.flush()
        audit(
            session,
            Actor.citizen(citizen.id, channel),
            "citizen.language",
            citizen_id=citizen.id,
            detail={"language": language},
        )
    return citizen


def set_sms_consent(db: Database, citizen_id: int, consent: bool, channel: str) -> None:
    """Whether the citizen wants SMS beyond what concerns their own cases (STOP/START)."""
    with db.transaction() as session:
        citizen = session.get(Citizen, citizen_id)
        if citizen is None:
            return
        citizen.sms_consent = consent
        citizen.sms_opted_out = not consent
        citizen.sms_consent_at = utcnow()
        audit(
            session,
            Actor.citizen(citizen.id, channel),
            "citizen.sms_consent",
            citizen_id=citizen.id,
            detail={"consent": consent},
        )
