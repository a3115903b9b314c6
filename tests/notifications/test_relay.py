"""The relay against a fake Africa's Talking server, through the real SDK."""

import datetime as dt

import pytest
from sqlalchemy import select

from casework import outbox
from casework.models import Citizen, GatewayPause, OutboundMessage, utcnow
from notifications.gateways import AfricasTalkingGateway
from notifications.relay import Relay
from tests.casework.scenes import build_world
from tests.factories import lodge
from tests.notifications.conftest import quick_settings
from tests.notifications.outbox_rows import make_due, queue, rows


def test_relay_sends_a_case_change_and_records_the_gateways_answer(db, fake, relay):
    build_world(db)
    grievance = lodge(db).grievance
    assert relay.run_once() == 1
    [sms] = fake.sent
    assert sms.to == "+27821234567" and sms.sender == "THUSA"
    assert f"Ref G {grievance.reference[:4]} {grievance.reference[4:8]}" in sms.message
    [row] = rows(db)
    assert row.status == "sent" and row.attempts == 1
    assert row.gateway_message_id == sms.message_id
    assert (row.cost, row.parts, row.encoding) == ("ZAR 0.3500", 1, "GSM-7")
    assert relay.run_once() == 0  # nothing is sent twice


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("http500", "GatewayHttpError"),
        ("timeout", "Timeout"),
        (("recipient", 501, "GatewayError"), "GatewayError"),
        (("recipient", 407, "CouldNotRoute"), "CouldNotRoute"),
    ],
)
def test_relay_transient_failure_retries_with_backoff(db, fake, relay, fault, reason):
    fake.timeout_sleep = 1.0
    queue(db)
    fake.fail_next(fault)
    before = utcnow()
    relay.run_once()
    [row] = rows(db)
    assert row.status == "queued" and row.attempts == 1 and reason in row.failure_reason
    # First retry: 30 s base, jittered down to no less than half.
    assert before + dt.timedelta(seconds=15) <= row.next_attempt_at
    assert row.next_attempt_at <= utcnow() + dt.timedelta(seconds=30)
    assert relay.run_once() == 0  # not due yet
    make_due(db)
    relay.run_once()
    [row] = rows(db)
    assert row.status == "sent" and row.attempts == 2 and row.failure_reason is None
    assert len(fake.sent) == 1


def test_relay_backoff_doubles_with_each_attempt(db, fake, relay):
    queue(db)
    waits = []
    for _ in range(4):
        fake.fail_next("http500")
        start = utcnow()
        relay.run_once()
        waits.append((rows(db)[0].next_attempt_at - start).total_seconds())
        make_due(db)
    for attempt, wait in enumerate(waits):
        assert 30 * 2**attempt * 0.5 - 1 <= wait <= 30 * 2**attempt + 1, (attempt, waits)


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (403, "InvalidPhoneNumber"),
        (406, "UserInBlacklist"),
        (502, "RejectedByGateway"),
        (404, "UnsupportedNumberType"),
    ],
)
def test_relay_permanent_failure_ends_failed_with_the_reason(db, fake, relay, code, status):
    queue(db)
    fake.fail_next(("recipient", code, status))
    relay.run_once()
    [row] = rows(db)
    assert (row.status, row.failure_reason, row.attempts) == ("failed", status, 1)
    make_due(db)
    assert relay.run_once() == 0


def test_relay_insufficient_balance_pauses_without_burning_retries(db, fake, gateway):
    relay = Relay(db, gateway, quick_settings(pause_for=dt.timedelta(seconds=60)))
    queue(db, 3)
    fake.fail_next(("recipient", 405, "InsufficientBalance"))
    assert relay.run_once() == 0
    assert [(r.status, r.attempts) for r in rows(db)] == [("queued", 0)] * 3
    pause = outbox.gateway_pause(db)
    assert pause.reason == "InsufficientBalance"
    assert relay.run_once() == 0 and fake.requests == 1  # paused: the gateway is left alone
    # Time passes; the balance was topped up. The first send succeeds and resumes sending.
    with db.transaction() as session:
        session.get(GatewayPause, "africastalking").paused_until = utcnow()
        for message in session.scalars(select(OutboundMessage)):
            message.next_attempt_at = utcnow()
    assert relay.run_once() == 3
    assert [r.status for r in rows(db)] == ["sent"] * 3
    assert outbox.gateway_pause(db) is None


def test_relay_wrong_credentials_pause_sending(db, fake):
    wrong = AfricasTalkingGateway(fake.username, "wrong-key", api_url=fake.url, timeout=0.5)
    queue(db)
    Relay(db, wrong, quick_settings()).run_once()
    assert outbox.gateway_pause(db).reason == "AuthenticationFailed"
    assert rows(db)[0].attempts == 0


def test_relay_expires_a_message_not_sent_within_the_window(db, fake, relay):
    queue(db, created_at=utcnow() - dt.timedelta(hours=25))
    relay.run_once()
    [row] = rows(db)
    assert (row.status, row.failure_reason) == ("expired", "NotSentInTime")
    assert fake.requests == 0


def test_relay_expires_when_the_next_retry_would_fall_outside_the_window(db, fake, relay):
    queue(db, created_at=utcnow() - dt.timedelta(hours=23, minutes=59, seconds=50))
    fake.fail_next("http500")
    relay.run_once()
    [row] = rows(db)
    assert row.status == "expired" and "GatewayHttpError" in row.failure_reason


def test_relay_forgets_an_anonymous_complainants_number_and_pin_once_sent(db, fake, relay):
    build_world(db)
    lodged = lodge(db, anonymous=True, phone="+27830000009")
    relay.run_once()
    [sms] = fake.sent
    assert sms.to == "+27830000009" and f"PIN {lodged.pin}" in sms.message
    [row] = rows(db)
    assert row.status == "sent" and row.to is None and "pin" not in row.params
    with db.read() as session:
        assert session.scalar(select(Citizen).where(Citizen.phone == "+27830000009")) is None


def test_relay_sends_opted_out_citizens_only_what_concerns_their_own_cases(db, fake, relay):
    world = build_world(db)
    with db.transaction() as session:
        session.get(Citizen, world.citizen.id).sms_opted_out = True
    lodge(db)  # their own case: still told
    queue(db, to=world.citizen.phone)  # not about any case of theirs: held back
    relay.run_once()
    assert [s.to for s in fake.sent] == [world.citizen.phone]
    statuses = {row.template: (row.status, row.failure_reason) for row in rows(db)}
    assert statuses["grievance_lodged"] == ("sent", None)
    assert statuses["grievance_closed"] == ("failed", "OptedOut")


def test_relay_hands_back_messages_claimed_by_a_relay_that_died(db, fake, relay):
    queue(db, 5)
    claimed = outbox.claim_due_messages(db, 5, dt.timedelta(minutes=5))
    assert len(claimed) == 5 and relay.run_once() == 0  # held by the other relay
    make_due(db)  # its claim runs out
    assert relay.run_once() == 5
    assert len(fake.sent) == 5


def test_relay_whose_claim_ran_out_cannot_record_over_the_relay_that_took_over(db, fake, relay):
    queue(db)
    [first] = outbox.claim_due_messages(db, 1, dt.timedelta(minutes=5))
    make_due(db)  # the first claim runs out; another relay takes the message over
    [second] = outbox.claim_due_messages(db, 1, dt.timedelta(minutes=5))
    assert outbox.record_sent(
        db, second, gateway_message_id="ATXid_2", cost=None, parts=1, encoding="GSM-7"
    )
    assert not outbox.record_sent(
        db, first, gateway_message_id="ATXid_1", cost=None, parts=1, encoding="GSM-7"
    )
    outbox.record_retry(db, first, "Timeout", utcnow())
    [row] = rows(db)
    assert (row.status, row.gateway_message_id, row.attempts) == ("sent", "ATXid_2", 1)


def test_relay_with_a_slow_gateway_hands_back_what_it_cannot_send_inside_its_lease(
    db, fake, gateway
):
    fake.timeout_sleep = 0.7  # past the gateway's 0.5 s read timeout
    for _ in range(10):
        fake.fail_next("timeout", record_late=True)
    queue(db, 10)
    relay = Relay(db, gateway, quick_settings(lease=dt.timedelta(seconds=1)))
    handled = relay.run_once()
    assert 1 <= handled < 10
    statuses = [row.status for row in rows(db)]
    assert "sending" not in statuses  # nothing left claimed for another relay to double
    assert statuses.count("queued") == 10  # the slow ones retry; the rest went back untouched


def test_relay_one_broken_message_does_not_hold_up_the_batch(db, fake, relay):
    queue(db, 2)
    queue(db, template="referral_sent", params={"reference": "R 1234 5678 90"})  # no agency
    queue(db, 2)
    assert relay.run_once() == 5
    statuses = [(row.template, row.status, row.failure_reason) for row in rows(db)]
    assert statuses.count(("grievance_closed", "sent", None)) == 4
    assert ("referral_sent", "failed", "Error: KeyError") in statuses
    assert len(fake.sent) == 4


def test_pause_that_ran_out_with_nothing_to_send_stops_being_reported(db, fake, relay):
    outbox.pause_gateway(db, "africastalking", "InsufficientBalance", utcnow())
    assert relay.run_once() == 0
    assert outbox.gateway_pause(db) is None


def test_relay_reads_a_json_answer_even_with_a_charset_on_its_content_type(db, fake, relay):
    fake.content_type = "application/json; charset=utf-8"
    queue(db)
    relay.run_once()
    [row] = rows(db)
    assert row.status == "sent" and row.gateway_message_id == fake.sent[0].message_id
