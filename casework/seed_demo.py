"""A demo directory and demo staff accounts, so a fresh install has something to show.

Only for an empty database: the directory rows are inserted, never merged.
"""

from __future__ import annotations

import copy
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from casework.database import Database
from casework.demo_directory_data import AGENCIES, AREAS, OFFICES, SERVICES
from casework.models import Agency, Office, Role, Service, ServiceText
from casework.staff_accounts import create_staff

COUNTRY = "ZA"
# The directory's words in each language but English: {"services": {code: text},
# "questions": {English label: label}} (see TRANSLATING.md).
TEXTS_DIR = Path(__file__).resolve().parent / "demo_directory_text"

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

        translated = directory_texts()
        for entry in SERVICES:
            service = Service(
                code=entry["code"],
                agency=agencies[entry["agency"]],
                category=entry["category"],
                channels=list(entry["channels"]),
                service_level_days=entry["service_level_days"],
                application_fields=_labelled(entry["application_fields"], translated),
                offices=list(offices_by_agency[entry["agency"]]),
            )
            service.texts.append(ServiceText(language="en", **copy.deepcopy(entry["text"])))
            for language, texts in translated.items():
                if entry["code"] in texts["services"]:
                    text = copy.deepcopy(texts["services"][entry["code"]])
                    service.texts.append(ServiceText(language=language, **text))
            session.add(service)


def directory_texts() -> dict[str, dict[str, Any]]:
    """Each language's directory file, by language code."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(TEXTS_DIR.glob("*.json"))
    }


def _labelled(
    fields: list[dict[str, Any]], translated: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The form's questions (copied: the data shares some definitions between services),
    each label and choice label in every language that has it."""
    fields = copy.deepcopy(fields)
    for field in fields:
        labels = [field["label"], *(choice["label"] for choice in field.get("choices", ()))]
        for label in labels:
            for language, texts in translated.items():
                if label["en"] in texts["questions"]:
                    label[language] = texts["questions"][label["en"]]
    return fields
