"""Who is acting: every service function is told, so it can check and audit it."""

from __future__ import annotations

from dataclasses import dataclass

from casework.models import ApiKey, Channel, StaffUser
from casework.workflows import CITIZEN, SYSTEM


@dataclass(frozen=True)
class Actor:
    type: str  # "citizen", "staff", "api" (an agency system, by its key), "system"
    role: str  # the workflow role: a staff role, "citizen" or "system"
    channel: str
    staff_id: int | None = None
    agency_id: int | None = None
    citizen_id: int | None = None
    api_key_id: int | None = None

    @property
    def is_staff_like(self) -> bool:
        """Staff, or an agency system acting with a staff role through its API key."""
        return self.type in ("staff", "api")

    @classmethod
    def staff(cls, user: StaffUser, channel: str = Channel.WEB.value) -> Actor:
        return cls("staff", user.role, channel, staff_id=user.id, agency_id=user.agency_id)

    @classmethod
    def api(cls, key: ApiKey) -> Actor:
        return cls("api", key.role, Channel.API.value, agency_id=key.agency_id, api_key_id=key.id)

    @classmethod
    def citizen(cls, citizen_id: int | None, channel: str) -> Actor:
        return cls("citizen", CITIZEN, channel, citizen_id=citizen_id)

    @classmethod
    def system(cls) -> Actor:
        return cls("system", SYSTEM, "system")
