"""First contact by SMS: the first reply to a number new to us is followed by the privacy
notice, once, in one SMS part, with the code that reads it on any phone."""

from __future__ import annotations

from sqlalchemy import select

from casework.models import Citizen, OutboundMessage, PrivacyConsent
from casework.privacy import NOTICE_VERSION
from casework.services import lodge_grievance
from casework.text_encoding import measure
from notifications.app_setup import relay_settings
from notifications.relay import Relay
from notifications.templates import render
from tests.casework.scenes import build_world
from tests.notifications.test_webhooks import inbound

NEW_NUMBER = "+27834440000"


def queued(db) -> list[tuple[str, str]]:
    with db.read() as session:
        return list(
            session.execute(
                select(OutboundMessage.to, OutboundMessage.template).order_by(OutboundMessage.id)
            )
        )


def test_a_new_number_gets_the_notice_after_its_first_reply_and_never_again(app, db):
    client = app.test_client()
    inbound(client, "HELP", sender=NEW_NUMBER, gateway_id="in-1")
    inbound(client, "Please call me about my grant", sender=NEW_NUMBER, gateway_id="in-2")
    assert queued(db) == [
        (NEW_NUMBER, "reply_help"),
        (NEW_NUMBER, "privacy_notice"),
        (NEW_NUMBER, "reply_received"),
    ]
    with db.read() as session:
        [notified] = session.scalars(select(PrivacyConsent)).all()
    # Not a citizen (HELP registers nobody): the record is by number, until they are one.
    assert (notified.phone, notified.citizen_id, notified.channel, notified.how) == (
        NEW_NUMBER,
        None,
        "sms",
        "notified",
    )
    assert notified.notice_version == NOTICE_VERSION


def test_a_citizen_who_agreed_by_ussd_is_not_texted_the_notice(app, db):
    build_world(db)
    lodge_grievance(
        db,
        phone=NEW_NUMBER,
        category="payment",
        description="Not paid.",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
        privacy_consent=True,
    )
    inbound(app.test_client(), "HELP", sender=NEW_NUMBER)
    assert [template for _, template in queued(db)] == ["grievance_lodged", "reply_help"]


def test_stop_as_a_first_message_gets_only_its_confirmation(app, db):
    inbound(app.test_client(), "STOP", sender=NEW_NUMBER)
    assert queued(db) == [(NEW_NUMBER, "reply_stopped")]
    with db.read() as session:
        assert session.scalars(select(Citizen.sms_opted_out)).one() is True


def test_the_relay_sends_the_notice_in_one_part_with_the_privacy_code(app, db, fake, gateway):
    inbound(app.test_client(), "MSAADA", sender=NEW_NUMBER)  # Kiswahili for HELP
    Relay(db, gateway, relay_settings(app.config)).run_once()
    help_reply, notice = fake.wait_for(2)
    assert help_reply.to == notice.to == NEW_NUMBER
    # In the language the citizen wrote in (Kiswahili), with the code to dial.
    assert notice.message == render("privacy_notice", "sw", {"privacy": "*120*3210*6#"})
    assert measure(notice.message).parts == 1
