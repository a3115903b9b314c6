"""Who the system knows: citizens (by phone) and staff (by username, in an agency)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, Timestamped, utcnow

if TYPE_CHECKING:
    from casework.models.directory import Agency


class Citizen(Timestamped, Base):
    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(primary_key=True)
    # E.164; nullable because retention anonymises old records and keeps the statistics.
    phone: Mapped[str | None] = mapped_column(String(16), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    national_id: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    sms_consent: Mapped[bool] = mapped_column(default=False)
    sms_consent_at: Mapped[dt.datetime | None]
    # Set by an inbound STOP: only messages about the citizen's own open cases still go.
    sms_opted_out: Mapped[bool] = mapped_column(default=False)


class PrivacyConsent(Base):
    """A citizen agreed to (or, by SMS, was sent) the privacy notice: when, on which
    channel, which version of it (casework.privacy.NOTICE_VERSION).

    `citizen_id` for a known citizen; `phone` alone for a number that texted us without
    being one, so the notice goes to each number once.
    """

    __tablename__ = "privacy_consents"
    __table_args__ = (CheckConstraint("how IN ('agreed', 'notified')", name="how"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(16), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    notice_version: Mapped[str] = mapped_column(String(16))
    # agreed: sent a form or signed in under the notice; notified: the SMS notice went.
    how: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Role(enum.StrEnum):
    TRIAGE_OFFICER = "triage_officer"
    CASE_OFFICER = "case_officer"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"


class StaffUser(Timestamped, Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    last_login_at: Mapped[dt.datetime | None]

    agency: Mapped[Agency] = relationship()
