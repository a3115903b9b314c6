"""Queue outbox rows directly, as a casework change would, for relay tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from casework.database import Database
from casework.models import OutboundMessage, utcnow


def queue(db: Database, count: int = 1, **overrides: Any) -> list[int]:
    """`count` distinct closed-case messages, each naming its own reference."""
    ids = []
    with db.transaction() as session:
        for n in range(count):
            values: dict[str, Any] = {
                "to": f"+2783{n % 10_000_000:07d}",
                "template": "grievance_closed",
                "params": {"reference": f"G {n:04d} 0000 00"},
                "language": "en",
            }
            message = OutboundMessage(**(values | overrides))
            session.add(message)
            session.flush()
            ids.append(message.id)
    return ids


def rows(db: Database) -> list[OutboundMessage]:
    with db.read() as session:
        return list(session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)))


def make_due(db: Database) -> None:
    """Let time pass for retries and expired claims."""
    past = utcnow() - dt.timedelta(seconds=1)
    with db.transaction() as session:
        for message in session.scalars(select(OutboundMessage)):
            message.next_attempt_at = past
            if message.claimed_until is not None:
                message.claimed_until = past
