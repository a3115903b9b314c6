"""Small `create_<thing>(db, **overrides)` factories for test data.

They insert rows directly: this is setting the scene, not exercising the service
functions (those are tested through their own calls).
"""

from __future__ import annotations

import itertools
from typing import Any

from casework.database import Database
from casework.models import Agency, Case, Citizen, Office, Service, ServiceText, StaffUser
from casework.passwords import hash_secret
from casework.services import LodgedGrievance, lodge_grievance

_numbers = itertools.count(1)
# Hashing is slow on purpose; one hash serves every factory-made account.
STAFF_PASSWORD = "correct horse battery staple"
_STAFF_HASH = hash_secret(STAFF_PASSWORD)


def _save(db: Database, row: Any) -> Any:
    with db.transaction() as session:
        session.add(row)
    return row


def create_agency(db: Database, **overrides: Any) -> Agency:
    n = next(_numbers)
    values = {"code": f"agency{n}", "name": f"Agency {n}", "short_name": f"AG{n}", "country": "ZA"}
    return _save(db, Agency(**(values | overrides)))


def create_office(db: Database, agency: Agency, **overrides: Any) -> Office:
    n = next(_numbers)
    values = {
        "agency_id": agency.id,
        "name": f"Office {n}",
        "district": "City of Johannesburg",
        "municipality": "City of Johannesburg",
        "province": "Gauteng",
        "address": f"{n} Main Road",
        "opening_hours": [{"days": "Mon-Fri", "opens": "08:00", "closes": "16:00"}],
    }
    return _save(db, Office(**(values | overrides)))


def create_service(db: Database, agency: Agency, **overrides: Any) -> Service:
    n = next(_numbers)
    texts = overrides.pop("texts", None) or [
        ServiceText(
            language="en",
            name=f"Service {n}",
            short_name=f"Service {n}",
            description="What it is.",
            eligibility="Who qualifies.",
            required_documents=["ID document"],
            cost="Free",
        )
    ]
    values = {
        "code": f"service{n}",
        "agency_id": agency.id,
        "category": "grants",
        "channels": ["web", "ussd", "assisted"],
        "service_level_days": 10,
        "application_fields": [
            {"name": "children", "type": "number", "label": {"en": "Children?"}, "max": 20},
        ],
    }
    return _save(db, Service(texts=texts, **(values | overrides)))


def create_staff_user(db: Database, agency: Agency, role: str, **overrides: Any) -> StaffUser:
    n = next(_numbers)
    values = {
        "username": f"staff{n}",
        "display_name": f"Staff Member {n}",
        "password_hash": _STAFF_HASH,
        "role": role,
        "agency_id": agency.id,
    }
    return _save(db, StaffUser(**(values | overrides)))


def create_citizen(db: Database, **overrides: Any) -> Citizen:
    n = next(_numbers)
    values = {"phone": f"+2782{n:07d}", "language": "en"}
    return _save(db, Citizen(**(values | overrides)))


def set_status(db: Database, case: Case, status: str) -> None:
    """Put a case in `status` as a test's starting point."""
    with db.transaction() as session:
        session.get(Case, case.id).status = status  # type: ignore[union-attr]
    case.status = status


def lodge(db: Database, **overrides: Any) -> LodgedGrievance:
    """A grievance lodged through the service function, as a citizen would by USSD."""
    values = {
        "phone": "+27821234567",
        "category": "service_delay",
        "description": "I applied in March and nobody has called me back.",
        "channel": "ussd",
        "language": "zu",
        "country": "ZA",
        "district": "eThekwini",
    }
    return lodge_grievance(db, **(values | overrides))
