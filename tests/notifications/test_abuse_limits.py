"""SMS keyword replies cost us an SMS each: past a sender's limit, their messages are still
kept and what they asked (STOP, LANG) still done, but nothing more is sent back."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from casework.models import Citizen, InboundMessage, OutboundMessage
from casework.references import new_reference

SENDER = "+27821234567"
_ids = itertools.count(1)


@pytest.fixture
def client(make_app, database_url):  # type: ignore[no-untyped-def]
    app = make_app(
        {"DATABASE_URL": database_url}, RATE_LIMITS={"sms_reply_per_phone": "3 per hour"}
    )
    return app.test_client()


def text_in(client, text: str, sender: str = SENDER, gateway_id: str | None = None):  # type: ignore[no-untyped-def]
    response = client.post(
        "/sms/inbound",
        data={
            "from": sender,
            "to": "32100",
            "text": text,
            "id": gateway_id or f"ATXid_limit_{next(_ids)}",
        },
    )
    assert response.status_code == 200  # the gateway always gets its answer
    return response


def replies_to(db, phone: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The keyword replies queued for `phone` (not, say, a privacy notice at first contact)."""
    with db.read() as session:
        return list(
            session.scalars(
                select(OutboundMessage.template)
                .where(OutboundMessage.to == phone, OutboundMessage.template.like("reply_%"))
                .order_by(OutboundMessage.id)
            )
        )


def kept(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(func.count(InboundMessage.id)))


def test_status_lookups_by_sms_stop_being_answered_at_the_senders_limit(client, db):
    for _ in range(6):
        text_in(client, f"STATUS {new_reference()}")
    assert replies_to(db, SENDER) == ["reply_status_unknown"] * 3
    assert kept(db) == 6  # every message is kept all the same
    # Another sender is answered as before.
    text_in(client, "HELP", sender="+27821234568")
    assert replies_to(db, "+27821234568") == ["reply_help"]


def test_past_the_limit_stop_and_lang_still_take_effect_without_a_reply(client, db):
    for _ in range(3):
        text_in(client, "HELP")
    text_in(client, "LANG zu")
    text_in(client, "STOP")
    assert replies_to(db, SENDER) == ["reply_help"] * 3
    with db.read() as session:
        citizen = session.scalars(select(Citizen).where(Citizen.phone == SENDER)).one()
    assert citizen.language == "zu" and citizen.sms_opted_out is True


def test_the_gateway_resending_one_message_uses_up_no_replies(client, db):
    for _ in range(5):
        text_in(client, "HELP", gateway_id="ATXid_same")
    text_in(client, "HELP")
    text_in(client, "HELP")
    assert replies_to(db, SENDER) == ["reply_help"] * 3
    text_in(client, "HELP")
    assert replies_to(db, SENDER) == ["reply_help"] * 3
