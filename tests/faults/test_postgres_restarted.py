"""Fault: PostgreSQL stopped (fast shutdown, connections cut) under a running app, then
started again, on a server of this module's own.

What must hold while it is down: citizen and staff pages answer a friendly 503 page in the
reader's language with Retry-After, never a 500, and a form sent meanwhile stores nothing;
USSD answers HTTP 200 with a polite END; the SMS callbacks answer 503 so that Africa's
Talking sends them again (it retries a callback that gets no 200: see
AfricasTalkingLtd/africastalking-node.js#8 and #10); /healthz says unavailable. And once
it is back, everything works again without restarting the app or the relay thread.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from casework.database import Database
from casework.i18n import translations
from casework.models import Agency, Grievance, InboundMessage, OutboundMessage, Role
from casework.seed_demo import seed_demo
from tests.conftest import truncate_all
from tests.factories import create_staff_user, lodge
from tests.faults.menu_keys import COMPLAINT_TO_CONFIRM
from tests.notifications.outbox_rows import rows
from tests.page_checks import check_page
from tests.portal.web import as_staff, sign_in, token
from tests.ussd.caller import Caller

CITIZEN_PAGES = ("/services", "/services/search?q=grant", "/complaint", "/my-cases")
BUSY = "END We are busy. Please dial again in a minute."


@pytest.fixture
def pg(private_postgres) -> Iterator[Database]:
    if not private_postgres.running():
        private_postgres.start()
    url = private_postgres.url("thusa")
    truncate_all(url)
    db = Database(url)
    seed_demo(db, with_staff=False)
    yield db
    db.dispose()


@pytest.fixture
def app(make_app, pg, private_postgres, fake):
    return make_app(
        {
            "DATABASE_URL": private_postgres.url("thusa"),
            "AT_USERNAME": fake.username,
            "AT_API_KEY": fake.api_key,
            "AT_API_URL": fake.url,
            "SMS_RELAY_THREAD": "true",
            "SMS_POLL_SECONDS": "0.2",
        }
    )


def assert_friendly_503(response, language: str = "en") -> None:
    assert response.status_code == 503, response.status_code
    assert response.headers["Retry-After"] == "30"
    page = response.get_data(as_text=True)
    check_page(page, expected_language=language)
    sorry = translations(language).gettext("Sorry, Thusa is not working right now")
    assert html.escape(sorry) in page


def test_while_postgresql_is_down_every_channel_answers_and_all_recover_by_themselves(
    app, pg, private_postgres, fake
):
    citizen = app.test_client()
    sign_in(citizen, pg, "+27821234567")
    staff = as_staff(app.test_client(), create_staff_user(pg, _intake(pg), Role.TRIAGE_OFFICER))
    form_page = citizen.get("/complaint").get_data(as_text=True)
    phone = Caller(app.test_client(), "+27821119999")
    phone.dial()
    phone.press(*COMPLAINT_TO_CONFIRM[:4])
    gateway = app.test_client()
    lodged = lodge(pg, phone="+27821234567").grievance
    sms = _sent_message_about(pg, lodged.id)
    assert all(citizen.get(path).status_code == 200 for path in CITIZEN_PAGES)

    private_postgres.stop()

    for path in CITIZEN_PAGES:
        assert_friendly_503(citizen.get(path))
    # In the reader's language (a fresh browser asking for isiZulu).
    assert_friendly_503(gateway.get("/services", headers={"Accept-Language": "zu"}), "zu")
    assert_friendly_503(staff.get("/staff/grievances"))
    sent_meanwhile = {
        "csrf_token": token(form_page),
        "category": "service_delay",
        "place": "district:eThekwini",
        "description": "Sent while the database was down.",
        "anonymous": "yes",
    }
    assert_friendly_503(citizen.post("/complaint", data=sent_meanwhile))
    # USSD: a call in progress goes on while its screens need no database; sending, which
    # does, and a new call get a polite END (HTTP 200 both), and nothing is stored.
    assert phone.press("Nobody answers").startswith("CON Give your number so we can reply?")
    confirmation = phone.press("1")
    assert confirmation.startswith("CON Check your complaint:")
    assert phone.press("1") == BUSY
    assert Caller(app.test_client(), "+27821118888").dial() == BUSY
    # SMS callbacks: 503, so the gateway sends them again later.
    report = {"id": sms.gateway_message_id, "status": "Success", "phoneNumber": sms.to}
    inbound = {"id": "ATXid_in_pg", "from": "+27821234567", "to": "32100", "text": "HELP"}
    for path, fields in (("/sms/delivery-reports", report), ("/sms/inbound", inbound)):
        answer = gateway.post(path, data=fields)
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "30"
    health = gateway.get("/healthz")
    assert health.status_code == 503 and health.json["status"] == "unavailable"

    private_postgres.start()

    # The first request after the restart already works: dead pooled connections are
    # replaced, not handed out.
    for path in CITIZEN_PAGES:
        assert citizen.get(path).status_code == 200, path
    assert staff.get("/staff/grievances").status_code == 200
    assert gateway.get("/healthz").json["status"] == "ok"
    # The caller who got the END dials again, is offered the complaint where it was left,
    # and sends it.
    assert phone.dial().startswith("CON You did not finish last time.")
    assert phone.press("1") == confirmation
    assert phone.press("1").startswith("END Complaint sent.")
    # The gateway's retries now land, once each.
    for path, fields in (("/sms/delivery-reports", report), ("/sms/inbound", inbound)):
        assert gateway.post(path, data=fields).status_code == 200
        assert gateway.post(path, data=fields).status_code == 200
    assert {row.id: row.status for row in rows(pg)}[sms.id] == "delivered"
    with pg.read() as session:
        assert session.scalar(select(func.count(InboundMessage.id))) == 1
        # Nothing of the web form sent while the database was down was kept; the USSD
        # complaint went in once, after the restart.
        assert session.scalar(select(func.count(Grievance.id))) == 2
        assert "Sent while the database was down." not in {
            grievance.description for grievance in session.scalars(select(Grievance))
        }
    # The relay thread carried on too: the two complaints' SMS, the sign-in code and the
    # reply to HELP all went out.
    sent = fake.wait_for(4, timeout=10)
    assert any(sms.to == "+27821234567" and "STATUS" in sms.message for sms in sent)
    assert any(sms.to == phone.number for sms in sent)


def _sent_message_about(db: Database, case_id: int) -> OutboundMessage:
    """The case's SMS, once the relay thread has recorded it sent."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [row for row in rows(db) if row.case_id == case_id and row.status == "sent"]
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError("the relay never sent the case's SMS")


def _intake(db: Database) -> Agency:
    with db.read() as session:
        return session.scalars(select(Agency).where(Agency.intake)).first()


def test_a_restart_between_two_requests_goes_unnoticed(app, pg, private_postgres):
    client = app.test_client()
    phone = Caller(app.test_client(), "+27821117777")
    for _ in range(3):  # the pool now holds connections to the old server process
        assert client.get("/services").status_code == 200
    phone.dial()

    private_postgres.stop()
    private_postgres.start()

    # Not one 503: each dead connection is found out before use and replaced.
    assert client.get("/services").status_code == 200
    assert phone.press("3").startswith("CON What is your complaint about?")
    assert client.get("/healthz").json["status"] == "ok"
