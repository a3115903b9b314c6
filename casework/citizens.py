"""Finding a citizen by phone, or registering them at first contact."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.database import Database
from casework.errors import N_, InvalidInput
from casework.models import Citizen, utcnow
from casework.national_ids import normalise_national_id
from casework.phones import normalise_phone

NAME_MAX = 200


def find_or_register_citizen(
    session: Session,
    phone: str,
    *,
    language: str,
    country: str,
    name: str | None = None,
    national_id: str | None = None,
    sms_consent: bool | None = None,
) -> Citizen:
    """The citizen with this phone, created on first contact.

    `phone` must already be E.164 (channels normalise what people type with
    `normalise_phone` and the deployment's country). Details given now fill gaps but
    never overwrite what the citizen saved before: a USSD session is no place to change
    a name on file.
    """
    e164 = normalise_phone(phone, "ZZ", mobile_only=False)
    if name is not None and len(name.strip()) > NAME_MAX:
        raise InvalidInput("name", N_("Your name must be 200 characters or fewer"))
    clean_id = normalise_national_id(national_id, country) if national_id else None
    citizen = session.scalar(select(Citizen).where(Citizen.phone == e164))
    if citizen is None:
        citizen = Citizen(phone=e164, language=language)
        session.add(citizen)
    if name and not citizen.name:
        citizen.name = name.strip()
    if clean_id and not citizen.national_id:
        citizen.national_id = clean_id
    if sms_consent is not None and sms_consent != citizen.sms_consent:
        citizen.sms_consent = sms_consent
        citizen.sms_consent_at = utcnow()
    session.flush()
    return citizen


def citizen_language(db: Database, phone: str) -> str | None:
    with db.read() as session:
        return session.scalar(select(Citizen.language).where(Citizen.phone == phone))


def sms_wanted(db: Database, citizen_id: int) -> bool:
    """Whether the citizen takes SMS beyond their own cases (not opted out with STOP)."""
    with db.read() as session:
        opted_out = session.scalar(select(Citizen.sms_opted_out).where(Citizen.id == citizen_id))
    return not opted_out
