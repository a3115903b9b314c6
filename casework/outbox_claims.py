"""Claims on outbox rows, shared by every outbox: the SMS (casework.outbox) and the
webhook deliveries (casework.webhook_outbox).

A row is committed `queued` with the change that caused it. A relay claims it (`sending`)
for a lease, under a token of its own, then records how it went: back to the queue for a
retry, or a final status. At-least-once: a row whose claim ran out (its relay died) is due
again, and the relay that took it over is the only one whose record counts.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Protocol, TypeVar

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from casework.models import MessageStatus, OutboundMessage, WebhookDelivery, utcnow

QUEUED, SENDING, SENT = MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT
DELIVERED, FAILED, EXPIRED = MessageStatus.DELIVERED, MessageStatus.FAILED, MessageStatus.EXPIRED

Row = TypeVar("Row", OutboundMessage, WebhookDelivery)


class Claim(Protocol):
    """What a relay holds of a claimed row: enough to prove the claim is still its own."""

    @property
    def id(self) -> int: ...

    @property
    def claim_token(self) -> str: ...


def claim_due_rows(
    session: Session, model: type[Row], limit: int, lease: dt.timedelta
) -> list[Row]:
    """Claim up to `limit` due rows of `model`, oldest first, under one new token.

    Due: queued with `next_attempt_at` passed, or left `sending` by a relay whose claim
    ran out. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets relays claim side by side without
    waiting for or doubling each other; on SQLite the write lock serialises them.
    """
    now = utcnow()
    token = secrets.token_hex(8)
    rows = session.scalars(
        select(model)
        .where(
            or_(
                and_(model.status == QUEUED.value, model.next_attempt_at <= now),
                and_(model.status == SENDING.value, model.claimed_until < now),
            )
        )
        .order_by(model.next_attempt_at, model.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.status = SENDING.value
        row.claimed_until = now + lease
        row.claim_token = token
    return list(rows)


def held_row(session: Session, model: type[Row], claim: Claim) -> Row | None:
    """The row, locked and its claim cleared, if this claim still holds it; None if the
    claim ran out and another relay took the row over (its record wins)."""
    row = session.get(model, claim.id, with_for_update=True)
    if row is None or row.status != SENDING.value or row.claim_token != claim.claim_token:
        return None
    row.claimed_until = None
    row.claim_token = None
    return row


def requeue(row: Row, reason: str, next_attempt_at: dt.datetime) -> None:
    """A transient failure: one attempt spent, back to the queue until `next_attempt_at`."""
    row.status = QUEUED.value
    row.attempts += 1
    row.next_attempt_at = next_attempt_at
    row.failure_reason = reason


def finish(row: Row, status: str, reason: str, *, count_attempt: bool = True) -> None:
    """A final status: `failed` (permanent) or `expired` (out of time)."""
    row.status = status
    row.attempts += 1 if count_attempt else 0
    row.failure_reason = reason


def release(
    session: Session, model: type[Row], claims: Sequence[Claim], until: dt.datetime
) -> None:
    """Hand claimed rows back untouched (paused, or stopping); no attempt is counted.

    All of `claims` come from one batch, so they share its token.
    """
    if not claims:
        return
    session.execute(
        update(model)
        .where(
            model.id.in_([claim.id for claim in claims]),
            model.status == SENDING.value,
            model.claim_token == claims[0].claim_token,
        )
        .values(status=QUEUED.value, claimed_until=None, claim_token=None, next_attempt_at=until)
    )
