"""Abuse limits across workers: two app instances (as two gunicorn workers or two machines)
on one Redis share every count, whichever channel a try comes through; the counts name
no phone number or address; and with Redis down, limits still count in each process."""

from __future__ import annotations

import time

import pytest
import redis

from casework.abuse_limits import TOO_MANY
from casework.seed_demo import seed_demo
from tests.factories import lodge
from tests.portal.web import submit
from tests.ussd.caller import Caller

PHONE = "+27821234567"


@pytest.fixture
def two_workers(make_app, database_url, redis_url, db):  # type: ignore[no-untyped-def]
    """Two apps sharing the database and Redis, and nothing in process."""
    seed_demo(db, with_staff=False)

    def make(**limits: str):  # type: ignore[no-untyped-def]
        environ = {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "SECRET_KEY": "k" * 64}
        first, second = (make_app(environ, TESTING=True, RATE_LIMITS=limits) for _ in range(2))
        assert (
            first.extensions["rate_limits"].storage is not second.extensions["rate_limits"].storage
        )
        return first.test_client(), second.test_client()

    return make


def test_two_workers_on_one_redis_share_the_sms_code_count(two_workers):
    first, second = two_workers(sign_in_send_per_phone="3 per hour")
    assert submit(first, "/sign-in", {"phone": PHONE}).status_code == 302
    assert submit(second, "/sign-in", {"phone": PHONE}).status_code == 302
    assert submit(first, "/sign-in", {"phone": PHONE}).status_code == 302
    assert submit(second, "/sign-in", {"phone": PHONE}).status_code == 429


def test_two_workers_on_one_redis_share_a_callers_ussd_hops(two_workers, db):
    first, second = two_workers(ussd_hop_per_phone="3 per 10 minutes")
    caller = Caller(first, PHONE)
    caller.dial()
    caller.client = second  # the gateway's next hop reaches the other worker
    assert caller.press("2").startswith("CON ")
    caller.client = first
    assert caller.press("0").startswith("CON ")
    caller.client = second
    assert caller.press("2").startswith(f"END {TOO_MANY}")


def test_pin_tries_on_the_web_and_by_ussd_share_one_count_across_workers(two_workers, db):
    first, second = two_workers(pin_check_per_reference="2 per day")
    lodged = lodge(db, phone=None, anonymous=True, language="en")
    reference = lodged.grievance.reference
    wrong = "0000" if lodged.pin != "0000" else "1111"
    tried = submit(first, "/track", {"reference": reference, "pin": wrong})
    assert "do not match" in tried.get_data(as_text=True)
    caller = Caller(second, PHONE)
    caller.dial()
    caller.press("2")
    caller.choose("Type a reference")
    caller.press(reference)
    assert "do not match" in caller.press(wrong)
    refused = submit(second, "/track", {"reference": reference, "pin": lodged.pin})
    assert refused.status_code == 429


def test_limit_counts_in_redis_name_no_phone_number_reference_or_address(
    two_workers, redis_url, db
):
    first, _second = two_workers()
    lodged = lodge(db, phone=None, anonymous=True, language="en")
    options = {"environ_base": {"REMOTE_ADDR": "198.51.100.7"}}
    submit(first, "/sign-in", {"phone": PHONE}, **options)
    submit(first, "/track", {"reference": lodged.grievance.reference, "pin": "1234"}, **options)
    Caller(first, PHONE).dial()
    keys = [key.decode() for key in redis.Redis.from_url(redis_url).keys("LIMITS*")]
    assert len(keys) >= 5  # sends, PIN tries (address, reference) and the hop, counted
    for secret in ("821234567", "198.51.100.7", lodged.grievance.reference):
        assert not [key for key in keys if secret in key]


def test_with_redis_down_each_worker_still_counts_and_nothing_fails(make_app, database_url):
    # Nothing listens on port 1: every Redis call is refused at once.
    app = make_app(
        {"DATABASE_URL": database_url, "REDIS_URL": "redis://127.0.0.1:1/0"},
        TESTING=True,
        RATE_LIMITS={"sign_in_send_per_phone": "2 per hour", "ussd_hop_per_phone": "2 per hour"},
    )
    client = app.test_client()
    assert submit(client, "/sign-in", {"phone": PHONE}).status_code == 302
    assert submit(client, "/sign-in", {"phone": PHONE}).status_code == 302
    assert submit(client, "/sign-in", {"phone": PHONE}).status_code == 429
    caller = Caller(client, PHONE)
    caller.dial()
    assert caller.press("2").startswith("CON ")
    assert caller.press("0").startswith(f"END {TOO_MANY}")


def test_counts_in_redis_end_with_their_window(two_workers):
    first, second = two_workers(sign_in_send_per_phone="1 per 2 seconds")
    assert submit(first, "/sign-in", {"phone": PHONE}).status_code == 302
    assert submit(second, "/sign-in", {"phone": PHONE}).status_code == 429
    time.sleep(2.2)
    assert submit(second, "/sign-in", {"phone": PHONE}).status_code == 302


def test_a_hop_refused_by_the_short_window_does_not_use_up_the_long_one(two_workers, db):
    # "2 per 2 seconds;3 per day": two hops, one refused, the wait; the next one is only
    # the third of the day, so it is let through.
    first, second = two_workers(ussd_hop_per_phone="2 per 2 seconds;3 per day")
    caller = Caller(first, PHONE)
    caller.dial()
    assert caller.press("2").startswith("CON ")
    caller.client = second
    refused = caller.press("0")
    assert refused.startswith(f"END {TOO_MANY}")
    assert "minute" in refused  # the short window's wait, not the day's
    time.sleep(2.2)
    caller = Caller(second, PHONE)
    assert caller.dial().startswith("CON ")
    caller = Caller(first, PHONE)
    assert caller.dial().startswith(f"END {TOO_MANY}")
