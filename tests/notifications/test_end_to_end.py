"""What the issue promises, end to end through the app: a case change reaches the phone
within a second, its delivery report lands, and STATUS from the owner's phone answers."""

import datetime as dt
import io
import time

from sqlalchemy import select

from casework import outbox
from casework.models import OutboundMessage, utcnow
from casework.references import format_reference
from casework.services import lodge_grievance, transition
from notifications.gateways import ConsoleGateway
from notifications.templates import render
from portal.services import get_db
from tests.casework.scenes import build_world


def test_case_change_to_sms_to_delivery_report_to_status_reply(make_app, database_url, fake):
    app = make_app(
        {
            "DATABASE_URL": database_url,
            "AT_USERNAME": fake.username,
            "AT_API_KEY": fake.api_key,
            "AT_API_URL": fake.url,
            "SMS_RELAY_THREAD": "true",
            "SMS_POLL_SECONDS": "30",  # only the doorbell can make it this quick
        }
    )
    with app.app_context():
        db = get_db()
    world = build_world(db)
    started = time.monotonic()
    case = lodge_grievance(
        db,
        phone=world.citizen.phone,
        category="payment",
        description="No grant in May.",
        channel="ussd",
        language="zu",
        country="ZA",
        district="eThekwini",
        privacy_consent=True,  # as from the USSD confirmation: no SMS notice follows
    ).grievance
    [sms] = fake.wait_for(1, timeout=1.0)
    assert time.monotonic() - started < 1.0
    assert sms.to == world.citizen.phone and format_reference(case.reference) in sms.message

    client = app.test_client()
    response = client.post(
        "/sms/delivery-reports", data={"id": sms.message_id, "status": "Success"}
    )
    assert response.status_code == 200
    # The report may beat the relay's own record of the send; it is applied either way.
    eventually(lambda: message_status(db) == "delivered")

    transition(db, case.id, "acknowledged", world.actor("triage_officer"))
    fake.wait_for(2, timeout=1.0)
    client.post(
        "/sms/inbound",
        data={
            "from": world.citizen.phone,
            "to": "32100",
            "text": f"STATUS {case.reference}",
            "id": "in-1",
        },
    )
    reply = fake.wait_for(3, timeout=1.0)[-1]
    assert reply.to == world.citizen.phone
    # In the citizen's language (isiZulu), whatever the keyword's.
    assert reply.message == render(
        "reply_status",
        "zu",
        {
            "reference": format_reference(case.reference, "grievance"),
            "kind": "grievance",
            "status": "acknowledged",
        },
    )


def message_status(db):
    with db.read() as session:
        return session.scalar(select(OutboundMessage.status))


def eventually(condition, timeout=2.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.02)


def test_console_gateway_prints_the_sms_with_the_number_masked():
    out = io.StringIO()
    result = ConsoleGateway(out).send("+27821234567", "Thusa: your complaint is closed.")
    assert result.outcome == "sent" and result.message_id.startswith("console-")
    assert out.getvalue() == "SMS to +27 82 *** **67: Thusa: your complaint is closed.\n"


def test_dev_server_relay_prints_sms_to_the_console(make_app, database_url, capsys):
    app = make_app(
        {"DATABASE_URL": database_url, "SMS_RELAY_THREAD": "true", "SMS_POLL_SECONDS": "30"}
    )
    with app.app_context():
        db = get_db()
    world = build_world(db)
    lodge_grievance(
        db,
        phone=world.citizen.phone,
        category="payment",
        description="Late.",
        channel="web",
        language="en",
        country="ZA",
        district="eThekwini",
    )
    printed = []
    # The citizen reads isiZulu: the console prints the SMS they would get.
    opening = render("grievance_lodged", "zu", {"reference": "\0"}).split("\0")[0]
    eventually(
        lambda: (
            printed.append(capsys.readouterr().out)
            or f"SMS to +27 82 *** **67: {opening}" in "".join(printed)
        )
    )


def test_healthz_reports_paused_sms_without_failing_the_web_workers(app, db):
    outbox.pause_gateway(
        db, "africastalking", "InsufficientBalance", utcnow() + dt.timedelta(minutes=5)
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "degraded"
    assert response.json["sms"]["paused"] is True
    assert response.json["sms"]["reason"] == "InsufficientBalance"
