"""Signing in with a phone number and a code sent by SMS."""

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from casework.models import Citizen, OutboundMessage, SignInCode, utcnow
from tests.portal.web import last_code, sign_in, submit


def test_sign_in_sends_a_6_digit_code_that_signs_you_in_once(client, db):
    response = submit(client, "/sign-in?next=/my-details", {"phone": "082 123 4567"})
    assert response.status_code == 302
    code = last_code(db, "+27821234567")
    assert len(code) == 6 and code.isdigit()
    page = client.get("/sign-in/code?next=/my-details").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page and "+27 82 *** **67" in page
    done = submit(client, "/sign-in/code?next=/my-details", {"code": code})
    assert done.headers["Location"] == "/my-details"
    assert client.get("/my-details").status_code == 200
    with db.read() as session:
        assert session.scalar(select(Citizen.phone)) == "+27821234567"
        stored = session.scalars(select(SignInCode)).one()
        assert code not in stored.code_hash and stored.spent_at is not None
    # Single use: the same code does not sign in again.
    client.post("/sign-out", data={"csrf_token": "x"})
    with client.session_transaction() as session_data:
        session_data.clear()
        session_data["sign_in_phone"] = "+27821234567"
    again = submit(client, "/sign-in/code", {"code": code})
    assert again.status_code == 200 and "wrong or has expired" in again.get_data(as_text=True)


def test_wrong_code_shows_an_error_and_five_tries_use_the_code_up(client, db):
    submit(client, "/sign-in", {"phone": "+27821234567"})
    code = last_code(db, "+27821234567")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        page = submit(client, "/sign-in/code", {"code": wrong}).get_data(as_text=True)
        assert "<title>Error: Enter the code from the SMS" in page
    refused = submit(client, "/sign-in/code", {"code": code})
    assert "wrong or has expired" in refused.get_data(as_text=True)


def test_expired_code_does_not_sign_in(client, db):
    submit(client, "/sign-in", {"phone": "+27821234567"})
    code = last_code(db, "+27821234567")
    with db.transaction() as session:
        session.scalars(select(SignInCode)).one().expires_at = utcnow() - dt.timedelta(seconds=1)
    assert "wrong or has expired" in submit(client, "/sign-in/code", {"code": code}).get_data(
        as_text=True
    )


def test_a_new_code_replaces_the_old_one(client, db):
    submit(client, "/sign-in", {"phone": "+27821234567"})
    first = last_code(db, "+27821234567")
    submit(client, "/sign-in", {"phone": "+27821234567"})
    second = last_code(db, "+27821234567")
    if first != second:
        assert "wrong" in submit(client, "/sign-in/code", {"code": first}).get_data(as_text=True)
    assert submit(client, "/sign-in/code", {"code": second}).status_code == 302


def test_one_phone_gets_at_most_three_codes_in_a_quarter_hour(client, db):
    for _ in range(5):
        response = submit(client, "/sign-in", {"phone": "+27821234567"})
        assert response.status_code == 302  # the same answer every time
    with db.read() as session:
        sent = session.scalar(select(func.count(OutboundMessage.id)))
    assert sent == 3


def test_the_answer_is_the_same_for_known_and_unknown_numbers(client, db):
    with db.transaction() as session:
        session.add(Citizen(phone="+27821111111", language="en"))
    known = submit(client, "/sign-in", {"phone": "082 111 1111"})
    known_page = client.get(known.headers["Location"]).get_data(as_text=True)
    unknown = submit(client, "/sign-in", {"phone": "082 222 2222"})
    unknown_page = client.get(unknown.headers["Location"]).get_data(as_text=True)

    def same(page, digit):
        page = re.sub(r'name="csrf_token"[^>]*>', "", page)
        return page.replace(f"*** **{digit}{digit}", "*** **")

    assert same(known_page, "1") == same(unknown_page, "2")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your mobile number"),
        ("12345", "Enter a phone number like"),
        ("011 123 4567", "Enter a mobile number that can get SMS"),
    ],
)
def test_sign_in_phone_errors_are_summarised_and_linked(client, typed, message):
    page = submit(client, "/sign-in", {"phone": typed}).get_data(as_text=True)
    assert "<title>Error: Sign in with your phone" in page
    assert 'href="#phone"' in page and message in page


def test_signing_in_starts_a_new_session(client, db):
    with client.session_transaction() as session_data:
        session_data["planted"] = "by someone else"
    sign_in(client, db)
    with client.session_transaction() as session_data:
        assert "planted" not in session_data and session_data["citizen_id"]


def test_pages_of_your_own_ask_you_to_sign_in_first(client):
    response = client.get("/my-cases")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=/my-cases")


def test_sign_in_sends_are_limited_per_address(make_app, database_url, db):
    app = make_app({"DATABASE_URL": database_url})
    client = app.test_client()
    statuses = [
        submit(client, "/sign-in", {"phone": f"+278212300{n:02d}"}).status_code for n in range(11)
    ]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429
