"""A token bucket that keeps sending under SMS_RATE_PER_SECOND: one per process, or one
shared through Redis by every relay."""

from __future__ import annotations

import threading
import time
from typing import Protocol

import redis

# Refill by elapsed time, take one token if there is one; else say how long to wait.
# Runs atomically in Redis, so relays on many machines share one budget.
_TAKE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], 60)
return tostring(wait)
"""


class SendRate(Protocol):
    def acquire(self, stop: threading.Event | None = None) -> bool: ...


class LocalSendRate:
    def __init__(self, per_second: float) -> None:
        self.rate = per_second
        self.burst = max(1.0, per_second)
        self.tokens = self.burst
        self.at = time.monotonic()
        self._lock = threading.Lock()

    def _take(self) -> float:
        with self._lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
            self.at = now
            if self.tokens >= 1:
                self.tokens -= 1
                return 0.0
            return (1 - self.tokens) / self.rate

    def acquire(self, stop: threading.Event | None = None) -> bool:
        """Wait for a token; False if `stop` was set while waiting."""
        return _acquire(self._take, stop)


class RedisSendRate:
    KEY = "thusa:sms:send-rate"

    def __init__(self, client: redis.Redis, per_second: float) -> None:
        self.client = client
        self.rate = per_second
        self.burst = max(1.0, per_second)
        self._script = client.register_script(_TAKE)
        self._fallback = LocalSendRate(per_second)

    def _take(self) -> float:
        try:
            return float(self._script(keys=[self.KEY], args=[self.rate, self.burst]))
        except redis.RedisError:
            # Redis is down: keep this relay under the rate on its own rather than stop.
            return self._fallback._take()

    def acquire(self, stop: threading.Event | None = None) -> bool:
        return _acquire(self._take, stop)


def _acquire(take, stop: threading.Event | None) -> bool:  # type: ignore[no-untyped-def]
    while True:
        wait = take()
        if wait <= 0:
            return True
        if stop is not None:
            if stop.wait(wait):
                return False
        else:
            time.sleep(wait)
