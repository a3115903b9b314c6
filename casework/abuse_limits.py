"""Abuse limits: how often one phone number, address, reference or username may do what
costs money (an SMS, a USSD session) or invites guessing (a PIN, a code, a password).

One table names every limit; `RATE_LIMIT_<NAME>` in the environment changes a row. The web
counts with Flask-Limiter; the USSD engine and the SMS keywords, where the key (the
caller's number) is known only inside, count here: in the same storage and under the same
keys, so a limit two channels share (PIN tries on one reference, say) is one count. Counts
live in Redis when it is configured (every worker and machine sees them), else in process.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, RedisClusterStorage, RedisStorage, Storage
from limits.strategies import FixedWindowRateLimiter

from casework.errors import N_

log = logging.getLogger(__name__)

# name: limit ("N per <period>", several separated by ";"). Each name is counted per the
# key it ends in: a phone number, the client's address, a case reference or a username.
LIMITS: dict[str, str] = {
    # SMS sign-in codes (signing in, or tracking a case with a phone number): each one is
    # an SMS, and the code check below guards them. Per phone, the casework also sends at
    # most 3 codes in a quarter hour.
    "sign_in_send_per_address": "10 per hour",
    "sign_in_send_per_phone": "5 per hour",
    # Codes typed; a code takes 5 tries, these stop guessing across new codes.
    "sign_in_check_per_address": "30 per hour",
    "sign_in_check_per_phone": "10 per hour",
    # The PIN of an anonymous complaint, on the web (per address) and by USSD (per phone);
    # per reference across both, so a 4-digit PIN cannot be walked through.
    "pin_check_per_address": "20 per hour",
    "pin_check_per_phone": "10 per hour",
    "pin_check_per_reference": "10 per day",
    # Complaints and applications sent: on the web per address, and per phone number
    # on the web and by USSD together.
    "submission_per_address": "20 per hour",
    "submission_per_phone": "10 per day",
    # USSD hops from one number: a long application is about 30; a runaway or scripted
    # session is far more.
    "ussd_hop_per_phone": "60 per 10 minutes;300 per day",
    # SMS replies to keywords (STATUS, HELP, LANG, ...) from one number: each one is an
    # SMS we pay for.
    "sms_reply_per_phone": "10 per hour;30 per day",
    # Staff sign-in tries, on top of the 15-minute lock after 5 wrong passwords.
    "staff_sign_in_per_address": "30 per hour",
    "staff_sign_in_per_username": "10 per hour",
    # An agency system's calls to /api/v1, per key once the key is checked: room for a
    # nightly sync page after page, not for one system to crowd out the rest.
    "api_call_per_key": "1200 per minute",
    # Calls to /api/v1 whose key was missing or wrong, per address: counted before any
    # key is trusted, so nobody can use up another agency's count with its public prefix.
    "api_key_failure_per_address": "30 per minute",
    # Open311 (portal.open311): every call per address (several systems may share one
    # behind a NAT), and calls with a key per key. Generous: discovery and service lists
    # are cheap, and a partner syncing its queue reads each new request once.
    "open311_per_address": "300 per minute",
    "open311_per_key": "120 per minute;5000 per hour",
}

# What a channel answers at a limit (it translates them): the refusal, then how long to wait.
TOO_MANY = N_("Too many tries.")
WAIT_A_MINUTE = N_("Please try again in a minute.")
WAIT_MINUTES = N_("Please try again in %(minutes)s minutes.")
WAIT_HOURS = N_("Please try again in %(hours)s hours.")
# Retrying the shared storage after it failed: not on every request of an outage.
STORAGE_RETRY_SECONDS = 5.0
# Every window of one limit counted in one Redis trip (a USSD hop pays for it): what the
# library's fixed window does window by window (INCRBY, EXPIRE on the first try), in the
# table's order, stopping at the first window past its limit and answering its index
# (from 1) and milliseconds left; {0, 0} when every window allowed the try.
_COUNT_WINDOWS = """
for i, key in ipairs(KEYS) do
    local current = redis.call("incrby", key, 1)
    if current == 1 then
        redis.call("expire", key, ARGV[2 * i - 1])
    end
    if current > tonumber(ARGV[2 * i]) then
        return {i, redis.call("pttl", key)}
    end
end
return {0, 0}
"""


def parse_table(overrides: Mapping[str, str]) -> dict[str, list[RateLimitItem]]:
    """The whole table with `overrides` applied, parsed. ValueError names a wrong row."""
    unknown = sorted(set(overrides) - set(LIMITS))
    if unknown:
        raise ValueError(f"no such rate limit: {', '.join(unknown)}")
    table = {}
    for name, value in {**LIMITS, **overrides}.items():
        try:
            table[name] = parse_many(value)
        except ValueError:
            raise ValueError(
                f"rate limit {name} must look like '10 per hour'; got {value!r}"
            ) from None
    return table


def wait_words(seconds: float) -> tuple[str, dict[str, int]]:
    """How long to wait, as a message id and its parameters: whole minutes, rounded up,
    and whole hours past two hours."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes == 1:
        return WAIT_A_MINUTE, {}
    if minutes < 120:
        return WAIT_MINUTES, {"minutes": minutes}
    return WAIT_HOURS, {"hours": math.ceil(minutes / 60)}


@dataclass(frozen=True)
class Refusal:
    name: str  # the limit that was reached
    retry_after: int  # seconds until it lets the key through again


class AbuseLimits:
    """Counts tries per key in the storage the web's limits use.

    Keys are keyed hashes (HMAC with `secret`): a phone number or an address never
    appears in Redis, nor in a log line about a limit. When the storage fails, counting
    carries on in this process (fewer limits beat none, and an error page) until the
    storage answers again.
    """

    def __init__(
        self,
        storage: Storage,
        table: Mapping[str, list[RateLimitItem]],
        secret: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.table = dict(table)
        self._secret = secret.encode()
        self._shared = FixedWindowRateLimiter(storage)
        self._local: FixedWindowRateLimiter | None = None  # made when the storage fails
        self._clock = clock
        self._shared_down_until = 0.0
        self._count_windows = (
            storage.get_connection().register_script(_COUNT_WINDOWS)
            # (A cluster may keep a limit's windows on different nodes: one script can't.)
            if isinstance(storage, RedisStorage) and not isinstance(storage, RedisClusterStorage)
            else None
        )

    def key(self, value: str) -> str:
        """What a phone number, address, reference or username is counted under."""
        return hmac.new(self._secret, value.encode(), hashlib.sha256).hexdigest()[:32]

    def hit(self, name: str, value: str) -> Refusal | None:
        """Count one try of `name` by `value`; a Refusal when that is one too many."""
        identifiers = (self.key(value), name)
        if self._count_windows is not None and self._clock() >= self._shared_down_until:
            try:
                return self._hit_in_redis(name, identifiers)
            except Exception as error:  # whatever the storage raises (redis, limits)
                log.warning("abuse limits counted in process: storage %s", type(error).__name__)
                self._shared_down_until = self._clock() + STORAGE_RETRY_SECONDS
        for item in self.table[name]:
            allowed, reset_at = self._hit(item, identifiers)
            if not allowed:
                return Refusal(name, max(1, math.ceil(reset_at - time.time())))
        return None

    def _hit_in_redis(self, name: str, identifiers: tuple[str, str]) -> Refusal | None:
        """`hit` in one trip to Redis, under the keys Flask-Limiter counts the same limit."""
        storage = self._shared.storage
        if self._count_windows is None or not isinstance(storage, RedisStorage):
            # Only called when both were set up; an explicit error survives `python -O`.
            raise RuntimeError("the one-trip count needs a plain Redis storage")
        items = self.table[name]
        keys = [storage.prefixed_key(item.key_for(*identifiers)) for item in items]
        args = [n for item in items for n in (item.get_expiry(), item.amount)]
        refused_at, left_ms = self._count_windows(keys=keys, args=args)
        if not refused_at:
            return None
        return Refusal(name, max(1, math.ceil(int(left_ms) / 1000)))

    def _hit(self, item: RateLimitItem, identifiers: tuple[str, str]) -> tuple[bool, float]:
        if self._clock() >= self._shared_down_until:
            try:
                return self._count(self._shared, item, identifiers)
            except Exception as error:  # whatever the storage raises (redis, limits)
                log.warning("abuse limits counted in process: storage %s", type(error).__name__)
                self._shared_down_until = self._clock() + STORAGE_RETRY_SECONDS
        if self._local is None:
            self._local = FixedWindowRateLimiter(MemoryStorage())
        return self._count(self._local, item, identifiers)

    @staticmethod
    def _count(
        strategy: FixedWindowRateLimiter, item: RateLimitItem, identifiers: tuple[str, str]
    ) -> tuple[bool, float]:
        if strategy.hit(item, *identifiers):
            return True, 0.0
        return False, strategy.get_window_stats(item, *identifiers).reset_time
