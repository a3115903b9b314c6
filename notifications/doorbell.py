"""The relay's doorbell: a commit that queues an SMS wakes the relay at once, instead of
on its next poll. In-process for the dev server; Redis pub/sub across processes.

A missed ring costs only the poll interval: the outbox table stays the source of truth.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any, Protocol

import redis
from sqlalchemy.orm import Session

from casework.database import Database
from casework.models import OutboundMessage, WebhookDelivery

log = logging.getLogger(__name__)
CHANNEL = "thusa:outbox:doorbell"


class Doorbell(Protocol):
    def ring(self) -> None: ...

    def wait(self, timeout: float) -> bool: ...


class LocalDoorbell:
    def __init__(self) -> None:
        self._event = threading.Event()

    def ring(self) -> None:
        self._event.set()

    def wait(self, timeout: float) -> bool:
        rung = self._event.wait(timeout)
        self._event.clear()
        return rung


class RedisDoorbell:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self._pubsub: Any = None

    def ring(self) -> None:
        try:
            self.client.publish(CHANNEL, b"1")
        except redis.RedisError as error:
            # The commit has happened; the relay will find the row on its next poll.
            log.warning("doorbell not rung: %s", type(error).__name__)

    def wait(self, timeout: float) -> bool:
        try:
            if self._pubsub is None:
                self._pubsub = self.client.pubsub(ignore_subscribe_messages=True)
                self._pubsub.subscribe(CHANNEL)
            rung = self._pubsub.get_message(timeout=timeout) is not None
            while self._pubsub.get_message(timeout=0) is not None:
                pass  # many commits, one wake-up
            return rung
        except redis.RedisError:
            self.close()
            threading.Event().wait(timeout)  # Redis is down: fall back to polling
            return False

    def close(self) -> None:
        if self._pubsub is not None:
            with contextlib.suppress(redis.RedisError):
                self._pubsub.close()
            self._pubsub = None


def ring_on_commit(db: Database, doorbell: Doorbell) -> None:
    """Ring after every commit that queued an SMS or a webhook delivery: the relay sends
    both, so a change that queues only a delivery (an assignment) goes out at once too."""

    def before_flush(session: Session, *_: Any) -> None:
        if any(isinstance(obj, (OutboundMessage, WebhookDelivery)) for obj in session.new):
            session.info["ring_doorbell"] = True

    def after_commit(session: Session) -> None:
        if session.info.pop("ring_doorbell", False):
            doorbell.ring()

    def after_rollback(session: Session) -> None:
        session.info.pop("ring_doorbell", None)

    db.listen("before_flush", before_flush)
    db.listen("after_commit", after_commit)
    db.listen("after_rollback", after_rollback)
