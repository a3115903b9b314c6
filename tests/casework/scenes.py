"""A small world most casework tests start from: two agencies, staff of every role,
a service and a citizen.
"""

from __future__ import annotations

from dataclasses import dataclass

from casework.actors import Actor
from casework.database import Database
from casework.models import Agency, Citizen, Office, Role, Service, StaffUser
from tests.factories import (
    create_agency,
    create_citizen,
    create_office,
    create_service,
    create_staff_user,
)


@dataclass
class World:
    intake: Agency
    other: Agency
    office: Office
    service: Service  # the other agency's
    intake_service: Service
    citizen: Citizen
    staff: dict[str, StaffUser]
    other_officer: StaffUser

    def actor(self, role: str, *, receiving: bool = False) -> Actor:
        """`receiving`: staff of the other agency (the side that answers a referral)."""
        if role == "citizen":
            return Actor.citizen(self.citizen.id, "web")
        if role == "system":
            return Actor.system()
        if receiving:
            return Actor(
                "staff", role, "web", staff_id=self.other_officer.id, agency_id=self.other.id
            )
        return Actor.staff(self.staff[role])


def build_world(db: Database) -> World:
    intake = create_agency(db, code="dsd", short_name="DSD", intake=True)
    other = create_agency(db, code="sassa", short_name="SASSA")
    return World(
        intake=intake,
        other=other,
        office=create_office(db, intake, district="eThekwini"),
        service=create_service(db, other),
        intake_service=create_service(db, intake),
        citizen=create_citizen(db, phone="+27821234567", language="zu"),
        staff={role.value: create_staff_user(db, intake, role.value) for role in Role},
        other_officer=create_staff_user(db, other, Role.CASE_OFFICER.value),
    )
