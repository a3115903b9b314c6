"""Fault: the SMS gateway fails 30% of requests at random (seeded), with HTTP 500s,
per-recipient GatewayErrors and timeouts (the fake answers only after the relay has given
up waiting).

What must hold: every message is delivered in the end, exactly once (a failed request
took nothing), and the relay's retries keep to its backoff: each retry of a message waits
at least the jittered floor of `backoff_base * 2**attempt`, capped at `backoff_cap`, as
the gateway's own request log shows. The schedule is shrunk (0.2 s base instead of 30 s)
so the test takes seconds; the arithmetic is the same.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter, defaultdict
from itertools import pairwise

from notifications.gateways import AfricasTalkingGateway
from notifications.relay import Relay
from tests.notifications.conftest import quick_settings
from tests.notifications.outbox_rows import queue, rows

MESSAGES = 60
BASE = 0.2
CAP = 1.6
SEND_TIMEOUT = 0.25


def test_a_gateway_failing_30_percent_delivers_everything_once_keeping_to_the_backoff(db, fake):
    fake.timeout_sleep = 0.6  # longer than the relay waits: a timeout, not a slow answer
    fake.failure_rate(0.3, seed=20260)
    queue(db, MESSAGES)
    gateway = AfricasTalkingGateway(
        fake.username, fake.api_key, api_url=fake.url, timeout=SEND_TIMEOUT
    )
    settings = quick_settings(
        batch_size=10,
        backoff_base=dt.timedelta(seconds=BASE),
        backoff_cap=dt.timedelta(seconds=CAP),
    )
    relay = Relay(db, gateway, settings)
    thread = threading.Thread(target=relay.run, daemon=True)
    thread.start()
    try:
        fake.wait_for(MESSAGES, timeout=60)
        settled = _settled(db, timeout=10)
    finally:
        relay.stop()
        thread.join(timeout=10)

    outcomes = Counter(attempt.outcome for attempt in fake.attempts)
    assert {"http500", "timeout", "GatewayError"} <= set(outcomes), outcomes
    assert outcomes["accepted"] == MESSAGES
    # Delivered, each exactly once, and the outbox agrees with the gateway.
    assert Counter(sms.message for sms in fake.sent).most_common(1)[0][1] == 1
    assert len({sms.message for sms in fake.sent}) == MESSAGES
    by_text: dict[str, list[float]] = defaultdict(list)
    for attempt in fake.attempts:
        by_text[attempt.message].append(attempt.received_at)
    sent_text = {sms.message_id: sms.message for sms in fake.sent}
    for row in settled:
        assert row.attempts == len(by_text[sent_text[row.gateway_message_id]])
    # The backoff: the wait before retry n is at least half (the jitter's floor) of
    # BASE * 2**(n-1), capped; never a retry straight after a failure.
    retried = 0
    for times in by_text.values():
        for n, (before, after) in enumerate(pairwise(times), start=1):
            floor = 0.5 * min(CAP, BASE * 2 ** (n - 1))
            assert after - before >= floor - 0.01, (n, after - before, floor)
            retried += 1
    assert retried == sum(outcomes.values()) - MESSAGES


def _settled(db, timeout: float) -> list:  # type: ignore[no-untyped-def, type-arg]
    deadline = time.monotonic() + timeout
    while True:
        found = rows(db)
        if all(row.status == "sent" for row in found):
            return found
        assert time.monotonic() < deadline, Counter(row.status for row in found)
        time.sleep(0.05)
