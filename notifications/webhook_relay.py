"""The relay's webhook side: claims due webhook deliveries and posts them, with the same
claims, lease and backoff as the SMS (notifications.relay runs it after each SMS batch).

It goes on whatever the SMS gateway is doing (paused, failing) and takes none of the SMS
send-rate tokens. A subscriber that is down costs one timeout per batch, not one per
delivery: its other deliveries in the batch are handed back for when it is retried. A
time budget per batch keeps slow subscribers from holding up the SMS behind them (sign-in
codes among them).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
from typing import TYPE_CHECKING

from casework import webhook_outbox
from casework.database import Database
from casework.models import utcnow
from casework.outbox_claims import EXPIRED
from notifications.gateways import FAILED, RETRY, SENT
from notifications.retry_schedule import next_attempt_at
from notifications.webhook_sender import PostResult, WebhookSender

if TYPE_CHECKING:
    from notifications.relay import RelaySettings

log = logging.getLogger(__name__)


class WebhookRelay:
    def __init__(
        self,
        db: Database,
        settings: RelaySettings,
        *,
        sender: WebhookSender | None = None,
        rng: random.Random | None = None,
        stop_event: threading.Event | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.sender = sender or WebhookSender(settings.webhook_timeout)
        self.rng = rng or random.Random()  # noqa: S311 (retry jitter, not a secret)  # nosec B311
        self.stop_event = stop_event or threading.Event()

    def run_once(self) -> int:
        """Claim one batch of deliveries and post them; the number dealt with."""
        settings = self.settings
        claimed = webhook_outbox.claim_due_webhooks(self.db, settings.batch_size, settings.lease)
        # Stop well inside the lease (no other relay takes over a row still in hand), and
        # inside the budget (the SMS wait their turn meanwhile).
        deadline = utcnow() + min(settings.lease / 2, settings.webhook_budget)
        # Subscriptions that just failed transiently, and when they are to be tried again.
        failing: dict[int, dt.datetime] = {}
        for position, delivery in enumerate(claimed):
            if position and (self.stop_event.is_set() or utcnow() > deadline):
                webhook_outbox.release_webhook_claims(self.db, claimed[position:], utcnow())
                return position
            if delivery.subscription_id in failing:
                webhook_outbox.release_webhook_claims(
                    self.db, [delivery], failing[delivery.subscription_id]
                )
                continue
            try:
                retry_at = self._deliver(delivery)
            except Exception as error:
                # One delivery that cannot be sent or recorded must not hold up the batch.
                log.exception("webhook delivery %s could not be sent", delivery.id)
                webhook_outbox.record_webhook_failure(
                    self.db, delivery, f"Error: {type(error).__name__}"
                )
                continue
            if retry_at is not None:
                failing[delivery.subscription_id] = retry_at
        return len(claimed)

    def _deliver(self, delivery: webhook_outbox.ClaimedWebhook) -> dt.datetime | None:
        """Post one delivery and record how it went; when it is to be retried, when."""
        if not delivery.subscribed:
            webhook_outbox.record_webhook_failure(
                self.db, delivery, "Unsubscribed", count_attempt=False
            )
            return None
        if utcnow() - delivery.created_at > self.settings.retry_window:
            webhook_outbox.record_webhook_failure(
                self.db, delivery, "NotSentInTime", status=EXPIRED.value, count_attempt=False
            )
            return None
        result = self.sender.post(delivery)
        _log(delivery, result)
        if result.outcome == SENT:
            held = webhook_outbox.record_webhook_sent(
                self.db, delivery, result.response_status or 0
            )
            if not held:
                log.error(
                    "webhook delivery %s was sent after this relay's claim ran out", delivery.id
                )
            return None
        if result.outcome == RETRY:
            return self._retry(delivery, result)
        webhook_outbox.record_webhook_failure(
            self.db,
            delivery,
            result.reason or FAILED,
            response_status=result.response_status,
        )
        return None

    def _retry(
        self, delivery: webhook_outbox.ClaimedWebhook, result: PostResult
    ) -> dt.datetime | None:
        reason = result.reason or RETRY
        retry_at = next_attempt_at(self.settings, delivery.attempts, delivery.created_at, self.rng)
        if retry_at is None:
            webhook_outbox.record_webhook_failure(
                self.db,
                delivery,
                reason,
                status=EXPIRED.value,
                response_status=result.response_status,
            )
            return None
        webhook_outbox.record_webhook_retry(
            self.db, delivery, reason, retry_at, response_status=result.response_status
        )
        return retry_at


def _log(delivery: webhook_outbox.ClaimedWebhook, result: PostResult) -> None:
    # Ids and statuses only: never the URL (it may hold the subscriber's own token), the
    # secret or the body.
    level = logging.INFO if result.outcome == SENT else logging.WARNING
    log.log(
        level,
        "webhook delivery %s to subscription %s: %s %s",
        delivery.id,
        delivery.subscription_id,
        result.outcome,
        result.reason or result.response_status,
        extra={
            "delivery_id": delivery.id,
            "subscription_id": delivery.subscription_id,
            "outcome": result.outcome,
            "response_status": result.response_status,
        },
    )
