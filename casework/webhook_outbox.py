"""The webhook deliveries' bookkeeping, for the relay (notifications.webhook_relay).

A WebhookDelivery is an outbox row like an SMS (casework.outbox): queued with the change
it reports, claimed under a lease, then sent, retried, failed or expired. The claims are
the SMS outbox's own (casework.outbox_claims); only what a delivery carries differs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from casework.database import Database
from casework.models import WebhookDelivery, WebhookSubscription, utcnow
from casework.outbox_claims import (
    FAILED,
    SENDING,
    SENT,
    claim_due_rows,
    finish,
    held_row,
    release,
    requeue,
)


@dataclass(frozen=True)
class ClaimedWebhook:
    id: int
    claim_token: str
    subscription_id: int
    event: str
    url: str
    # Kept out of repr: a claim that ends up in a log line or a traceback shows neither
    # the signing key nor the body.
    secret: str = field(repr=False)
    # The exact bytes to send and sign: the payload with the delivery's id added, the
    # same on every attempt, so a receiver can deduplicate on it.
    body: bytes = field(repr=False)
    attempts: int
    created_at: dt.datetime
    # False once the agency unsubscribed: what was still queued is not sent.
    subscribed: bool


def claim_due_webhooks(db: Database, limit: int, lease: dt.timedelta) -> list[ClaimedWebhook]:
    """Claim up to `limit` due deliveries for this relay, oldest first, relays side by
    side on PostgreSQL as for SMS (casework.outbox_claims.claim_due_rows)."""
    with db.transaction() as session:
        return _describe(session, claim_due_rows(session, WebhookDelivery, limit, lease))


def _describe(session: Session, rows: Sequence[WebhookDelivery]) -> list[ClaimedWebhook]:
    """What the relay needs of each row, with its subscription's, in one query more."""
    if not rows:
        return []
    subscriptions = {
        subscription.id: subscription
        for subscription in session.scalars(
            select(WebhookSubscription).where(
                WebhookSubscription.id.in_({row.subscription_id for row in rows})
            )
        )
    }
    claimed = []
    for row in rows:
        subscription = subscriptions[row.subscription_id]
        claimed.append(
            ClaimedWebhook(
                id=row.id,
                claim_token=row.claim_token or "",
                subscription_id=row.subscription_id,
                event=row.event,
                url=subscription.url,
                secret=subscription.secret,
                body=delivery_body(row.id, row.payload),
                attempts=row.attempts,
                created_at=row.created_at,
                subscribed=subscription.active,
            )
        )
    return claimed


def delivery_body(delivery_id: int, payload: dict[str, Any]) -> bytes:
    """The JSON a subscriber receives: `id` (the delivery's, as in the Thusa-Delivery
    header) first, then the event as queued."""
    return json.dumps({"id": delivery_id, **payload}, separators=(",", ":")).encode()


def record_webhook_sent(db: Database, claim: ClaimedWebhook, response_status: int) -> bool:
    """The subscriber answered 2xx. False if the claim was lost (another relay took the
    row over; the delivery may then have gone twice, which its id lets a receiver see)."""
    with db.transaction() as session:
        held = session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == claim.id,
                WebhookDelivery.status == SENDING.value,
                WebhookDelivery.claim_token == claim.claim_token,
            )
            .values(
                status=SENT.value,
                attempts=WebhookDelivery.attempts + 1,
                sent_at=utcnow(),
                response_status=response_status,
                failure_reason=None,
                claimed_until=None,
                claim_token=None,  # nosec B105: a claim cleared, not a password
            )
            .returning(WebhookDelivery.id)
            .execution_options(synchronize_session=False)
        ).first()
        return held is not None


def record_webhook_retry(
    db: Database,
    claim: ClaimedWebhook,
    reason: str,
    next_attempt_at: dt.datetime,
    *,
    response_status: int | None = None,
) -> None:
    """A transient failure (timeout, 408, 429, 5xx): back to the queue until then."""
    with db.transaction() as session:
        row = held_row(session, WebhookDelivery, claim)
        if row is not None:
            requeue(row, reason, next_attempt_at)
            row.response_status = response_status


def record_webhook_failure(
    db: Database,
    claim: ClaimedWebhook,
    reason: str,
    *,
    status: str = FAILED.value,
    response_status: int | None = None,
    count_attempt: bool = True,
) -> None:
    """A permanent failure (`failed`: the subscriber refused it, or unsubscribed), or the
    retry window ran out (`expired`)."""
    with db.transaction() as session:
        row = held_row(session, WebhookDelivery, claim)
        if row is not None:
            finish(row, status, reason, count_attempt=count_attempt)
            if response_status is not None:
                row.response_status = response_status


def release_webhook_claims(
    db: Database, claims: Sequence[ClaimedWebhook], until: dt.datetime
) -> None:
    """Hand claimed deliveries back untouched; no attempt is counted."""
    if claims:
        with db.transaction() as session:
            release(session, WebhookDelivery, claims, until)
