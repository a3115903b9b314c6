"""`POST /ussd` as Africa's Talking calls it: always 200, always CON or END."""

import pytest
import redis

from casework.seed_demo import seed_demo


@pytest.fixture
def client(app, db):
    seed_demo(db, with_staff=False)
    return app.test_client()


def hop(client, text="", session="ATUid_1", phone="+27821234567", path="/ussd"):
    return client.post(
        path,
        data={
            "sessionId": session,
            "serviceCode": "*120*3210#",
            "phoneNumber": phone,
            "networkCode": "65501",
            "text": text,
        },
    )


def test_ussd_speaks_plain_text_con_and_end(client):
    response = hop(client)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.get_data(as_text=True).startswith("CON Thusa: how can we help?")
    assert hop(client, "1").get_data(as_text=True).startswith("CON What do you need?")


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"phoneNumber": "+27821234567"},
        {"sessionId": "ATUid_9"},
        {"sessionId": "ATUid_9", "phoneNumber": "not a number"},
        {"sessionId": "x" * 500, "phoneNumber": "+27821234567"},
        {"sessionId": "ATUid_9", "phoneNumber": "+27821234567", "text": "1*" * 2000},
    ],
)
def test_ussd_malformed_request_gets_a_polite_end_and_200(client, fields):
    response = client.post("/ussd", data=fields)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.startswith("END Sorry, we could not read")


def test_ussd_accepts_numbers_without_a_plus_and_control_characters(client):
    response = hop(client, "\x00", phone="27821234567")
    assert response.get_data(as_text=True).startswith("CON Thusa")


def test_ussd_callback_token(make_app, database_url):
    app = make_app({"DATABASE_URL": database_url, "AT_CALLBACK_TOKEN": "s3cret"})
    client = app.test_client()
    assert hop(client).status_code == 403
    assert hop(client, path="/ussd?token=nope").status_code == 403
    assert hop(client, path="/ussd?token=s3cret").status_code == 200


def test_ussd_sessions_live_in_redis_when_it_is_configured(make_app, db, database_url, redis_url):
    seed_demo(db, with_staff=False)
    app = make_app({"DATABASE_URL": database_url, "REDIS_URL": redis_url})
    client = app.test_client()
    hop(client, session="ATUid_r")
    hop(client, "4", session="ATUid_r")
    raw = redis.Redis.from_url(redis_url)
    assert raw.exists("thusa:ussd:session:ATUid_r")
    assert 0 < raw.ttl("thusa:ussd:session:ATUid_r") <= 300
    raw.close()
    # Another worker (another app) continues the same session.
    other = make_app({"DATABASE_URL": database_url, "REDIS_URL": redis_url}).test_client()
    assert (
        hop(other, "4*1", session="ATUid_r")
        .get_data(as_text=True)
        .startswith("CON Choose a service")
    )
