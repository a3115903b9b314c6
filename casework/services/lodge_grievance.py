"""A citizen's complaint enters the triage queue."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select

from casework.actors import Actor
from casework.citizens import find_or_register_citizen
from casework.database import Database
from casework.errors import N_, InvalidInput
from casework.grievance_categories import BY_CODE
from casework.models import Agency, Grievance, Office, utcnow
from casework.passwords import hash_pin
from casework.phones import normalise_phone
from casework.privacy import record_consent
from casework.recording import (
    audit,
    case_for_idempotency_key,
    insert_case,
    queue_sms,
    record_event,
)
from casework.service_levels import PUBLIC_HOLIDAYS, acknowledge_by
from casework.workflows import GRIEVANCE

DESCRIPTION_MAX = 2000


@dataclass(frozen=True)
class LodgedGrievance:
    grievance: Grievance
    # Only for anonymous grievances: shown once on screen and sent once by SMS.
    pin: str | None


def lodge_grievance(
    db: Database,
    *,
    phone: str | None,
    category: str,
    description: str,
    channel: str,
    language: str,
    country: str,
    office_id: int | None = None,
    district: str | None = None,
    anonymous: bool = False,
    name: str | None = None,
    idempotency_key: str | None = None,
    holidays: Collection[dt.date] = PUBLIC_HOLIDAYS,
    recorded_by: Actor | None = None,
    privacy_consent: bool = False,
) -> LodgedGrievance:
    """Record a grievance, confirm it by SMS, and put it in the intake agency's queue.

    An anonymous grievance is linked to no citizen; its reference and a 4-digit PIN go to
    `phone` (if given) in one SMS, and the relay forgets the number once that SMS is sent.
    It is due to be acknowledged by `service_levels.acknowledge_by` (24 hours when the
    category is sensitive), counting `holidays` out of the working days.

    `recorded_by` is the officer who took it down for a citizen who walked in or phoned
    (channel "assisted"): the timeline and the audit log name them, not the citizen.

    `privacy_consent`: the citizen sent it under the privacy notice (the channel showed
    it); recorded with the grievance. An anonymous one records none: it keeps no number.
    """
    if category not in BY_CODE:
        raise InvalidInput("category", N_("Choose what your complaint is about"))
    text = (description or "").strip()
    if not text:
        raise InvalidInput("description", N_("Describe what happened"))
    if len(text) > DESCRIPTION_MAX:
        raise InvalidInput(
            "description",
            N_("Your description must be %(limit)s characters or fewer"),
            limit=DESCRIPTION_MAX,
        )
    if phone is None and not anonymous:
        raise InvalidInput("phone", N_("Enter your mobile number"))
    # Anonymous on the web may leave no number: the reference and PIN show on screen.
    e164 = normalise_phone(phone, "ZZ", mobile_only=False) if phone else None
    pin = f"{secrets.randbelow(10_000):04d}" if anonymous else None
    pin_hash = hash_pin(pin) if pin else None  # before the transaction: it takes a few ms

    with db.transaction() as session:
        earlier = case_for_idempotency_key(session, idempotency_key)
        if isinstance(earlier, Grievance):
            return LodgedGrievance(earlier, None)  # the PIN went out with the first one
        office = session.get(Office, office_id) if office_id is not None else None
        if office_id is not None and office is None:
            raise InvalidInput("office", N_("Choose an office from the list"))
        if office is None and not (district or "").strip():
            raise InvalidInput("district", N_("Choose your office or district"))
        agency_id = office.agency_id if office else _intake_agency_id(session)
        citizen = None
        if not anonymous:
            citizen = find_or_register_citizen(
                session, e164 or "", language=language, country=country, name=name
            )
            if privacy_consent:
                record_consent(session, citizen, channel)
        now = utcnow()
        grievance = Grievance(
            kind=GRIEVANCE.kind,
            status=GRIEVANCE.initial,
            citizen=citizen,
            agency_id=agency_id,
            channel=channel,
            language=language,
            category=category,
            description=text,
            office=office,
            district=office.district if office else district.strip(),  # type: ignore[union-attr]
            anonymous=anonymous,
            pin_hash=pin_hash,
            priority="urgent" if BY_CODE[category].sensitive else "normal",
            due_at=acknowledge_by(category, now, holidays),
            idempotency_key=idempotency_key,
        )
        insert_case(session, grievance)
        actor = recorded_by or Actor.citizen(citizen.id if citizen else None, channel)
        event = record_event(
            session, grievance, actor, "created", public=True, to_status=GRIEVANCE.initial
        )
        audit(session, actor, "grievance.lodged", case=grievance, detail={"category": category})
        queue_sms(
            session,
            grievance,
            event,
            "grievance_lodged_anonymous" if anonymous else GRIEVANCE.created_template,
            to=e164,
            params={"pin": pin} if pin else None,
        )
    return LodgedGrievance(grievance, pin)


def _intake_agency_id(session) -> int:  # type: ignore[no-untyped-def]
    agency_id = session.scalar(select(Agency.id).where(Agency.intake).order_by(Agency.id))
    if agency_id is None:
        raise RuntimeError("no agency is marked as the grievance intake (Agency.intake)")
    return agency_id
