"""Who is acting: every service function is told, so it can check and audit it."""

from __future__ import annotations

from dataclasses import dataclass

from casework.models import Channel, StaffUser
from casework.workflows import CITIZEN, SYSTEM


@dataclass(frozen=True)
class Actor:
    type: str  # "citizen", "staff", "system"
    role: str  # the workflow role: a staff role, "citizen" or "system"
    channel: str
    staff_id: int | None = None
    agency_id: int | None = None
    citizen_id: int | None = None

    @classmethod
    def staff(cls, user: StaffUser, channel: str = Channel.WEB.value) -> Actor:
        return cls("staff", user.role, channel, staff_id=user.id, agency_id=user.agency_id)

    @classmethod
    def citizen(cls, citizen_id: int | None, channel: str) -> Actor:
        return cls("citizen", CITIZEN, channel, citizen_id=citizen_id)

    @classmethod
    def system(cls) -> Actor:
        return cls("system", SYSTEM, "system")
