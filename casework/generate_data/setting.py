"""What generated cases are about and who works them: the seeded directory, read back,
and staff accounts for each agency (made once, found again on the next run)."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from casework.database import Database
from casework.generate_data.flows import ServiceInfo, Setting
from casework.generate_data.people import LANGUAGES, person_name
from casework.generate_data.seeded import seeded
from casework.generate_data.timelines import Actor
from casework.models import Agency, Office, Role, Service, StaffUser
from casework.passwords import hash_secret

# How often each demo service is applied for, relative to the others: grants dominate.
SERVICE_POPULARITY = {
    "child-support-grant": 30,
    "social-relief-of-distress": 25,
    "older-persons-grant": 10,
    "disability-grant": 6,
    "food-parcels": 6,
    "identity-document": 5,
    "birth-registration": 4,
    "chronic-medicine-collection": 4,
}
OTHER_SERVICE_POPULARITY = 1

GENERATED_PREFIX = "generated-"


class DirectoryMissing(RuntimeError):
    """There is no directory to generate cases against: run seed-demo first."""


def load_setting(db: Database, cases: int, seed: int) -> Setting:
    """The directory and generated staff, scaled to the number of cases: a case officer for
    about every 60,000 cases an agency gets (3 to 40), two supervisors an agency, and
    triage officers at the intake agency."""
    with db.read() as session:
        agencies = list(session.scalars(select(Agency).order_by(Agency.id)))
        offices = list(session.scalars(select(Office).order_by(Office.id)))
        services = list(session.scalars(select(Service).where(Service.active).order_by(Service.id)))
    intake = [agency for agency in agencies if agency.intake]
    if not intake or not offices or not services:
        raise DirectoryMissing(
            "The database has no directory (agencies, offices, services): run "
            "`flask --app portal seed-demo` first."
        )
    officers_each = max(3, min(40, cases // 60_000))
    staff = _generated_staff(db, agencies, intake[0].id, officers_each, seed)
    by_role = {
        role: {
            agency.id: tuple(a for a, agency_id in staff[role] if agency_id == agency.id)
            for agency in agencies
        }
        for role in staff
    }
    return Setting(
        intake_id=intake[0].id,
        agency_ids=tuple(agency.id for agency in agencies),
        offices=tuple((o.id, o.agency_id, o.district) for o in offices),
        districts=tuple(sorted({o.district for o in offices})),
        services=tuple(
            ServiceInfo(
                s.id,
                s.agency_id,
                tuple(s.channels),
                s.service_level_days,
                tuple(s.application_fields),
            )
            for s in services
        ),
        service_weights=tuple(
            SERVICE_POPULARITY.get(s.code, OTHER_SERVICE_POPULARITY) for s in services
        ),
        officers=by_role[Role.CASE_OFFICER.value],
        supervisors=by_role[Role.SUPERVISOR.value],
        triage=by_role[Role.TRIAGE_OFFICER.value][intake[0].id],
    )


def _generated_staff(
    db: Database, agencies: list[Agency], intake_id: int, officers_each: int, seed: int
) -> dict[str, list[tuple[Actor, int]]]:
    """{role: [(actor, agency id)]}, creating the accounts that do not exist yet.

    Their password is random and never shown: nobody signs in as a generated officer.
    """
    wanted: list[tuple[str, str, int]] = []  # (username, role, agency id)
    for agency in agencies:
        roles = [(Role.SUPERVISOR.value, 2), (Role.CASE_OFFICER.value, officers_each)]
        if agency.id == intake_id:
            roles.append((Role.TRIAGE_OFFICER.value, max(2, officers_each // 3)))
        for role, count in roles:
            for n in range(1, count + 1):
                wanted.append((f"{GENERATED_PREFIX}{agency.code}-{role}-{n}", role, agency.id))
    rng = seeded("staff", seed)
    with db.transaction() as session:
        existing = {
            user.username: user
            for user in session.scalars(
                select(StaffUser).where(StaffUser.username.startswith(GENERATED_PREFIX))
            )
        }
        missing = [w for w in wanted if w[0] not in existing]
        password_hash = hash_secret(secrets.token_urlsafe(24)) if missing else ""
        for username, role, agency_id in missing:
            user = StaffUser(
                username=username,
                display_name=person_name(rng, rng.choice(LANGUAGES)),
                password_hash=password_hash,
                role=role,
                agency_id=agency_id,
            )
            session.add(user)
            existing[username] = user
        session.flush()
        found: dict[str, list[tuple[Actor, int]]] = {role.value: [] for role in Role}
        for username, role, agency_id in wanted:
            user = existing[username]
            actor = Actor("staff", role, user.id, user.display_name)
            found[role].append((actor, agency_id))
    return found
