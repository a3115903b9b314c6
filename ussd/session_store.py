"""Where a USSD session lives between hops: Redis in production (any web worker may get
the next hop), a dict in this process for the single-process dev server. One interface.

When Redis stops answering, the Redis store carries on in this process's memory, so a
citizen mid-session gets a screen, not an error (a session whose state was in Redis is
rebuilt from the gateway's text, see `ussd.engine`), and goes back to Redis by itself.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import redis

log = logging.getLogger(__name__)
# Marks a key deleted while Redis was down, for as long as Redis's older copy could live:
# that copy must not come back when Redis does.
_GONE = {"__gone__": True}
_GONE_TTL = 3600.0


class SessionStore(Protocol):
    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, key: str, value: dict[str, Any], ttl: float) -> None: ...

    def delete(self, key: str) -> None: ...

    def lock(self, key: str, timeout: float) -> Any: ...


class MemorySessionStore:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._items: dict[str, tuple[float, str]] = {}
        self._guard = threading.Lock()
        # key -> (lock, how many hops hold or wait for it); dropped when nobody does.
        self._locks: dict[str, tuple[threading.Lock, int]] = {}
        self.clock = clock

    def get(self, key: str) -> dict[str, Any] | None:
        with self._guard:
            item = self._items.get(key)
            if item is None:
                return None
            expires, value = item
            if expires <= self.clock():
                del self._items[key]
                return None
            return json.loads(value)

    def put(self, key: str, value: dict[str, Any], ttl: float) -> None:
        # Stored as JSON, like Redis: what works here works there.
        self._put_encoded(key, json.dumps(value), ttl)

    def _put_encoded(self, key: str, encoded: str, ttl: float) -> None:
        with self._guard:
            self._items[key] = (self.clock() + ttl, encoded)
            if len(self._items) > 10_000:
                self._sweep()

    def delete(self, key: str) -> None:
        with self._guard:
            self._items.pop(key, None)

    @contextmanager
    def lock(self, key: str, timeout: float) -> Iterator[bool]:
        with self._guard:
            lock, users = self._locks.get(key, (threading.Lock(), 0))
            self._locks[key] = (lock, users + 1)
        acquired = lock.acquire(timeout=timeout)
        try:
            yield acquired
        finally:
            if acquired:
                lock.release()
            with self._guard:
                lock, users = self._locks[key]
                if users == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)

    def _sweep(self) -> None:
        now = self.clock()
        for key in [k for k, (expires, _) in self._items.items() if expires <= now]:
            del self._items[key]


class _Hold:
    """A hop's hold on its session: the session as read when the lock was taken, and the
    writes made under the lock, sent to Redis with the lock's release."""

    def __init__(self, key: str, value: bytes | None) -> None:
        self.key = key
        self.value = value
        self.writes: dict[str, tuple[str, float] | None] = {}  # key -> (JSON, ttl) or deleted


# Deletes the lock only if it is still ours: one that ran out and was taken by another
# hop is that hop's.
_RELEASE = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)


class RedisSessionStore:
    """Redis, degrading to this process's memory while Redis is down.

    After a failure Redis is left alone for `retry_after` seconds, so an outage costs each
    hop no more than one refused connection now and then. What was written to memory
    meanwhile is newer than Redis's copy, so it is read first, until Redis takes a write
    for that key again.

    A hop costs two round trips to Redis: taking the lock reads the session in the same
    trip, and what the hop writes under the lock goes with the lock's release.
    """

    PREFIX = "thusa:ussd:"
    LOCK_EXPIRES_MS = 30_000  # a worker that died holding a lock holds it no longer
    LOCK_RETRY_SECONDS = 0.02

    def __init__(
        self,
        client: redis.Redis,
        *,
        retry_after: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.fallback = MemorySessionStore(clock)
        self.retry_after = retry_after
        self.clock = clock
        self._down_until: float | None = None
        self._local = threading.local()  # the hold of the hop this thread is handling

    @property
    def redis_up(self) -> bool:
        """False while Redis is being left alone after a failure."""
        return self._down_until is None or self.clock() >= self._down_until

    def _failed(self, error: redis.RedisError) -> None:
        if self._down_until is None:
            log.warning("USSD sessions kept in this process: Redis %s", type(error).__name__)
        self._down_until = self.clock() + self.retry_after

    def _recovered(self) -> None:
        if self._down_until is not None:
            log.info("USSD sessions back in Redis")
            self._down_until = None

    def _hold(self) -> _Hold | None:
        return getattr(self._local, "hold", None)

    def get(self, key: str) -> dict[str, Any] | None:
        kept = self.fallback.get(key)
        if kept is not None:
            return None if kept == _GONE else kept
        hold = self._hold()
        if hold is not None and key in hold.writes:
            written = hold.writes[key]
            return None if written is None else json.loads(written[0])
        if hold is not None and key == hold.key:
            return json.loads(hold.value) if hold.value else None
        if not self.redis_up:
            return None
        try:
            value = self.client.get(self.PREFIX + key)
        except redis.RedisError as error:
            self._failed(error)
            return None
        self._recovered()
        return json.loads(value) if value else None

    def put(self, key: str, value: dict[str, Any], ttl: float) -> None:
        hold = self._hold()
        if hold is not None:
            hold.writes[key] = (json.dumps(value), ttl)
            return
        if self.redis_up:
            try:
                self.client.set(self.PREFIX + key, json.dumps(value), px=int(ttl * 1000))
            except redis.RedisError as error:
                self._failed(error)
            else:
                self._recovered()
                self.fallback.delete(key)
                return
        self.fallback.put(key, value, ttl)

    def delete(self, key: str) -> None:
        hold = self._hold()
        if hold is not None:
            hold.writes[key] = None
            return
        if self.redis_up:
            try:
                self.client.delete(self.PREFIX + key)
            except redis.RedisError as error:
                self._failed(error)
            else:
                self._recovered()
                self.fallback.delete(key)
                return
        self.fallback.put(key, _GONE, _GONE_TTL)

    @contextmanager
    def lock(self, key: str, timeout: float) -> Iterator[bool]:
        """Held while one hop is handled, so a retried hop waits for the first instead of
        running beside it (and submitting twice). While Redis is down, the lock is this
        process's only: a retry reaching another worker then finds no session there and
        is rebuilt short of any submission (see `ussd.engine`).

        Writes made under the lock reach Redis when it is released, in one trip with the
        release; until then this thread reads them back from the hold."""
        hold = None
        if self.redis_up:
            token = secrets.token_hex(16)
            try:
                acquired, hold = self._acquire(key, token, timeout)
            except redis.RedisError as error:
                self._failed(error)
        if hold is None:
            with self.fallback.lock(key, timeout) as acquired_here:
                yield acquired_here
            return
        if not acquired:
            yield False
            return
        self._local.hold = hold
        try:
            yield True
        finally:
            self._local.hold = None
            self._release(hold, token)

    def _acquire(self, key: str, token: str, timeout: float) -> tuple[bool, _Hold]:
        """Take the lock, reading the session in the same trip; (False, ...) when another
        hop kept it for `timeout` seconds."""
        deadline = self.clock() + timeout
        while True:
            pipe = self.client.pipeline(transaction=False)
            pipe.set(self.PREFIX + "lock:" + key, token, nx=True, px=self.LOCK_EXPIRES_MS)
            pipe.get(self.PREFIX + key)
            taken, value = pipe.execute()
            self._recovered()
            if taken:
                return True, _Hold(key, value)
            if self.clock() >= deadline:
                return False, _Hold(key, None)
            time.sleep(self.LOCK_RETRY_SECONDS)

    def _release(self, hold: _Hold, token: str) -> None:
        pipe = self.client.pipeline(transaction=False)
        for key, written in hold.writes.items():
            if written is None:
                pipe.delete(self.PREFIX + key)
            else:
                pipe.set(self.PREFIX + key, written[0], px=int(written[1] * 1000))
        pipe.eval(_RELEASE, 1, self.PREFIX + "lock:" + hold.key, token)
        try:
            pipe.execute()
        except redis.RedisError as error:
            # If Redis went away meanwhile, the lock went with it; the writes are kept here
            # until it is back, as any write made while it is down.
            self._failed(error)
            for key, written in hold.writes.items():
                if written is None:
                    self.fallback.put(key, _GONE, _GONE_TTL)
                else:
                    self.fallback._put_encoded(key, written[0], written[1])
            return
        self._recovered()
        for key in hold.writes:
            self.fallback.delete(key)
