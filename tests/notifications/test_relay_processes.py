"""The relay as it runs for real: woken by the doorbell, side by side with another relay,
killed half-way, and kept under the shared send rate."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
import redis

from casework.database import Database
from casework.models import OutboundMessage
from notifications.doorbell import CHANNEL, LocalDoorbell, RedisDoorbell, ring_on_commit
from notifications.gateways import AfricasTalkingGateway
from notifications.relay import Relay
from notifications.send_rate import LocalSendRate, RedisSendRate
from tests.casework.scenes import build_world
from tests.conftest import truncate_all
from tests.factories import lodge
from tests.notifications.conftest import quick_settings
from tests.notifications.outbox_rows import make_due, queue, rows

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def start(relay):
    thread = threading.Thread(target=relay.run, daemon=True)
    thread.start()
    return thread


def stop(relay, thread):
    relay.stop()
    thread.join(timeout=10)
    assert not thread.is_alive()


def test_commit_rings_the_local_doorbell_and_the_sms_goes_within_a_second(db, fake, gateway):
    build_world(db)
    doorbell = LocalDoorbell()
    ring_on_commit(db, doorbell)
    # A long poll: only the doorbell can explain a prompt send.
    relay = Relay(db, gateway, quick_settings(poll_seconds=30), doorbell=doorbell)
    thread = start(relay)
    try:
        time.sleep(0.2)  # the relay has found nothing and sleeps on the doorbell
        lodge(db)
        fake.wait_for(1, timeout=1.0)
    finally:
        stop(relay, thread)


def test_commit_rings_the_redis_doorbell_across_processes(db, fake, gateway, redis_url):
    build_world(db)
    client = redis.Redis.from_url(redis_url)
    ring_on_commit(db, RedisDoorbell(client))  # the web process's side
    relay_bell = RedisDoorbell(redis.Redis.from_url(redis_url))
    relay = Relay(db, gateway, quick_settings(poll_seconds=30), doorbell=relay_bell)
    thread = start(relay)
    try:
        deadline = time.monotonic() + 5
        while client.pubsub_numsub(CHANNEL)[0][1] == 0:
            assert time.monotonic() < deadline, "the relay never subscribed"
            time.sleep(0.02)
        lodge(db)
        fake.wait_for(1, timeout=1.0)
    finally:
        stop(relay, thread)
        relay_bell.close()
        relay_bell.client.close()
        client.close()


def test_a_rollback_rings_no_doorbell(db):
    doorbell = LocalDoorbell()
    ring_on_commit(db, doorbell)
    with pytest.raises(RuntimeError), db.transaction() as session:
        session.add(
            OutboundMessage(
                to="+27821234567", template="grievance_closed", params={}, language="en"
            )
        )
        session.flush()
        raise RuntimeError("the change failed")
    assert doorbell.wait(0.05) is False


@pytest.mark.postgresql
def test_two_relays_on_postgresql_never_send_one_message_twice(postgres_url, fake, gateway):
    truncate_all(postgres_url)
    db = Database(postgres_url)
    queue(db, 400)
    relays = [
        Relay(Database(postgres_url), gateway, quick_settings(batch_size=10)) for _ in range(2)
    ]
    threads = [start(relay) for relay in relays]
    try:
        sent = fake.wait_for(400, timeout=60)
    finally:
        for relay, thread in zip(relays, threads, strict=True):
            stop(relay, thread)
            relay.db.dispose()
    counts = Counter(sms.message for sms in sent)
    assert len(counts) == 400 and max(counts.values()) == 1
    assert {row.status for row in rows(db)} == {"sent"}
    db.dispose()


def test_relay_killed_half_way_through_a_batch_loses_no_message(database_url, fake):
    db = Database(database_url)
    total = 60
    queue(db, total)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "AT_USERNAME": fake.username,
        "AT_API_KEY": fake.api_key,
        "AT_API_URL": fake.url,
        "SMS_RATE_PER_SECOND": "30",  # slow enough to be killed mid-batch
        "SMS_POLL_SECONDS": "0.1",
        "NO_PROXY": "127.0.0.1",
    }
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "portal", "notifications", "relay"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        fake.wait_for(15, timeout=20)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    sent_before = len(fake.sent)
    assert sent_before < total, "the relay finished before it could be killed"
    stuck = [row for row in rows(db) if row.status == "sending"]
    assert stuck, "the kill did not catch a claimed batch"

    make_due(db)  # the dead relay's claims run out
    Relay(db, _gateway_for(fake), quick_settings()).run_once()
    Relay(db, _gateway_for(fake), quick_settings()).run_once()
    counts = Counter(sms.message for sms in fake.sent)
    assert len(counts) == total  # every message delivered
    assert sum(counts.values()) - total <= 1  # at most the one in flight went twice
    assert {row.status for row in rows(db)} == {"sent"}
    db.dispose()


def _gateway_for(fake):
    return AfricasTalkingGateway(fake.username, fake.api_key, api_url=fake.url, timeout=0.5)


def test_local_send_rate_holds_a_relay_under_the_rate(db, fake, gateway):
    queue(db, 25)
    relay = Relay(db, gateway, quick_settings(), send_rate=LocalSendRate(10))
    started = time.monotonic()
    relay.run_once()
    # 10 go at once (the burst), the other 15 at 10 a second.
    assert time.monotonic() - started >= 1.4
    assert len(fake.sent) == 25


def test_redis_send_rate_is_shared_by_every_relay(db, fake, gateway, redis_url):
    queue(db, 30)
    clients = [redis.Redis.from_url(redis_url) for _ in range(2)]
    relays = [
        Relay(db, gateway, quick_settings(batch_size=5), send_rate=RedisSendRate(client, 10))
        for client in clients
    ]
    started = time.monotonic()
    threads = [start(relay) for relay in relays]
    try:
        fake.wait_for(30, timeout=20)
    finally:
        for relay, thread in zip(relays, threads, strict=True):
            stop(relay, thread)
        for client in clients:
            client.close()
    # Two relays, one budget: 10 at once, then 20 more at 10 a second between them.
    assert time.monotonic() - started >= 1.9
    make_due(db)
