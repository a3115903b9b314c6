"""A demo directory and demo staff accounts, so a fresh install has something to show.

Only for an empty database: the directory rows are inserted, never merged.
"""

from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from casework.database import Database
from casework.demo_directory_data import AGENCIES, AREAS, OFFICES, SERVICES
from casework.models import Agency, Office, Role, Service, ServiceText
from casework.staff_accounts import create_staff

COUNTRY = "ZA"

# (username, display name, role, agency code)
DEMO_STAFF = (
    ("triage.demo", "Thandiwe Mokoena", Role.TRIAGE_OFFICER, "dsd"),
    ("officer.sassa", "Sipho Ndlovu", Role.CASE_OFFICER, "sassa"),
    ("officer.dsd", "Lerato Dlamini", Role.CASE_OFFICER, "dsd"),
    ("supervisor.dsd", "Nomsa Khumalo", Role.SUPERVISOR, "dsd"),
    ("admin.demo", "Pieter van der Merwe", Role.ADMINISTRATOR, "dsd"),
    ("officer.health", "Ayesha Patel", Role.CASE_OFFICER, "health"),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    agency_code: str


def directory_is_empty(db: Database) -> bool:
    with db.read() as session:
        return session.scalar(select(Agency.id).limit(1)) is None


def seed_demo(db: Database, *, with_staff: bool = True) -> list[DemoAccount]:
    """Insert the demo directory and staff; return the staff logins to show once."""
    _insert_directory(db)
    if not with_staff:
        return []
    # Staff are created after the directory has committed: create_staff runs its own
    # transaction and looks the agency up by code.
    accounts = []
    for username, display_name, role, agency_code in DEMO_STAFF:
        # Random per install, so a demo left running is not open to a published password.
        password = secrets.token_urlsafe(12)
        create_staff(
            db,
            username=username,
            password=password,
            display_name=display_name,
            role=role.value,
            agency_code=agency_code,
        )
        accounts.append(DemoAccount(username, password, role.value, agency_code))
    return accounts


def _insert_directory(db: Database) -> None:
    with db.transaction() as session:
        if session.scalar(select(Agency.id).limit(1)) is not None:
            raise RuntimeError("The directory is not empty: the demo data is for a new database")
        agencies = {entry["code"]: Agency(country=COUNTRY, **entry) for entry in AGENCIES}
        session.add_all(agencies.values())

        offices_by_agency: dict[str, list[Office]] = {code: [] for code in agencies}
        for entry in OFFICES:
            fields = dict(entry)
            agency_code = fields.pop("agency")
            place = {**AREAS[fields.pop("area")], **fields}
            place["opening_hours"] = [dict(hours) for hours in place["opening_hours"]]
            office = Office(agency=agencies[agency_code], **place)
            offices_by_agency[agency_code].append(office)
        session.add_all(office for offices in offices_by_agency.values() for office in offices)

        for entry in SERVICES:
            service = Service(
                code=entry["code"],
                agency=agencies[entry["agency"]],
                category=entry["category"],
                channels=list(entry["channels"]),
                service_level_days=entry["service_level_days"],
                # Copied: the data shares some field definitions between services.
                application_fields=copy.deepcopy(entry["application_fields"]),
                offices=list(offices_by_agency[entry["agency"]]),
            )
            service.texts.append(ServiceText(language="en", **copy.deepcopy(entry["text"])))
            session.add(service)
