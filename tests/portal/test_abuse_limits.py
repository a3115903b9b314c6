"""Abuse limits on the web: each one bites, answers with a page that says how long to wait,
counts only what it should, stores nothing half-way, and lets the citizen in again once
its window has passed."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import func, select

from casework.abuse_limits import WAIT_MINUTES, wait_words
from casework.i18n import translations
from casework.models import Application, Grievance, OutboundMessage
from casework.references import new_reference
from casework.seed_demo import seed_demo
from portal.config import ConfigError, load_config
from tests.factories import create_staff_user
from tests.portal.test_apply import ANSWERS, post_form
from tests.portal.web import last_code, sign_in, submit

PHONE = "+27821234567"
WAIT = re.compile(r"Please try again in (a minute|(\d+) minutes|(\d+) hours)\.")
COMPLAINT = {
    "category": "service_delay",
    "place": "district:eThekwini",
    "description": "Nobody called me back.",
    "anonymous": "no",
}


def at(n: int) -> dict:
    """Request options for a client at another address (a proxy-less deployment)."""
    return {"environ_base": {"REMOTE_ADDR": f"198.51.100.{n}"}}


@pytest.fixture
def limited_app(make_app, database_url, db):  # type: ignore[no-untyped-def]
    """An app whose limits a test sets: `limited_app(name="N per hour", ...)`."""

    def make(**limits: str):  # type: ignore[no-untyped-def]
        seed_demo(db, with_staff=False)
        return make_app({"DATABASE_URL": database_url}, TESTING=True, RATE_LIMITS=limits)

    return make


def count(db, model) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(func.count(model.id)))


def assert_too_many_page(response, minutes: int | None = None) -> str:  # type: ignore[no-untyped-def]
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "<h1>Too many tries</h1>" in page
    waited = WAIT.search(page)
    assert waited, page
    if minutes is not None:
        assert int(waited.group(2)) in (minutes - 1, minutes)
    assert int(response.headers["Retry-After"]) > 0
    return page


def test_sign_in_codes_are_limited_per_phone_from_any_address(client, db):
    for n in range(5):  # the default: 5 an hour
        assert submit(client, "/sign-in", {"phone": PHONE}, **at(n)).status_code == 302
    queued = count(db, OutboundMessage)
    refused = submit(client, "/sign-in", {"phone": PHONE}, **at(9))
    assert_too_many_page(refused, minutes=60)
    assert count(db, OutboundMessage) == queued  # nothing sent for the refused try
    # Another number is not held back by this one's limit.
    assert submit(client, "/sign-in", {"phone": "+27821234568"}, **at(9)).status_code == 302


def test_answers_never_tell_how_often_a_number_was_used(limited_app):
    """A count left in a header would tell a stranger how often a number asked for codes."""
    client = limited_app(sign_in_send_per_phone="2 per hour").test_client()
    for _ in range(2):
        sent = submit(client, "/sign-in", {"phone": PHONE})
        assert not [name for name, _value in sent.headers.items() if "ratelimit" in name.lower()]
        assert "Retry-After" not in sent.headers
    refused = submit(client, "/sign-in", {"phone": PHONE})
    assert 3500 < int(refused.headers["Retry-After"]) <= 3600
    assert not [name for name, _value in refused.headers.items() if "ratelimit" in name.lower()]


def test_sign_in_forms_sent_back_with_errors_do_not_count(limited_app):
    client = limited_app(sign_in_send_per_address="2 per hour").test_client()
    for _ in range(4):
        assert submit(client, "/sign-in", {"phone": "12345"}).status_code == 200
    assert submit(client, "/sign-in", {"phone": PHONE}).status_code == 302
    assert submit(client, "/sign-in", {"phone": "+27821234568"}).status_code == 302
    assert_too_many_page(submit(client, "/sign-in", {"phone": "+27821234569"}))


def test_tracking_with_a_phone_counts_against_the_same_sms_codes(limited_app):
    client = limited_app(sign_in_send_per_phone="3 per hour").test_client()
    assert submit(client, "/sign-in", {"phone": PHONE}).status_code == 302
    for _ in range(2):
        sent = submit(client, "/track", {"reference": new_reference(), "phone": PHONE})
        assert sent.headers["Location"].startswith("/sign-in/code")
    refused = submit(client, "/track", {"reference": new_reference(), "phone": PHONE})
    assert_too_many_page(refused)


def test_sign_in_code_checks_are_limited_per_phone_even_for_the_right_code(limited_app, db):
    client = limited_app(sign_in_check_per_phone="3 per hour").test_client()
    submit(client, "/sign-in", {"phone": PHONE})
    code = last_code(db, PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for n in range(3):
        assert submit(client, "/sign-in/code", {"code": wrong}, **at(n)).status_code == 200
    refused = submit(client, "/sign-in/code", {"code": code}, **at(7))
    assert_too_many_page(refused)
    with client.session_transaction() as session:
        assert "citizen_id" not in session  # not signed in


def test_sign_in_code_checks_are_limited_per_address(limited_app, db):
    app = limited_app(sign_in_check_per_address="2 per hour")
    for number in ("+27821234567", "+27821234568"):
        client = app.test_client()
        submit(client, "/sign-in", {"phone": number})
        assert submit(client, "/sign-in/code", {"code": "000000"}).status_code == 200
    client = app.test_client()
    submit(client, "/sign-in", {"phone": "+27821234569"})
    code = last_code(db, "+27821234569")
    assert_too_many_page(submit(client, "/sign-in/code", {"code": code}))
    assert submit(client, "/sign-in/code", {"code": code}, **at(3)).status_code == 302


def anonymous_complaint(db):  # type: ignore[no-untyped-def]
    from tests.factories import lodge

    return lodge(db, phone=None, anonymous=True, channel="web", language="en")


def test_pin_tries_are_limited_per_reference_from_any_address(limited_app, db):
    client = limited_app(pin_check_per_reference="3 per day").test_client()
    lodged = anonymous_complaint(db)
    reference = lodged.grievance.reference
    wrong = "0000" if lodged.pin != "0000" else "1111"
    for n in range(3):
        page = submit(client, "/track", {"reference": reference, "pin": wrong}, **at(n))
        assert "That reference and PIN do not match" in page.get_data(as_text=True)
    refused = submit(client, "/track", {"reference": reference, "pin": lodged.pin})
    assert "Please try again in 24 hours." in assert_too_many_page(refused)
    assert client.get("/track/case").status_code == 404  # the right PIN opened nothing
    # Other references are not held back by this one.
    other = submit(client, "/track", {"reference": new_reference(), "pin": wrong}, **at(5))
    assert other.status_code == 200


def test_pin_tries_are_limited_per_address_across_references(limited_app):
    client = limited_app(pin_check_per_address="2 per hour").test_client()
    for _ in range(2):
        tried = submit(client, "/track", {"reference": new_reference(), "pin": "1234"})
        assert tried.status_code == 200
    assert_too_many_page(submit(client, "/track", {"reference": new_reference(), "pin": "1234"}))
    # Tracking with a phone number is another limit: still open to this address.
    sent = submit(client, "/track", {"reference": new_reference(), "phone": PHONE})
    assert sent.status_code == 302


def send_complaint(client, **fields):  # type: ignore[no-untyped-def]
    submit(client, "/complaint", COMPLAINT | fields)
    return submit(client, "/complaint/check", {})


def test_complaints_are_limited_per_phone_and_a_refused_one_is_kept_unsent(limited_app, db):
    client = limited_app(submission_per_phone="2 per day").test_client()
    sign_in(client, db)
    for _ in range(2):
        assert send_complaint(client).headers["Location"] == "/complaint/sent"
    refused = send_complaint(client, description="A third complaint, refused for now.")
    assert_too_many_page(refused)
    assert count(db, Grievance) == 2
    # Nothing lost: the refused complaint waits, unsent, on its check page.
    assert "A third complaint, refused for now." in client.get("/complaint/check").get_data(
        as_text=True
    )


def test_anonymous_complaints_are_limited_per_number_their_sms_goes_to(limited_app, db):
    app = limited_app(submission_per_phone="1 per day")
    first = send_complaint(app.test_client(), anonymous="yes", sms_to=PHONE)
    assert first.headers["Location"] == "/complaint/sent"
    assert_too_many_page(send_complaint(app.test_client(), anonymous="yes", sms_to=PHONE))
    # Without a number, only the address limit applies.
    without = send_complaint(app.test_client(), anonymous="yes")
    assert without.headers["Location"] == "/complaint/sent"
    assert count(db, Grievance) == 2


def test_submissions_are_limited_per_address(limited_app, db):
    app = limited_app(submission_per_address="2 per hour")
    for _ in range(2):
        sent = send_complaint(app.test_client(), anonymous="yes")
        assert sent.headers["Location"] == "/complaint/sent"
    assert_too_many_page(send_complaint(app.test_client(), anonymous="yes"))
    elsewhere = app.test_client()
    submit(elsewhere, "/complaint", COMPLAINT | {"anonymous": "yes"}, **at(4))
    assert submit(elsewhere, "/complaint/check", {}, **at(4)).status_code == 302
    assert count(db, Grievance) == 3


def test_applications_count_with_complaints_against_the_phone_limit(limited_app, db):
    client = limited_app(submission_per_phone="1 per day").test_client()
    sign_in(client, db)
    assert send_complaint(client).headers["Location"] == "/complaint/sent"
    post_form(client, "/apply/child-support-grant", ANSWERS)
    refused = submit(client, "/apply/child-support-grant/check", {})
    assert_too_many_page(refused)
    assert count(db, Application) == 0


def test_staff_sign_in_past_the_limit_shows_the_form_again_saying_how_long(limited_app, db):
    from tests.factories import STAFF_PASSWORD, create_agency

    app = limited_app(staff_sign_in_per_username="3 per hour")
    user = create_staff_user(db, create_agency(db), "case_officer")
    client = app.test_client()
    for n in range(3):
        wrong = {"username": user.username, "password": "wrong"}
        assert submit(client, "/staff/sign-in", wrong, **at(n)).status_code == 200
    right = {"username": user.username.upper(), "password": STAFF_PASSWORD}
    refused = submit(client, "/staff/sign-in", right, **at(9))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "<title>Error: Staff sign in" in page and "Too many tries." in page
    assert WAIT.search(page) and f'value="{user.username.upper()}"' in page
    assert client.get("/staff").status_code == 302  # not signed in


def test_staff_sign_in_is_limited_per_address_across_usernames(limited_app):
    client = limited_app(staff_sign_in_per_address="2 per hour").test_client()
    for name in ("a.one", "b.two"):
        assert (
            submit(client, "/staff/sign-in", {"username": name, "password": "x"}).status_code == 200
        )
    refused = submit(client, "/staff/sign-in", {"username": "c.three", "password": "x"})
    assert refused.status_code == 429 and "Too many tries." in refused.get_data(as_text=True)


@pytest.mark.parametrize("language", ["zu", "af"])
def test_the_too_many_page_is_in_the_citizens_language(limited_app, language):
    client = limited_app(sign_in_send_per_phone="1 per hour").test_client()
    client.set_cookie("lang", language)
    submit(client, "/sign-in", {"phone": PHONE})
    refused = submit(client, "/sign-in", {"phone": PHONE})
    page = refused.get_data(as_text=True)
    catalog = translations(language)
    assert refused.status_code == 429 and f'lang="{language}"' in page
    assert f"<h1>{catalog.gettext('Too many tries')}</h1>" in page
    waits = [catalog.gettext(WAIT_MINUTES) % {"minutes": minutes} for minutes in (59, 60)]
    assert any(f"<p>{wait}</p>" in page for wait in waits), page


def test_limits_let_the_citizen_in_again_after_their_window(limited_app):
    client = limited_app(sign_in_send_per_phone="1 per 2 seconds").test_client()
    assert submit(client, "/sign-in", {"phone": PHONE}).status_code == 302
    assert_too_many_page(submit(client, "/sign-in", {"phone": PHONE}))
    time.sleep(2.2)
    assert submit(client, "/sign-in", {"phone": PHONE}).status_code == 302


def test_rate_limits_are_set_from_the_environment(make_app, database_url, tmp_path):
    config = load_config(str(tmp_path), {"RATE_LIMIT_SIGN_IN_SEND_PER_PHONE": "1 per hour"})
    assert config["RATE_LIMITS"] == {"sign_in_send_per_phone": "1 per hour"}
    with pytest.raises(ConfigError, match="RATE_LIMIT_USSD_HOP_PER_PHONE must look like"):
        load_config(str(tmp_path), {"RATE_LIMIT_USSD_HOP_PER_PHONE": "lots"})
    app = make_app(
        {"DATABASE_URL": database_url, "RATE_LIMIT_SIGN_IN_SEND_PER_PHONE": "1 per hour"}
    )
    client = app.test_client()
    assert submit(client, "/sign-in", {"phone": PHONE}).status_code == 302
    assert submit(client, "/sign-in", {"phone": PHONE}).status_code == 429


def test_an_unknown_limit_name_stops_the_app_from_starting(make_app, database_url):
    with pytest.raises(ConfigError, match="no such rate limit: sign_in_sends"):
        make_app({"DATABASE_URL": database_url}, RATE_LIMITS={"sign_in_sends": "1 per hour"})


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, ("Please try again in a minute.", {})),
        (60, ("Please try again in a minute.", {})),
        (61, ("Please try again in %(minutes)s minutes.", {"minutes": 2})),
        (3600, ("Please try again in %(minutes)s minutes.", {"minutes": 60})),
        (119 * 60, ("Please try again in %(minutes)s minutes.", {"minutes": 119})),
        (120 * 60, ("Please try again in %(hours)s hours.", {"hours": 2})),
        (86399, ("Please try again in %(hours)s hours.", {"hours": 24})),
    ],
)
def test_the_wait_is_said_in_whole_minutes_or_hours_rounded_up(seconds, words):
    assert wait_words(seconds) == words


def test_every_limit_is_documented_in_the_readme_with_its_default():
    from pathlib import Path

    from casework.abuse_limits import LIMITS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name, default in LIMITS.items():
        assert f"| `{name}` | `{default}` |" in readme, name
