"""What the system keeps about its own actions: the audit log and the SMS outbox."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base, Timestamped, utcnow

# The staff inbox's messages: no keyword matched, and nobody has dealt with them yet.
OPEN_INBOX = "handled_at IS NULL AND command = 'other'"


class AuditLog(Base):
    """Every staff read and write of a citizen's record, and every write by anyone.

    It holds ids and action names only: no phone numbers, ID numbers or free text, so the
    audit trail itself never becomes a second copy of the sensitive data.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_type: Mapped[str] = mapped_column(String(16))
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    # An agency system acting through its API key (actor_type "api").
    actor_api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"))
    actor_citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"))
    action: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class MessageStatus(enum.StrEnum):
    """Life of an outbox row; the relay (notifications) moves it along."""

    QUEUED = "queued"  # committed with the change that caused it, waiting for the relay
    SENDING = "sending"  # claimed by a relay
    SENT = "sent"  # the gateway accepted it
    DELIVERED = "delivered"  # the network confirmed delivery
    FAILED = "failed"  # permanent failure, or retries ran out; see failure_reason
    EXPIRED = "expired"  # not sent within its window


class OutboundMessage(Timestamped, Base):
    """An SMS waiting to be sent, written in the same transaction as the change it reports."""

    __tablename__ = "outbound_messages"
    __table_args__ = (Index("ix_outbound_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # E.164. Cleared once sent for anonymous grievances, so the case keeps no phone number.
    to: Mapped[str | None] = mapped_column(String(16))
    template: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    language: Mapped[str] = mapped_column(String(8))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    case_event_id: Mapped[int | None] = mapped_column(ForeignKey("case_events.id"))
    status: Mapped[str] = mapped_column(String(16), default=MessageStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # A relay holds the row until then; a relay that died lets it go back to the queue.
    claimed_until: Mapped[dt.datetime | None]
    # Which claim holds the row: a relay whose claim ran out can no longer record over
    # the relay that took the row after it.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[dt.datetime | None]
    delivered_at: Mapped[dt.datetime | None]
    gateway_message_id: Mapped[str | None] = mapped_column(String(64), index=True)
    cost: Mapped[str | None] = mapped_column(String(32))
    parts: Mapped[int | None]
    encoding: Mapped[str | None] = mapped_column(String(8))
    failure_reason: Mapped[str | None] = mapped_column(Text)


class InboxOutcome(enum.StrEnum):
    """How staff dealt with an inbound SMS that matched no keyword (the staff inbox)."""

    ATTACHED = "attached"  # its text went onto a case's timeline
    ANSWERED = "answered"  # an officer texted the sender back
    DISMISSED = "dismissed"  # spam, empty, or nothing to do


class InboundMessage(Base):
    """An SMS a citizen sent us, kept for staff. `gateway_id` makes receiving idempotent."""

    __tablename__ = "inbound_messages"
    __table_args__ = (
        CheckConstraint("outcome IN ('attached', 'answered', 'dismissed')", name="outcome"),
        # The staff inbox: open messages of no keyword, oldest first. Partial, so the
        # index holds only the few waiting messages however many are kept.
        Index(
            "ix_inbound_messages_open",
            "received_at",
            sqlite_where=sql_text(OPEN_INBOX),
            postgresql_where=sql_text(OPEN_INBOX),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gateway_id: Mapped[str] = mapped_column(String(64), unique=True)
    sender: Mapped[str | None] = mapped_column(String(16), index=True)
    to: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    link_id: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # What it was understood as: status, help, stop, start, lang, or other (for staff).
    command: Mapped[str] = mapped_column(String(16))
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_messages.id"))
    # Staff handling (command "other" only): set once, by whichever officer got there first.
    handled_at: Mapped[dt.datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    outcome: Mapped[str | None] = mapped_column(String(16))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_messages.id"))


class GatewayPause(Base):
    """Sending is paused for a reason no retry can fix (no balance, a rejected sender id).

    Kept in the database so every relay stops, and /healthz in any web process can say so.
    """

    __tablename__ = "gateway_pauses"

    gateway: Mapped[str] = mapped_column(String(32), primary_key=True)
    reason: Mapped[str] = mapped_column(String(64))
    paused_until: Mapped[dt.datetime]
    since: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EarlyDeliveryReport(Base):
    """A delivery report that arrived before the relay recorded the gateway's message id
    (the gateway can answer the webhook faster than we commit). Applied by `record_sent`.
    """

    __tablename__ = "early_delivery_reports"

    gateway_message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SignInCode(Base):
    """A one-time code sent by SMS to sign a citizen in on the web. Only its hash is kept."""

    __tablename__ = "sign_in_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    # Set when used, and when a newer code replaces it: either way it opens nothing more.
    spent_at: Mapped[dt.datetime | None]


class Document(Base):
    """A supporting document a citizen uploaded for a case. The file lives outside the web
    root under a random name; only its owner and staff in scope may fetch it."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    # The name the citizen's phone gave it, cleaned, for display only; never a path.
    original_name: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
