"""Webhook deliveries through the real relay and sender to a real loopback subscriber,
which checks every signature as an agency's system would (tests/webhook_receiver.py)."""

import datetime as dt
import json
import logging
import threading
from collections import Counter

import pytest
from sqlalchemy import select

from casework import outbox, webhook_outbox
from casework.database import Database
from casework.models import WebhookDelivery, WebhookSubscription, utcnow
from casework.services import transition
from casework.webhooks import subscribe, unsubscribe
from notifications.doorbell import LocalDoorbell, ring_on_commit
from notifications.gateways import AfricasTalkingGateway
from notifications.relay import Relay
from notifications.send_rate import LocalSendRate
from notifications.webhook_sender import WebhookSender, sign
from tests.casework.scenes import build_world
from tests.conftest import truncate_all
from tests.factories import lodge
from tests.notifications.conftest import quick_settings
from tests.notifications.outbox_rows import rows
from tests.webhook_receiver import WebhookReceiver

DESCRIPTION = "The clerk at window 3 asked me for money before he would take my form."


@pytest.fixture
def receiver():
    with WebhookReceiver() as server:
        yield server


@pytest.fixture
def world(db):
    return build_world(db)


def subscribed(db, world, receiver, path="/hooks", *, receiving=False, events=()):
    """The intake agency's (or the other agency's) system, listening at `path`."""
    actor = world.actor("case_officer", receiving=True) if receiving else world.actor("supervisor")
    view, secret = subscribe(
        db, actor, url=receiver.url + path, events=list(events), allow_loopback_http=True
    )
    receiver.secrets[path] = secret
    return view, secret


def deliveries(db):
    with db.read() as session:
        return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def make_due(db):
    """Let time pass for the retries."""
    past = utcnow() - dt.timedelta(seconds=1)
    with db.transaction() as session:
        for delivery in session.scalars(select(WebhookDelivery)):
            delivery.next_attempt_at = past


def test_staff_transition_reaches_the_subscriber_signed_and_without_personal_data(
    db, fake, relay, world, receiver
):
    _, secret = subscribed(db, world, receiver)
    grievance = lodge(db, description=DESCRIPTION).grievance
    transition(db, grievance.id, "acknowledged", world.actor("triage_officer"))
    relay.run_once()

    created, changed = receiver.wait_for(2)
    assert all(r.verified and r.answered == 200 for r in (created, changed))
    assert changed.headers["Content-Type"] == "application/json"
    assert changed.headers["Thusa-Event"] == "case.status_changed"
    timestamp = changed.headers["Thusa-Timestamp"]
    assert changed.headers["Thusa-Signature"] == sign(secret, int(timestamp), changed.body)
    body = changed.json
    [_, row] = deliveries(db)
    assert body["id"] == row.id == int(changed.headers["Thusa-Delivery"])
    assert body["event"] == "case.status_changed"
    assert body["case"]["reference"] == grievance.reference
    assert body["change"] == {"from_status": "lodged", "to_status": "acknowledged"}
    for personal in ("27821234567", "821234567", "window 3", "money"):
        assert personal not in changed.body.decode()
    assert (row.status, row.attempts, row.response_status) == ("sent", 1, 200)
    assert row.sent_at is not None
    # The SMS went as ever, alongside.
    assert len(fake.sent) == 2 and {r.status for r in rows(db)} == {"sent"}
    assert relay.run_once() == 0  # nothing goes twice


def test_a_signature_made_with_another_secret_is_refused_by_the_subscriber(
    db, fake, relay, world, receiver
):
    subscribed(db, world, receiver)
    receiver.secrets["/hooks"] = "not-the-secret"
    lodge(db)
    relay.run_once()
    [got] = receiver.wait_for(1)
    assert not got.verified
    [row] = deliveries(db)
    assert (row.status, row.failure_reason, row.response_status) == ("failed", "HTTP 401", 401)


def test_server_errors_are_retried_with_backoff_until_the_subscriber_takes_it(
    db, fake, relay, world, receiver
):
    subscribed(db, world, receiver)
    receiver.answer("/hooks", 500, 500)
    lodge(db)
    before = utcnow()
    relay.run_once()
    [row] = deliveries(db)
    assert (row.status, row.attempts, row.failure_reason) == ("queued", 1, "HTTP 500")
    # 30 s base, jittered down to no less than half; the second attempt waits twice that.
    assert before + dt.timedelta(seconds=15) <= row.next_attempt_at
    assert row.next_attempt_at <= utcnow() + dt.timedelta(seconds=30)
    assert relay.run_once() == 0  # not due yet
    make_due(db)
    relay.run_once()
    [row] = deliveries(db)
    assert (row.status, row.attempts) == ("queued", 2)
    assert row.next_attempt_at >= utcnow() + dt.timedelta(seconds=29)
    make_due(db)
    relay.run_once()
    [row] = deliveries(db)
    assert (row.status, row.attempts, row.response_status) == ("sent", 3, 200)
    assert row.failure_reason is None
    attempts = receiver.wait_for(3)
    assert [a.answered for a in attempts] == [500, 500, 200]
    assert all(a.verified for a in attempts)
    # The same delivery each time: one id, one body; only the signed timestamp is fresh.
    assert len({(a.headers["Thusa-Delivery"], a.body) for a in attempts}) == 1


@pytest.mark.parametrize("status", [408, 429, 502, 503])
def test_timeouts_and_rate_limits_from_the_subscriber_are_transient(
    db, fake, relay, world, receiver, status
):
    subscribed(db, world, receiver)
    receiver.answer("/hooks", status)
    lodge(db)
    relay.run_once()
    [row] = deliveries(db)
    assert (row.status, row.response_status) == ("queued", status)


@pytest.mark.parametrize("status", [400, 404, 410])
def test_a_refusal_from_the_subscriber_ends_the_delivery_failed(
    db, fake, relay, world, receiver, status
):
    subscribed(db, world, receiver)
    receiver.answer("/hooks", status)
    lodge(db)
    relay.run_once()
    make_due(db)
    relay.run_once()
    [row] = deliveries(db)
    assert (row.status, row.attempts, row.failure_reason) == ("failed", 1, f"HTTP {status}")
    assert row.response_status == status
    assert len(receiver.received) == 1  # never tried again


def test_a_redirect_is_not_followed(db, fake, relay, world, receiver):
    subscribed(db, world, receiver)
    receiver.answer("/hooks", 302)
    lodge(db)
    relay.run_once()
    [row] = deliveries(db)
    assert row.status == "failed" and row.failure_reason.startswith("HTTP 302")
    assert len(receiver.received) == 1


def test_a_subscriber_that_is_down_costs_one_attempt_per_batch_not_one_per_delivery(
    db, fake, relay, world, receiver
):
    view, _ = subscribed(db, world, receiver)
    with db.transaction() as session:
        # Nobody listens on port 9 (discard): the connection is refused.
        session.get(WebhookSubscription, view.id).url = "http://127.0.0.1:9/hooks"
    for _ in range(3):
        lodge(db)
    relay.run_once()
    first, *rest = deliveries(db)
    assert (first.status, first.attempts, first.failure_reason) == (
        "queued",
        1,
        "ConnectionError",
    )
    # The others wait for the same retry, no attempt spent on them.
    assert [(r.status, r.attempts, r.next_attempt_at) for r in rest] == [
        ("queued", 0, first.next_attempt_at)
    ] * 2


def test_a_delivery_the_subscriber_is_too_slow_for_is_retried(db, fake, world, receiver):
    subscribed(db, world, receiver)
    receiver.delay = 1.0
    lodge(db)
    relay = Relay(db, _gateway(fake), quick_settings(webhook_timeout=0.3))
    relay.run_once()
    [row] = deliveries(db)
    assert (row.status, row.failure_reason) == ("queued", "Timeout")


def test_deliveries_past_the_retry_window_expire(db, fake, relay, world, receiver):
    subscribed(db, world, receiver)
    lodge(db)
    lodge(db)
    with db.transaction() as session:
        old, nearly = session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
        old.created_at = utcnow() - dt.timedelta(hours=25)  # queued too long ago
        nearly.created_at = utcnow() - dt.timedelta(hours=23, minutes=59, seconds=50)
    receiver.answer("/hooks", 503)
    relay.run_once()
    old, nearly = deliveries(db)
    assert (old.status, old.attempts, old.failure_reason) == ("expired", 0, "NotSentInTime")
    # A retry would fall outside the window: expired now, not retried past it.
    assert (nearly.status, nearly.attempts, nearly.failure_reason) == ("expired", 1, "HTTP 503")
    assert len(receiver.received) == 1


def test_an_unsubscribed_agency_gets_nothing_more(db, fake, relay, world, receiver):
    view, _ = subscribed(db, world, receiver)
    lodge(db)  # queued while subscribed...
    unsubscribe(db, world.actor("supervisor"), view.id)
    lodge(db)  # ...and this one never queued
    relay.run_once()
    [row] = deliveries(db)
    assert (row.status, row.failure_reason, row.attempts) == ("failed", "Unsubscribed", 0)
    assert receiver.received == []


def test_each_agency_is_told_only_about_its_own_cases(db, fake, relay, world, receiver):
    subscribed(db, world, receiver, "/intake")
    subscribed(db, world, receiver, "/other", receiving=True)
    grievance = lodge(db).grievance
    transition(db, grievance.id, "acknowledged", world.actor("triage_officer"))
    relay.run_once()
    got = receiver.wait_for(2)
    assert {r.path for r in got} == {"/intake"}
    assert [r.json["event"] for r in got] == ["case.created", "case.status_changed"]


def test_webhooks_go_while_sms_sending_is_paused_and_take_no_sms_tokens(db, fake, world, receiver):
    subscribed(db, world, receiver)
    lodge(db)
    outbox.pause_gateway(db, "africastalking", "InsufficientBalance", utcnow() + dt.timedelta(1))
    send_rate = CountingSendRate()
    relay = Relay(db, _gateway(fake), quick_settings(), send_rate=send_rate)
    assert relay.run_once() == 1
    [row] = deliveries(db)
    assert row.status == "sent" and receiver.wait_for(1)[0].verified
    assert [r.status for r in rows(db)] == ["queued"] and fake.requests == 0  # SMS wait
    assert send_rate.taken == 0
    outbox.resume_gateway(db, "africastalking")
    relay.run_once()
    assert send_rate.taken == 1 and len(fake.sent) == 1


def test_a_relay_whose_claim_ran_out_cannot_record_over_the_relay_that_took_over(
    db, world, receiver
):
    subscribed(db, world, receiver)
    lodge(db)
    lease = dt.timedelta(minutes=5)
    [first] = webhook_outbox.claim_due_webhooks(db, 1, lease)
    with db.transaction() as session:
        session.scalars(select(WebhookDelivery)).one().claimed_until = utcnow()
    [second] = webhook_outbox.claim_due_webhooks(db, 1, lease)
    assert webhook_outbox.record_webhook_sent(db, second, 204)
    assert not webhook_outbox.record_webhook_sent(db, first, 200)
    webhook_outbox.record_webhook_retry(db, first, "Timeout", utcnow())
    [row] = deliveries(db)
    assert (row.status, row.attempts, row.response_status) == ("sent", 1, 204)


def test_the_relay_logs_ids_and_statuses_but_no_secret_body_or_address(
    db, fake, relay, world, receiver, caplog
):
    _, secret = subscribed(db, world, receiver, "/hooks?token=agency-own-token")
    receiver.answer("/hooks?token=agency-own-token", 503)
    grievance = lodge(db).grievance
    with caplog.at_level(logging.INFO, logger="notifications.webhook_relay"):
        relay.run_once()
    [row] = deliveries(db)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"webhook delivery {row.id} to subscription {row.subscription_id}" in logged
    assert "503" in logged
    for hidden in (secret, "agency-own-token", grievance.reference, receiver.url):
        assert hidden not in logged
    claim = webhook_outbox.ClaimedWebhook(
        1, "t", 1, "case.created", receiver.url, secret, b"{}", 0, utcnow(), True
    )
    assert secret not in repr(claim) and "{}" not in repr(claim)


def test_committing_a_delivery_rings_the_doorbell_and_a_rollback_does_not(db, world, receiver):
    doorbell = LocalDoorbell()
    ring_on_commit(db, doorbell)
    view, _ = subscribed(db, world, receiver)
    assert doorbell.wait(0) is False  # subscribing queues nothing
    with pytest.raises(RuntimeError), db.transaction() as session:
        session.add(WebhookDelivery(subscription_id=view.id, event="case.created", payload={}))
        session.flush()
        raise RuntimeError("the change failed")
    assert doorbell.wait(0.05) is False
    grievance = lodge(db).grievance
    assert doorbell.wait(0) is True
    transition(db, grievance.id, "acknowledged", world.actor("triage_officer"))
    assert doorbell.wait(0) is True


@pytest.mark.postgresql
def test_two_relays_on_postgresql_never_deliver_one_row_twice(postgres_url, fake, receiver):
    truncate_all(postgres_url)
    db = Database(postgres_url)
    world = build_world(db)
    view, _ = subscribed(db, world, receiver)
    with db.transaction() as session:
        for n in range(200):
            session.add(
                WebhookDelivery(subscription_id=view.id, event="case.created", payload={"n": n})
            )
    relays = [
        Relay(Database(postgres_url), _gateway(fake), quick_settings(batch_size=10))
        for _ in range(2)
    ]
    threads = [threading.Thread(target=relay.run, daemon=True) for relay in relays]
    for thread in threads:
        thread.start()
    try:
        got = receiver.wait_for(200, timeout=60)
    finally:
        for relay, thread in zip(relays, threads, strict=True):
            relay.stop()
            thread.join(timeout=10)
            relay.db.dispose()
    ids = Counter(r.headers["Thusa-Delivery"] for r in got)
    assert len(ids) == 200 and max(ids.values()) == 1
    assert all(r.verified for r in got)
    assert {row.status for row in deliveries(db)} == {"sent"}
    db.dispose()


class CountingSendRate(LocalSendRate):
    def __init__(self) -> None:
        super().__init__(1000)
        self.taken = 0

    def acquire(self, stop=None):
        self.taken += 1
        return super().acquire(stop)


def _gateway(fake):
    return AfricasTalkingGateway(fake.username, fake.api_key, api_url=fake.url, timeout=0.5)


def test_body_is_compact_json_with_the_delivery_id_first():
    body = webhook_outbox.delivery_body(7, {"event": "case.created", "case": {"id": 1}})
    assert body == b'{"id":7,"event":"case.created","case":{"id":1}}'
    assert json.loads(body)["id"] == 7


def test_in_production_a_name_that_resolves_inside_is_refused_when_sending(
    db, fake, world, receiver
):
    # "localhost" passed the subscription check only because loopback was allowed; a
    # production relay looks up where the name points and refuses a private address.
    actor = world.actor("supervisor")
    url = receiver.url.replace("127.0.0.1", "localhost") + "/hooks"
    _, receiver.secrets["/hooks"] = subscribe(
        db, actor, url=url, events=[], allow_loopback_http=True
    )
    sender = WebhookSender(private_addresses=False)
    relay = Relay(db, _gateway(fake), quick_settings(), webhook_sender=sender)
    lodge(db)
    relay.run_once()
    [row] = deliveries(db)
    assert row.status == "failed" and "private network" in row.failure_reason
    assert receiver.received == []
