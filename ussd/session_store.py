"""Where a USSD session lives between hops: Redis in production (any web worker may get
the next hop), a dict in this process for the single-process dev server. One interface.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, Protocol

import redis


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
        encoded = json.dumps(value)
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


class RedisSessionStore:
    PREFIX = "thusa:ussd:"

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def get(self, key: str) -> dict[str, Any] | None:
        value = self.client.get(self.PREFIX + key)
        return json.loads(value) if value else None

    def put(self, key: str, value: dict[str, Any], ttl: float) -> None:
        self.client.set(self.PREFIX + key, json.dumps(value), px=int(ttl * 1000))

    def delete(self, key: str) -> None:
        self.client.delete(self.PREFIX + key)

    @contextmanager
    def lock(self, key: str, timeout: float) -> Iterator[bool]:
        """Held while one hop is handled, so a retried hop waits for the first instead of
        running beside it (and submitting twice)."""
        lock = self.client.lock(self.PREFIX + "lock:" + key, timeout=30, blocking_timeout=timeout)
        acquired = bool(lock.acquire())
        try:
            yield acquired
        finally:
            if acquired:
                # If it timed out and another hop took it, there is nothing left to release.
                with suppress(redis.exceptions.LockError):
                    lock.release()
