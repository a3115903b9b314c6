"""The grievance triage queue and the actions on a case, through the staff console."""

import datetime as dt
import html
import re

import pytest
from sqlalchemy import select

from casework.models import Case, CaseEvent, Grievance, OutboundMessage, utcnow
from casework.references import format_reference
from casework.services import lodge_grievance
from notifications.templates import render
from tests.casework.scenes import build_world
from tests.portal.web import as_staff, sms_templates, staff_act, token


@pytest.fixture
def world(db):
    return build_world(db)


def lodge(db, **overrides):
    values = {
        "phone": "+27821234567",
        "category": "payment",
        "description": "Late grant.",
        "channel": "ussd",
        "language": "en",
        "country": "ZA",
        "district": "eThekwini",
    }
    return lodge_grievance(db, **(values | overrides)).grievance


def references(page):
    return [re.sub(r"\D", "", r) for r in re.findall(r"G \d{4} \d{4} \d{2}", page)]


def test_queue_puts_unacknowledged_first_then_soonest_due(client, db, world):
    acknowledged = lodge(db, description="first")
    with db.transaction() as session:
        session.get(Case, acknowledged.id).status = "acknowledged"
        session.get(Case, acknowledged.id).due_at = utcnow() - dt.timedelta(days=1)
    later = lodge(db)
    sooner = lodge(db, category="child_abuse")  # sensitive: urgent
    with db.transaction() as session:
        session.get(Case, later.id).due_at = utcnow() + dt.timedelta(days=5)
        session.get(Case, sooner.id).due_at = utcnow() + dt.timedelta(days=1)
    page = as_staff(client, world.staff["triage_officer"]).get("/staff/grievances")
    order = references(page.get_data(as_text=True))
    assert order == [sooner.reference, later.reference, acknowledged.reference]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=child_abuse", ["abuse"]),
        ("status=lodged", ["abuse", "late"]),
        ("overdue=y", ["late"]),
        ("priority=urgent", ["abuse"]),
        ("channel=web", ["abuse"]),
        ("district=Mangaung", []),
    ],
)
def test_queue_filters(client, db, world, query, expected):
    cases = {"late": lodge(db), "abuse": lodge(db, category="child_abuse", channel="web")}
    with db.transaction() as session:
        session.get(Case, cases["late"].id).due_at = utcnow() - dt.timedelta(hours=1)
    page = as_staff(client, world.staff["triage_officer"]).get(f"/staff/grievances?{query}")
    found = set(references(page.get_data(as_text=True)))
    assert found == {cases[name].reference for name in expected}


def test_queue_search_by_reference_or_phone(client, db, world):
    mine = lodge(db, phone="+27825550001")
    other = lodge(db, phone="+27825550002")
    as_staff(client, world.staff["triage_officer"])
    by_ref = client.get(f"/staff/grievances?q=G+{mine.reference[:4]}-{mine.reference[4:]}")
    assert references(by_ref.get_data(as_text=True)) == [mine.reference]
    by_phone = client.get("/staff/grievances?q=082+555+0002")
    assert references(by_phone.get_data(as_text=True)) == [other.reference]


def test_acknowledge_then_reject_needs_a_reason(client, db, world):
    grievance = lodge(db)
    as_staff(client, world.staff["triage_officer"])
    done = staff_act(client, grievance.reference, "status", target="acknowledged", reason="")
    assert done.status_code == 302
    assert sms_templates(db, grievance.id)[-1] == "grievance_acknowledged"
    refused = staff_act(client, grievance.reference, "status", target="rejected", reason="")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "<title>Error:" in page and "Give a reason" in page
    with db.read() as session:
        assert session.get(Case, grievance.id).status == "acknowledged"


def test_classify_assign_note_and_message(client, db, world):
    grievance = lodge(db)
    as_staff(client, world.staff["supervisor"])
    staff_act(client, grievance.reference, "status", target="acknowledged", reason="")
    staff_act(client, grievance.reference, "classify", category="fraud_corruption", priority="high")
    officer = world.staff["case_officer"]
    staff_act(client, grievance.reference, "assign", officer=str(officer.id))
    staff_act(client, grievance.reference, "note", note="Called the pay point manager.")
    preview = staff_act(
        client,
        grievance.reference,
        "message",
        template="staff_message",
        text="We found your file. Please bring your ID to Umlazi on Monday.",
    )
    page = preview.get_data(as_text=True)
    assert "1 SMS part(s), GSM-7" in page and "Send this SMS" in page
    with db.read() as session:
        assert "staff_message" not in sms_templates(db, grievance.id)
    page_token = token(page)
    client.post(
        f"/staff/cases/{grievance.reference}",
        data={
            "action": "message",
            "confirm": "send",
            "csrf_token": page_token,
            "message-template": "staff_message",
            "message-text": "We found your file. Please bring your ID to Umlazi on Monday.",
        },
    )
    with db.read() as session:
        stored = session.get(Grievance, grievance.id)
        events = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == grievance.id).order_by(CaseEvent.id)
        ).all()
        message = session.scalars(
            select(OutboundMessage).where(OutboundMessage.template == "staff_message")
        ).one()
    assert (stored.category, stored.priority) == ("fraud_corruption", "high")
    assert stored.status == "assigned" and stored.assigned_to_id == officer.id
    note = next(e for e in events if e.type == "note")
    assert note.public is False
    assert message.params["text"].startswith("We found your file")
    assert sms_templates(db, grievance.id) == [
        "grievance_lodged",
        "grievance_acknowledged",
        "grievance_assigned",
        "staff_message",
    ]


def test_a_message_preview_shows_when_one_character_makes_it_ucs2(client, db, world):
    grievance = lodge(db)
    as_staff(client, world.staff["supervisor"])
    page = staff_act(
        client,
        grievance.reference,
        "message",
        template="staff_message",
        text="We’ll call you tomorrow.",
    ).get_data(as_text=True)
    assert "UCS-2" in page


def test_a_standard_message_is_previewed_then_sent_as_its_template(client, db, world):
    grievance = lodge(db)
    as_staff(client, world.staff["supervisor"])
    page = staff_act(
        client, grievance.reference, "message", template="staff_tried_to_call", text=""
    ).get_data(as_text=True)
    # The SMS exactly as the citizen will read it, in their language.
    with db.read() as session:
        language = session.get(Case, grievance.id).citizen.language
    expected = render(
        "staff_tried_to_call",
        language,
        {"reference": format_reference(grievance.reference, "grievance"), "ussd": "*120*3210#"},
    )
    assert html.escape(expected) in page and "1 SMS part(s), GSM-7" in page
    client.post(
        f"/staff/cases/{grievance.reference}",
        data={
            "action": "message",
            "confirm": "send",
            "csrf_token": token(page),
            "message-template": "staff_tried_to_call",
            "message-text": "",
        },
    )
    assert sms_templates(db, grievance.id)[-1] == "staff_tried_to_call"
    with db.read() as session:
        event = session.scalars(select(CaseEvent).where(CaseEvent.type == "message")).one()
    assert event.public and event.body == expected  # the timeline keeps what was sent


def test_own_words_are_required_when_chosen(client, db, world):
    grievance = lodge(db)
    as_staff(client, world.staff["supervisor"])
    page = staff_act(
        client, grievance.reference, "message", template="staff_message", text="  "
    ).get_data(as_text=True)
    assert "<title>Error:" in page and "Write the message" in page


def test_the_status_form_offers_only_what_the_role_may_do(client, db, world):
    grievance = lodge(db)
    as_staff(client, world.staff["case_officer"])
    page = client.get(f"/staff/cases/{grievance.reference}").get_data(as_text=True)
    # A case officer cannot acknowledge or reject; they may escalate.
    assert 'value="escalated"' in page
    assert 'value="acknowledged"' not in page and 'value="rejected"' not in page
