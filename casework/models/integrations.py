"""Other systems talking to this one: agencies' API keys and their webhook subscriptions.

An API key acts like a staff member of its agency with the key's role (casework.actors),
so everything it reads or changes is scoped, checked and audited exactly as for staff.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.models.base import Base, Timestamped, utcnow

if TYPE_CHECKING:
    from casework.models.directory import Agency


class ApiKey(Timestamped, Base):
    """One agency system's key. Only a hash of its secret is kept: a copy of the database
    opens nothing. `prefix` is the public half, to find the row without trying every hash.
    """

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    # SHA-256 of the secret: the secret is 32 random bytes, so a slow hash adds nothing
    # and would cost every API call.
    secret_hash: Mapped[str] = mapped_column(String(64))
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    agency: Mapped[Agency] = relationship()


class WebhookSubscription(Timestamped, Base):
    """An agency asked to be told about events on its cases at `url`."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"))
    url: Mapped[str] = mapped_column(String(500))
    # The HMAC-SHA256 signing key. Kept as it is (it must sign every delivery), shown to
    # the agency once when it subscribes.
    secret: Mapped[str] = mapped_column(String(128))
    # Event names ("case.created", "case.status_changed", ...); empty means every event.
    events: Mapped[list[str]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(default=True)
    disabled_at: Mapped[dt.datetime | None]

    agency: Mapped[Agency] = relationship()


class WebhookDelivery(Base):
    """One event on its way to one subscription: an outbox row like an SMS, moved along by
    the same relay with the same claims, backoff and final statuses (casework.outbox)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    event: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[dt.datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[dt.datetime | None]
    # The subscriber's last HTTP status, and what went wrong, for the agency to see.
    response_status: Mapped[int | None]
    failure_reason: Mapped[str | None] = mapped_column(Text)
