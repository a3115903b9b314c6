"""Delivery reports and inbound SMS, as Africa's Talking posts them."""

import datetime as dt
import logging

import pytest
from sqlalchemy import func, select

from casework import outbox
from casework.models import Citizen, InboundMessage, OutboundMessage
from casework.references import format_reference, new_reference
from casework.services import lodge_grievance, transition
from notifications.relay import Relay
from tests.casework.scenes import build_world
from tests.factories import create_citizen
from tests.notifications.conftest import quick_settings
from tests.notifications.outbox_rows import queue, rows


def sent_message_id(db, fake, gateway):
    queue(db)
    Relay(db, gateway, quick_settings()).run_once()
    return rows(db)[0].gateway_message_id


def report(client, **fields):
    values = {"phoneNumber": "+27830000000", "networkCode": "65501"}
    return client.post("/sms/delivery-reports", data=values | fields)


def test_delivery_report_success_marks_the_message_delivered(app, db, fake, gateway):
    message_id = sent_message_id(db, fake, gateway)
    client = app.test_client()
    assert report(client, id=message_id, status="Success").status_code == 200
    [row] = rows(db)
    assert row.status == "delivered" and row.delivered_at is not None


def test_delivery_reports_repeated_and_out_of_order_never_move_a_message_back(
    app, db, fake, gateway
):
    message_id = sent_message_id(db, fake, gateway)
    client = app.test_client()
    for status in ("Buffered", "Success", "Success", "Submitted", "Failed", "Sent"):
        assert report(client, id=message_id, status=status).status_code == 200
    [row] = rows(db)
    assert row.status == "delivered" and row.failure_reason is None


def test_delivery_report_failed_records_the_reason(app, db, fake, gateway):
    message_id = sent_message_id(db, fake, gateway)
    client = app.test_client()
    response = report(client, id=message_id, status="Failed", failureReason="UserInBlacklist")
    assert response.status_code == 200
    [row] = rows(db)
    assert (row.status, row.failure_reason) == ("failed", "UserInBlacklist")


def test_delivery_report_for_an_unknown_id_is_acknowledged_and_logged(app, db, caplog):
    with caplog.at_level(logging.WARNING):
        response = report(app.test_client(), id="ATXid_unknown", status="Success")
    assert response.status_code == 200
    assert "ATXid_unknown" in caplog.text
    assert "+27830000000" not in caplog.text  # the phone number is never logged


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"status": "Success"},
        {"id": "ATXid_1"},
        {"id": "ATXid_1", "status": "Delivered"},
        {"id": "x" * 65, "status": "Success"},
    ],
)
def test_malformed_delivery_report_gets_400_saying_what_is_wrong(app, db, fake, gateway, fields):
    message_id = sent_message_id(db, fake, gateway)
    response = app.test_client().post("/sms/delivery-reports", data=fields)
    assert response.status_code == 400
    assert "field" in response.get_data(as_text=True).lower()
    assert rows(db)[0].status == "sent" and message_id


def inbound(client, text, sender="+27821234567", gateway_id="ATXid_in_1"):
    return client.post(
        "/sms/inbound",
        data={
            "from": sender,
            "to": "32100",
            "text": text,
            "date": "2026-11-24 10:15:02",
            "id": gateway_id,
            "linkId": "link-1",
        },
    )


def replies(db):
    """The replies to keywords (not the privacy notice that follows a number's first one:
    tests/notifications/test_privacy_notice.py follows that)."""
    with db.read() as session:
        return session.execute(
            select(
                OutboundMessage.to,
                OutboundMessage.template,
                OutboundMessage.params,
                OutboundMessage.language,
            )
            .where(OutboundMessage.case_id.is_(None), OutboundMessage.template != "privacy_notice")
            .order_by(OutboundMessage.id)
        ).all()


def test_status_from_the_owners_phone_gets_the_status(app, db):
    world = build_world(db)
    case = lodge_grievance(
        db,
        phone=world.citizen.phone,
        category="payment",
        description="Late.",
        channel="ussd",
        language="zu",
        country="ZA",
        district="eThekwini",
    ).grievance
    transition(db, case.id, "acknowledged", world.actor("triage_officer"))
    client = app.test_client()
    assert inbound(client, f"STATUS {format_reference(case.reference)}").status_code == 200
    [(to, template, params, language)] = replies(db)
    assert (to, template, language) == (world.citizen.phone, "reply_status", "zu")
    assert params == {
        "reference": format_reference(case.reference, "grievance"),
        "status": "acknowledged",
        "kind": "grievance",
    }


def test_status_reply_reveals_nothing_for_someone_elses_case_or_a_made_up_one(app, db):
    world = build_world(db)
    case = lodge_grievance(
        db,
        phone=world.citizen.phone,
        category="payment",
        description="Late.",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
    ).grievance
    client = app.test_client()
    inbound(client, case.reference, sender="+27839999999", gateway_id="a")
    inbound(client, f"STATUS {new_reference()}", sender="+27839999999", gateway_id="b")
    first, second = replies(db)
    assert first[1:] == second[1:] == ("reply_status_unknown", {}, "en")


def test_stop_and_start_change_consent_and_confirm(app, db):
    citizen = create_citizen(db, phone="+27821234567")
    client = app.test_client()
    inbound(client, "stop", gateway_id="1")
    with db.read() as session:
        assert session.get(Citizen, citizen.id).sms_opted_out is True
    inbound(client, "Start", gateway_id="2")
    with db.read() as session:
        stored = session.get(Citizen, citizen.id)
        assert stored.sms_opted_out is False and stored.sms_consent is True
    assert [r[1] for r in replies(db)] == ["reply_stopped", "reply_started"]


def test_lang_changes_the_language_and_replies_in_it(app, db):
    citizen = create_citizen(db, phone="+27821234567", language="en")
    inbound(app.test_client(), "LANG isiZulu")
    with db.read() as session:
        assert session.get(Citizen, citizen.id).language == "zu"
    [(_, template, params, language)] = replies(db)
    assert (template, params, language) == ("reply_language", {"language": "isiZulu"}, "zu")


def test_lang_unknown_lists_the_deployments_languages(app, db):
    inbound(app.test_client(), "LANG klingon")
    [(_, template, params, _)] = replies(db)
    assert template == "reply_language_unknown"
    assert params == {"languages": "en af zu xh st sw"}


def test_keyword_in_a_language_gets_the_reply_in_that_language(app, db):
    inbound(app.test_client(), "MSAADA")
    [(_, template, _, language)] = replies(db)
    assert (template, language) == ("reply_help", "sw")


def test_anything_else_is_kept_for_staff_and_acknowledged(app, db):
    inbound(app.test_client(), "Please call me, I need food for my children")
    with db.read() as session:
        [kept] = session.scalars(select(InboundMessage)).all()
        assert kept.command == "other" and "food" in kept.text and kept.link_id == "link-1"
        assert kept.received_at.isoformat() == "2026-11-24T10:15:02+00:00"
    assert [r[1] for r in replies(db)] == ["reply_received"]


def test_inbound_sms_is_idempotent_on_its_id(app, db):
    client = app.test_client()
    for _ in range(3):
        assert inbound(client, "STOP", gateway_id="same").status_code == 200
    with db.read() as session:
        assert session.scalar(select(func.count(InboundMessage.id))) == 1
    assert len(replies(db)) == 1


def test_inbound_sms_from_a_short_code_is_kept_without_a_reply(app, db):
    assert inbound(app.test_client(), "Promo!", sender="MTN").status_code == 200
    with db.read() as session:
        [kept] = session.scalars(select(InboundMessage)).all()
        assert kept.sender is None
    assert replies(db) == []


@pytest.mark.parametrize("fields", [{}, {"from": "+27821234567"}, {"id": "1"}])
def test_malformed_inbound_sms_gets_400(app, db, fields):
    assert app.test_client().post("/sms/inbound", data=fields).status_code == 400


def test_callback_token_guards_every_sms_webhook(make_app, database_url):
    app = make_app({"DATABASE_URL": database_url, "AT_CALLBACK_TOKEN": "s3cret"})
    client = app.test_client()
    for path in ("/sms/inbound", "/sms/delivery-reports"):
        assert client.post(path, data={"id": "1", "from": "+27821234567"}).status_code == 403
        assert client.post(f"{path}?token=wrong", data={"id": "1"}).status_code == 403
    ok = client.post("/sms/inbound?token=s3cret", data={"id": "1", "from": "+27821234567"})
    assert ok.status_code == 200
    assert client.get("/healthz").status_code == 200  # the rest of the app is not guarded


def test_delivery_report_that_beats_the_relays_record_is_applied_later(app, db):
    client = app.test_client()
    assert report(client, id="ATXid_early", status="Success").status_code == 200
    assert report(client, id="ATXid_early", status="Success").status_code == 200
    queue(db)
    [claimed] = outbox.claim_due_messages(db, 1, dt.timedelta(minutes=5))
    outbox.record_sent(
        db, claimed, gateway_message_id="ATXid_early", cost="ZAR 0.35", parts=1, encoding="GSM-7"
    )
    [row] = rows(db)
    assert row.status == "delivered" and row.delivered_at is not None


def test_status_with_a_mistyped_reference_says_so(app, db):
    world = build_world(db)
    case = lodge_grievance(
        db,
        phone=world.citizen.phone,
        category="payment",
        description="Late.",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
    ).grievance
    typo = case.reference[:9] + str((int(case.reference[9]) + 1) % 10)
    client = app.test_client()
    inbound(client, f"STATUS {typo}", gateway_id="a")
    inbound(client, typo, gateway_id="b")
    assert [r[1] for r in replies(db)] == ["reply_reference_mistyped"] * 2


def test_unknown_texts_are_acknowledged_at_most_once_in_six_hours(app, db):
    client = app.test_client()
    for n in range(3):
        inbound(client, f"auto-reply number {n}", gateway_id=f"auto-{n}")
    with db.read() as session:
        assert session.scalar(select(func.count(InboundMessage.id))) == 3  # all kept
    assert [r[1] for r in replies(db)] == ["reply_received"]


def test_inbound_sms_with_nul_bytes_and_odd_dates_is_kept_not_a_500(app, db):
    client = app.test_client()
    response = client.post(
        "/sms/inbound",
        data={
            "from": "+27821234567",
            "to": "32100",
            "text": "hel\x00lo\nthere",
            "id": "nul\x00-1",
            "date": "0001-01-01T00:00:00+01:00",
        },
    )
    assert response.status_code == 200
    with db.read() as session:
        [kept] = session.scalars(select(InboundMessage)).all()
        assert (kept.text, kept.gateway_id) == ("hello\nthere", "nul-1")
    report_response = report(client, id="AT\x00Xid", status="Success")
    assert report_response.status_code == 200
