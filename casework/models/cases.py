"""Cases: the one thing a citizen tracks, in three kinds, and their timeline.

Joined-table inheritance: `cases` holds what every kind shares (so one query lists a
citizen's cases, or a queue), each kind's details live in their own table.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, Timestamped, utcnow
from casework.models.directory import Agency, Office, Service
from casework.models.people import Citizen, StaffUser

OPEN = "closed_at IS NULL"
DECLINED = "status = 'declined'"
RESOLVED = "to_status = 'resolved'"


def _where(condition: str) -> dict[str, Any]:
    """A partial index's condition, on both databases."""
    return {"postgresql_where": sql_text(condition), "sqlite_where": sql_text(condition)}


class CaseKind(enum.StrEnum):
    APPLICATION = "application"
    REFERRAL = "referral"
    GRIEVANCE = "grievance"


class Channel(enum.StrEnum):
    WEB = "web"
    USSD = "ussd"
    SMS = "sms"
    ASSISTED = "assisted"
    API = "api"


class Case(Timestamped, Base):
    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint("kind IN ('application', 'referral', 'grievance')", name="kind"),
        CheckConstraint("channel IN ('web', 'ussd', 'sms', 'assisted', 'api')", name="channel"),
        # Queues: one agency's open work of one kind, soonest due first.
        Index("ix_cases_queue", "agency_id", "kind", "status", "due_at"),
        # The staff queues at millions of cases read only what is still to do: partial
        # indexes hold the open cases (a few weeks' work, however long the history) and
        # the referrals declined back to their sender, each in queue order.
        Index("ix_cases_open_due", "due_at", "id", **_where(OPEN)),
        Index("ix_cases_open_by_kind", "kind", "status", "due_at", "id", **_where(OPEN)),
        Index("ix_cases_declined_due", "kind", "due_at", "id", **_where(DECLINED)),
        # The dashboard's weekly trend and medians: the cases of a kind lodged lately.
        Index("ix_cases_kind_created", "kind", "created_at"),
        # Agencies' systems syncing what changed since their last call (/api/v1).
        Index("ix_cases_updated", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Ten digits, the last a Damm check digit (casework.references).
    reference: Mapped[str] = mapped_column(String(10), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32))
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    due_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    # Set by the retention job (casework.retention) when it took out the personal data.
    anonymised_at: Mapped[dt.datetime | None]
    # Set by a channel that may submit the same thing twice (a USSD hop the gateway
    # retries, a web form posted twice): the second submission returns the first case.
    # A unique index, not a constraint: SQLite can add one without rebuilding the table.
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True, index=True)

    citizen: Mapped[Citizen | None] = relationship()
    agency: Mapped[Agency] = relationship(foreign_keys=[agency_id])
    assigned_to: Mapped[StaffUser | None] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"polymorphic_on": "kind"}  # noqa: RUF012


class Application(Case):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    # {field name: answer}, as defined by the service's application fields.
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)

    service: Mapped[Service] = relationship()

    __mapper_args__ = {"polymorphic_identity": CaseKind.APPLICATION.value}  # noqa: RUF012


class Referral(Case):
    """A citizen sent from one agency to another. `agency_id` is the receiving agency."""

    __tablename__ = "referrals"
    __table_args__ = (
        # "Referred by us" in every staff scope: the ids, read from the index alone.
        Index("ix_referrals_from_agency", "from_agency_id", "id"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    from_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    source_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(16))

    from_agency: Mapped[Agency] = relationship(foreign_keys=[from_agency_id])
    service: Mapped[Service | None] = relationship()

    __mapper_args__ = {  # noqa: RUF012
        "polymorphic_identity": CaseKind.REFERRAL.value,
        "inherit_condition": id == Case.id,
    }


class Grievance(Case):
    """A complaint. Anonymous ones have no citizen; the PIN proves ownership instead."""

    __tablename__ = "grievances"

    id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    description: Mapped[str] = mapped_column(Text)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    district: Mapped[str] = mapped_column(String(100), index=True)
    anonymous: Mapped[bool] = mapped_column(default=False)
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    acknowledged_at: Mapped[dt.datetime | None]

    office: Mapped[Office | None] = relationship()

    __mapper_args__ = {"polymorphic_identity": CaseKind.GRIEVANCE.value}  # noqa: RUF012


class CaseEvent(Base):
    """One line of a case's timeline. `public` events are shown to the citizen."""

    __tablename__ = "case_events"
    __table_args__ = (
        # The dashboard's "resolved per week": a small share of all the events.
        Index("ix_case_events_resolved", "at", **_where(RESOLVED)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # created, status_changed, assigned, note, message
    type: Mapped[str] = mapped_column(String(32))
    public: Mapped[bool]
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    body: Mapped[str | None] = mapped_column(Text)
    actor_type: Mapped[str] = mapped_column(String(16))
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    # An agency system acting through its API key (actor_type "api").
    actor_api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"))

    case: Mapped[Case] = relationship(back_populates="events")
    actor_staff: Mapped[StaffUser | None] = relationship()
