"""Abuse limits by USSD, seen as the gateway sees them: past a limit a valid END screen in
the caller's language saying how long to wait (never an HTTP error), and nothing lodged."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from casework.abuse_limits import TOO_MANY, WAIT_A_MINUTE, WAIT_HOURS, WAIT_MINUTES
from casework.i18n import translations
from casework.models import Grievance
from casework.seed_demo import seed_demo
from casework.services.citizen_preferences import choose_language
from tests.factories import lodge
from tests.portal.web import sign_in, submit
from tests.ussd.caller import Caller
from ussd.screen_kit import fit

NUMBER = "+27821234567"
COMPLAIN = ("3", "1", "1", "1", "Nobody called me back", "1")


@pytest.fixture
def limited_app(make_app, database_url, db):  # type: ignore[no-untyped-def]
    def make(**limits: str):  # type: ignore[no-untyped-def]
        seed_demo(db, with_staff=False)
        return make_app({"DATABASE_URL": database_url}, TESTING=True, RATE_LIMITS=limits)

    return make


def refusals(language: str, waits: list[tuple[str, dict[str, int]]]) -> list[str]:
    """The END screens that say "too many" in `language`, for each possible wait."""
    gettext = translations(language).gettext
    return [fit(f"END {gettext(TOO_MANY)} {gettext(wait) % params}") for wait, params in waits]


def minutes(*values: int) -> list[tuple[str, dict[str, int]]]:
    return [(WAIT_MINUTES, {"minutes": value}) for value in values]


def grievances(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(func.count(Grievance.id)))


def test_a_runaway_session_ends_with_a_screen_in_the_callers_language(limited_app, db):
    app = limited_app(ussd_hop_per_phone="4 per 10 minutes")
    choose_language(db, NUMBER, "zu", "ussd")
    caller = Caller(app.test_client(), NUMBER)
    caller.dial()
    for key in ("2", "0", "2"):
        assert caller.press(key).startswith("CON ")
    refused = caller.press("0")
    assert refused in refusals("zu", minutes(9, 10))
    assert caller.resend() == refused  # the gateway's retry: the same END
    # Dialling again does not get round it; the first screen already says so.
    assert caller.dial() in refusals("zu", minutes(9, 10))
    # Another number is not held back by this one.
    assert Caller(app.test_client(), "+27821234568").dial().startswith("CON ")


def test_hops_the_gateway_sends_again_do_not_count(limited_app):
    caller = Caller(limited_app(ussd_hop_per_phone="3 per 10 minutes").test_client(), NUMBER)
    caller.dial()
    for _ in range(5):
        assert caller.resend().startswith("CON ")
    caller.press("2")
    for _ in range(3):
        assert caller.resend().startswith("CON ")
    assert caller.press("0").startswith("CON ")
    assert caller.press("2").startswith("END ")


def type_reference(caller: Caller, reference: str) -> str:
    caller.dial()
    caller.press("2")
    caller.choose("Type a reference")
    return caller.press(reference)


def test_pin_tries_by_ussd_are_limited_per_caller(limited_app, db):
    app = limited_app(pin_check_per_phone="2 per hour")
    lodged = lodge(db, phone=None, anonymous=True, language="en")
    wrong = "0000" if lodged.pin != "0000" else "1111"
    caller = Caller(app.test_client(), NUMBER)
    type_reference(caller, lodged.grievance.reference)
    for _ in range(2):
        assert "do not match" in caller.press(wrong)
    assert caller.press(lodged.pin) in refusals("en", minutes(59, 60))


def test_pin_tries_on_one_reference_are_counted_across_phones_and_the_web(limited_app, db):
    app = limited_app(pin_check_per_reference="2 per day")
    lodged = lodge(db, phone=None, anonymous=True, language="en")
    reference = lodged.grievance.reference
    wrong = "0000" if lodged.pin != "0000" else "1111"
    web = submit(app.test_client(), "/track", {"reference": reference, "pin": wrong})
    assert "do not match" in web.get_data(as_text=True)
    first = Caller(app.test_client(), NUMBER)
    type_reference(first, reference)
    assert "do not match" in first.press(wrong)
    second = Caller(app.test_client(), "+27821234568")
    type_reference(second, reference)
    waits = [(WAIT_HOURS, {"hours": 24})]
    assert second.press(lodged.pin) in refusals("en", waits)  # the right PIN opens nothing


def test_ussd_submissions_are_limited_per_phone_with_the_web_and_nothing_is_lodged(limited_app, db):
    app = limited_app(submission_per_phone="2 per day")
    caller = Caller(app.test_client(), NUMBER)
    caller.dial()
    caller.press(*COMPLAIN)
    assert caller.press("1").startswith("END Complaint sent.")
    web = app.test_client()
    sign_in(web, db, NUMBER)
    complaint = {
        "category": "payment",
        "place": "district:eThekwini",
        "description": "Paid short",
        "anonymous": "no",
    }
    submit(web, "/complaint", complaint)
    assert submit(web, "/complaint/check", {}).headers["Location"] == "/complaint/sent"
    caller.dial()
    caller.press(*COMPLAIN)
    assert caller.press("1") in refusals("en", [(WAIT_HOURS, {"hours": 24})])
    assert grievances(db) == 2
    # Anyone else's number still gets through.
    other = Caller(app.test_client(), "+27821234568")
    other.dial()
    other.press(*COMPLAIN)
    assert other.press("1").startswith("END Complaint sent.")


def test_a_caller_held_back_is_let_in_again_after_the_window(limited_app):
    caller = Caller(limited_app(ussd_hop_per_phone="2 per 2 seconds").test_client(), NUMBER)
    caller.dial()
    caller.press("2")
    assert caller.press("0") in refusals("en", [(WAIT_A_MINUTE, {})])
    time.sleep(2.2)
    assert caller.dial().startswith("CON ")
