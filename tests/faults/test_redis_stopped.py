"""Fault: Redis killed (SIGKILL, no snapshot) while citizens are mid-way through USSD
sessions, then started again, empty.

What must hold: every hop still gets HTTP 200 and a valid CON/END screen; a session whose
state was in Redis carries on (rebuilt from the gateway's text) and a confirmation whose
key was lost is shown again with a short apology, so nothing is sent silently or twice;
complaints already lodged stay lodged once; sign-in (rate-limited through Redis) and the
SMS relay (doorbell and send rate in Redis) keep working; and when Redis is back, sessions
go back into it without restarting the app. A Redis that hangs and comes back with older
copies of what changed meanwhile never has them served.
"""

from __future__ import annotations

import json
import time

import pytest
import redis
from sqlalchemy import func, select

from casework.models import Case, Citizen
from casework.seed_demo import seed_demo
from tests.faults.menu_keys import COMPLAINT_TO_CONFIRM
from tests.portal.web import submit
from tests.ussd.caller import Caller
from ussd.session_store import RedisSessionStore

HOME = "CON Thusa: how can we help?"
SENT = "END Complaint sent."
LOST_PLACE = "Sorry, we lost your place. Choose again."


def complaints_from(db, number: str) -> int:
    with db.read() as session:
        return session.scalar(
            select(func.count(Case.id)).join(Citizen).where(Citizen.phone == number)
        )


def session_keys(server) -> set[str]:
    client = server.client()
    try:
        return {key.decode() for key in client.keys("thusa:ussd:session:*")}
    finally:
        client.close()


@pytest.fixture
def app_on_private_redis(make_app, db, database_url, private_redis, fake):
    seed_demo(db, with_staff=False)
    return make_app(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": private_redis.url,
            "AT_USERNAME": fake.username,
            "AT_API_KEY": fake.api_key,
            "AT_API_URL": fake.url,
            "SMS_RELAY_THREAD": "true",
            "SMS_POLL_SECONDS": "0.2",
            "SMS_SEND_TIMEOUT": "2",
        }
    )


def test_ussd_sessions_carry_on_through_a_redis_kill_and_restart(
    app_on_private_redis, db, private_redis, fake
):
    client = app_on_private_redis.test_client()
    lodged = Caller(client, "+27821110001")  # finished before the kill
    typing = Caller(client, "+27821110002")  # half-way through the form
    confirming = Caller(client, "+27821110003")  # looking at the confirmation
    lodged.dial()
    lodged.press(*COMPLAINT_TO_CONFIRM)
    assert lodged.press("1").startswith(SENT)
    typing.dial()
    typing.press(*COMPLAINT_TO_CONFIRM[:4])
    assert typing.reply.startswith("CON What happened?")
    confirming.dial()
    assert confirming.press(*COMPLAINT_TO_CONFIRM).startswith("CON Check your complaint:")
    assert f"thusa:ussd:session:{typing.session_id}" in session_keys(private_redis)

    private_redis.kill()

    # The gateway sends the lodged complaint's last hop again: nothing is lodged again.
    assert lodged.resend().startswith("CON ")
    assert complaints_from(db, lodged.number) == 1
    # Half-way: the session is rebuilt from the gateway's text and goes on as before.
    assert typing.press("Nobody answers").startswith("CON Give your number so we can reply?")
    assert typing.press("1").startswith("CON Check your complaint:")
    assert typing.press("1").startswith(SENT)
    assert complaints_from(db, typing.number) == 1
    # On the confirmation: the key pressed was lost with Redis, so it is asked again, with
    # a short apology, and sent once when pressed again, however often the gateway resends.
    apology = confirming.press("1")
    assert apology.startswith(f"CON {LOST_PLACE}\n") and "\n1 Send complaint\n" in apology
    assert complaints_from(db, confirming.number) == 0
    sent = confirming.press("1")
    assert sent.startswith(SENT)
    assert confirming.resend() == sent
    assert complaints_from(db, confirming.number) == 1
    # A new call while Redis is down starts normally.
    newcomer = Caller(client, "+27821110004")
    assert newcomer.dial().startswith(HOME)
    assert newcomer.press("3").startswith("CON What is your complaint about?")

    # The SMS confirming each complaint still goes out: the relay's doorbell and shared
    # send rate are in Redis, and fall back to polling and a rate of their own.
    sent_sms = fake.wait_for(3, timeout=10)
    assert {sms.to for sms in sent_sms} >= {lodged.number, typing.number, confirming.number}

    private_redis.start()  # empty: no snapshot survived
    time.sleep(2.2)  # the store tries Redis again two seconds after its last failure

    # The call that began during the outage carries on, and its session moves to Redis.
    assert newcomer.press("1").startswith("CON Where did it happen?")
    assert f"thusa:ussd:session:{newcomer.session_id}" in session_keys(private_redis)
    later = Caller(client, "+27821110005")
    later.dial()
    later.press(*COMPLAINT_TO_CONFIRM)
    assert f"thusa:ussd:session:{later.session_id}" in session_keys(private_redis)
    assert later.press("1").startswith(SENT)
    assert [complaints_from(db, phone.number) for phone in (lodged, typing, confirming, later)] == [
        1,
        1,
        1,
        1,
    ]


def test_pages_and_rate_limited_sign_in_keep_working_while_redis_is_down(
    app_on_private_redis, db, private_redis
):
    client = app_on_private_redis.test_client()
    private_redis.kill()
    assert client.get("/").status_code == 200
    # Sign-in is rate-limited with counts in Redis: the limiter counts in the process.
    for attempt in range(2):
        response = submit(client, "/sign-in", {"phone": f"+2782222000{attempt}"})
        assert response.status_code in (200, 302), response.status_code
    # A complaint's draft, between the form and its check page, lives in the same store as
    # USSD sessions: the complaint still goes in, once.
    form = {
        "category": "service_delay",
        "place": "district:eThekwini",
        "description": "Sent home after six hours.",
        "anonymous": "yes",
    }
    assert submit(client, "/complaint", form).headers["Location"] == "/complaint/check"
    assert "Sent home after six hours." in client.get("/complaint/check").get_data(as_text=True)
    assert submit(client, "/complaint/check", {}).headers["Location"] == "/complaint/sent"
    assert "Your PIN" in client.get("/complaint/sent").get_data(as_text=True)
    with db.read() as session:
        assert session.scalar(select(func.count(Case.id))) == 1
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json["status"] == "degraded" and health.json["checks"]["redis"]["ok"] is False


def test_a_hung_redis_that_comes_back_never_serves_what_changed_meanwhile(private_redis):
    client = redis.Redis.from_url(private_redis.url, socket_timeout=0.3, socket_connect_timeout=0.3)
    store = RedisSessionStore(client, retry_after=0.5)
    store.put("session:a", {"seen": "1"}, ttl=60)
    store.put("resume:+27820000001", {"screen": "complaint_district"}, ttl=60)
    private_redis.freeze()
    try:
        started = time.monotonic()
        store.put("session:a", {"seen": "1*2"}, ttl=60)
        store.delete("resume:+27820000001")  # the journey finished while Redis hung
        assert store.get("session:a") == {"seen": "1*2"}
        assert store.get("resume:+27820000001") is None
        # One timeout, then Redis is left alone: the hop is not held up on every call.
        assert time.monotonic() - started < 1.0
    finally:
        private_redis.thaw()
    time.sleep(0.6)
    # Redis answers again, with its older copies: they must not come back.
    assert store.get("session:a") == {"seen": "1*2"}
    assert store.get("resume:+27820000001") is None
    store.put("session:a", {"seen": "1*2*3"}, ttl=60)
    store.delete("resume:+27820000001")
    assert json.loads(client.get("thusa:ussd:session:a")) == {"seen": "1*2*3"}
    assert client.get("thusa:ussd:resume:+27820000001") is None
    assert store.get("session:a") == {"seen": "1*2*3"}
    client.close()
