"""The relay: claims due outbox rows, renders them in the recipient's language, sends
them through the gateway and records what happened. After each SMS batch it posts a
batch of webhook deliveries (notifications.webhook_relay), with the same claims and
backoff.

One relay per SQLite database; any number on PostgreSQL (claims use SKIP LOCKED). Runs
as `flask --app portal notifications relay`, or as a thread under the dev server. Between
batches it runs its periodic jobs (the overdue sweep, see `notifications.app_setup`).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from casework import outbox
from casework.database import DATABASE_UNAVAILABLE, Database
from casework.log_privacy import install_log_masking
from casework.models import utcnow
from casework.phones import mask_phone
from notifications.doorbell import Doorbell, LocalDoorbell
from notifications.gateways import FAILED, PAUSE, RETRY, SENT, Gateway, SendResult
from notifications.retry_schedule import next_attempt_at
from notifications.send_rate import LocalSendRate, SendRate
from notifications.templates import TEMPLATES, render_and_measure
from notifications.webhook_relay import WebhookRelay
from notifications.webhook_sender import WebhookSender

log = logging.getLogger(__name__)

# (interval in seconds, job): work the relay process does on a schedule between batches,
# such as the overdue sweep.
PeriodicJob = tuple[float, Callable[[], object]]


@dataclass
class RelaySettings:
    batch_size: int = 50
    # How long a claim holds: past it, a row a dead relay held goes back to the queue.
    lease: dt.timedelta = dt.timedelta(minutes=5)
    poll_seconds: float = 5.0
    retry_window: dt.timedelta = dt.timedelta(hours=24)
    backoff_base: dt.timedelta = dt.timedelta(seconds=30)
    backoff_cap: dt.timedelta = dt.timedelta(hours=1)
    # After a pause (no balance, say), try again this much later.
    pause_for: dt.timedelta = dt.timedelta(minutes=5)
    # Values every template may use, such as the USSD code.
    default_params: dict[str, Any] = field(default_factory=dict)
    # A subscriber gets this long to answer a webhook delivery.
    webhook_timeout: float = 5.0
    # The most one batch of webhook deliveries may take before the SMS get their turn.
    webhook_budget: dt.timedelta = dt.timedelta(seconds=15)


class Relay:
    def __init__(
        self,
        db: Database,
        gateway: Gateway,
        settings: RelaySettings | None = None,
        *,
        doorbell: Doorbell | None = None,
        send_rate: SendRate | None = None,
        rng: random.Random | None = None,
        periodic: Sequence[PeriodicJob] = (),
        webhook_sender: WebhookSender | None = None,
    ) -> None:
        self.db = db
        self.gateway = gateway
        self.settings = settings or RelaySettings()
        self.doorbell = doorbell or LocalDoorbell()
        self.send_rate = send_rate or LocalSendRate(1000)
        self.rng = rng or random.Random()  # noqa: S311 (retry jitter, not a secret)  # nosec B311
        self.stop_event = threading.Event()
        self.periodic = tuple(periodic)
        self.webhooks = WebhookRelay(
            db, self.settings, sender=webhook_sender, rng=self.rng, stop_event=self.stop_event
        )

    def run(self, periodic: Sequence[PeriodicJob] | None = None) -> None:
        """Send until `stop()`; sleeps on the doorbell when there is nothing due.

        Each periodic job (the relay's own unless `periodic` is given) runs when the relay
        starts and then whenever its interval has passed, between batches. A job that
        raises is logged and runs again at its next turn.
        """
        # However the relay was started (its command, a thread, a script), nothing it or
        # a library logs carries a whole phone or ID number (the app installs it too).
        install_log_masking()
        jobs = self.periodic if periodic is None else tuple(periodic)
        next_due = [time.monotonic()] * len(jobs)
        log.info("relay started with the %s gateway", self.gateway.name)
        while not self.stop_event.is_set():
            self._run_periodic(jobs, next_due)
            try:
                handled = self.run_once()
            except DATABASE_UNAVAILABLE as error:
                # The database is restarting or out of reach: once a poll, a line, not a
                # traceback; the pool reconnects by itself when it is back.
                log.warning("relay waiting for the database: %s", type(error.orig).__name__)
                handled = 0
            except Exception:
                # Anything else must not end the relay either: log it and try again shortly.
                log.exception("relay batch failed")
                handled = 0
            if handled < self.settings.batch_size:
                wait = self.settings.poll_seconds
                if next_due:
                    wait = max(0.0, min(wait, min(next_due) - time.monotonic()))
                self.doorbell.wait(wait)
        log.info("relay stopped")

    def _run_periodic(self, jobs: Sequence[PeriodicJob], next_due: list[float]) -> None:
        for position, (interval, job) in enumerate(jobs):
            if self.stop_event.is_set() or time.monotonic() < next_due[position]:
                continue
            try:
                job()
            except Exception:
                log.exception("relay periodic job %s failed", getattr(job, "__name__", job))
            # Counted from the end of the run: a slow job never runs back to back.
            next_due[position] = time.monotonic() + interval

    def stop(self) -> None:
        self.stop_event.set()
        self.doorbell.ring()

    def run_once(self) -> int:
        """Claim one batch of SMS and one of webhook deliveries and handle them; the number
        dealt with. Webhooks go even while SMS sending is paused."""
        return self._send_sms_batch() + self.webhooks.run_once()

    def _send_sms_batch(self) -> int:
        pause = outbox.gateway_pause(self.db, self.gateway.name)
        if pause is not None and pause.paused_until > utcnow():
            return 0
        claimed = outbox.claim_due_messages(self.db, self.settings.batch_size, self.settings.lease)
        if not claimed and pause is not None:
            # The pause ran out with nothing left to try it on: don't keep reporting it.
            outbox.resume_gateway(self.db, self.gateway.name)
        # Stop well inside the lease, so no other relay takes over a row still in hand.
        deadline = utcnow() + self.settings.lease / 2
        for position, message in enumerate(claimed):
            if position and (self.stop_event.is_set() or utcnow() > deadline):
                outbox.release_claims(self.db, claimed[position:], utcnow())
                return position
            try:
                result = self._send(message)
            except Exception as error:
                # One message that cannot be rendered or read must not hold up the batch.
                log.exception("SMS %s could not be sent", message.id)
                outbox.record_final_failure(self.db, message, f"Error: {type(error).__name__}")
                continue
            if result is not None and result.outcome == PAUSE:
                until = utcnow() + self.settings.pause_for
                outbox.pause_gateway(self.db, self.gateway.name, result.reason or "paused", until)
                outbox.release_claims(self.db, claimed[position:], until)
                log.error("sending paused until %s: %s", until.isoformat(), result.reason)
                return position
            if result is not None and result.outcome == SENT and pause is not None:
                outbox.resume_gateway(self.db, self.gateway.name)
                pause = None
                log.info("sending resumed")
        return len(claimed)

    def _send(self, message: outbox.ClaimedMessage) -> SendResult | None:
        template = TEMPLATES.get(message.template)
        now = utcnow()
        if template is None:
            outbox.record_final_failure(self.db, message, f"UnknownTemplate: {message.template}")
            return None
        forget = {
            "forget_recipient": template.forget_recipient,
            "forget_params": template.secret_params,
        }
        if message.to is None:
            outbox.record_final_failure(self.db, message, "NoRecipient", count_attempt=False)
            return None
        if now - message.created_at > self.settings.retry_window:
            outbox.record_final_failure(
                self.db,
                message,
                "NotSentInTime",
                status=outbox.EXPIRED.value,
                count_attempt=False,
                **forget,
            )
            return None
        if message.opted_out and not (message.about_own_case or template.requested):
            outbox.record_final_failure(self.db, message, "OptedOut", count_attempt=False)
            return None

        text, size = render_and_measure(
            message.template, message.language, {**self.settings.default_params, **message.params}
        )
        if not self.send_rate.acquire(self.stop_event):
            outbox.release_claims(self.db, [message], now)
            return None
        result = self.gateway.send(message.to, text)
        if result.outcome == SENT:
            held = outbox.record_sent(
                self.db,
                message,
                gateway_message_id=result.message_id or "",
                cost=result.cost,
                parts=size.parts,
                encoding=size.encoding,
                **forget,
            )
            if not held:
                log.error("SMS %s was sent after this relay's claim ran out", message.id)
        elif result.outcome == FAILED:
            log.warning(
                "SMS %s to %s failed: %s", message.id, mask_phone(message.to), result.reason
            )
            outbox.record_final_failure(self.db, message, result.reason or "failed", **forget)
        elif result.outcome == RETRY:
            self._retry(message, result.reason or "retry", forget)
        return result

    def _retry(self, message: outbox.ClaimedMessage, reason: str, forget: dict[str, Any]) -> None:
        """Exponential backoff with jitter, inside the retry window; past it, expired."""
        retry_at = next_attempt_at(self.settings, message.attempts, message.created_at, self.rng)
        if retry_at is None:
            outbox.record_final_failure(
                self.db, message, reason, status=outbox.EXPIRED.value, **forget
            )
            return
        outbox.record_retry(self.db, message, reason, retry_at)
