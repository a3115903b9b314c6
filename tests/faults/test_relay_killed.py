"""Fault: the SMS relay process killed with SIGKILL half-way through a 2,000-message burst,
then a new relay started, as systemd or a deploy would.

What must hold: every message reaches the gateway, and none twice, except the one the
dead relay had in flight (it may have reached the gateway without the relay living to
record it). Counted from the fake gateway's own log, on PostgreSQL with the Redis
doorbell and shared send rate, through real `flask notifications relay` processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from casework.database import Database
from tests.conftest import truncate_all
from tests.notifications.outbox_rows import queue, rows

pytestmark = pytest.mark.postgresql  # SKIP LOCKED claims; SQLite's relay is one process

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BURST = 2000


@pytest.fixture
def relay_env(postgres_url, redis_url, fake) -> dict[str, str]:
    truncate_all(postgres_url)
    env = {
        **os.environ,
        "DATABASE_URL": postgres_url,
        "REDIS_URL": redis_url,
        "AT_USERNAME": fake.username,
        "AT_API_KEY": fake.api_key,
        "AT_API_URL": fake.url,
        "SMS_RATE_PER_SECOND": "100000",  # the burst goes as fast as the relay can send
        "SMS_POLL_SECONDS": "0.2",
        # A dead relay's claims come back after two seconds, not five minutes.
        "SMS_LEASE_SECONDS": "2",
        "SMS_SEND_TIMEOUT": "5",
        "NO_PROXY": "127.0.0.1",
    }
    env.pop("SMS_RELAY_THREAD", None)
    return env


@pytest.fixture
def start_relay(relay_env) -> Iterator:  # type: ignore[type-arg]
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "portal", "notifications", "relay"],
            env=relay_env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=15)


def test_relay_killed_during_a_burst_loses_nothing_and_repeats_at_most_its_one_in_flight(
    postgres_url, fake, start_relay
):
    db = Database(postgres_url)
    try:
        queue(db, BURST)
        first = start_relay()
        fake.wait_for(BURST // 4, timeout=60)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert len(fake.sent) < BURST, "the relay finished the burst before it could be killed"

        start_relay()
        fake.wait_for(BURST, timeout=90)
        settled = _all_sent(db, timeout=30)
        counts = Counter(sms.message for sms in fake.sent)
        assert len(counts) == BURST, "a message never reached the gateway"
        repeats = sum(counts.values()) - BURST
        assert repeats <= 1, f"{repeats} messages went twice; only the one in flight may"
        # Each row records the id of a send the gateway really took (for the repeat, the
        # second: the dead relay never recorded its own).
        issued = {sms.message_id for sms in fake.sent}
        assert all(row.gateway_message_id in issued for row in settled)
    finally:
        db.dispose()


def _all_sent(db: Database, timeout: float) -> list:  # type: ignore[type-arg]
    """The outbox once every row is recorded sent (the dead relay's claims taken over)."""
    deadline = time.monotonic() + timeout
    while True:
        found = rows(db)
        if all(row.status == "sent" for row in found):
            return found
        if time.monotonic() > deadline:
            statuses = Counter(row.status for row in found)
            raise AssertionError(f"the outbox never settled: {dict(statuses)}")
        time.sleep(0.2)
