"""The staff inbox through the console: SMS that matched no keyword, from the real
/sms/inbound webhook to a case's timeline, an answer by SMS, or the bin."""

import re

import pytest
from sqlalchemy import func, select

from casework.masking import mask_phone
from casework.models import CaseEvent, InboundMessage, OutboundMessage
from casework.references import format_reference, new_reference
from casework.services import lodge_grievance, submit_application
from tests.casework.scenes import build_world
from tests.portal.web import as_staff, token

PHONE = "+27821234567"
_ids = iter(range(1, 10_000))


@pytest.fixture
def world(db):
    return build_world(db)


def text_in(client, text, sender=PHONE):
    """The gateway posting an inbound SMS, as Africa's Talking does."""
    response = client.post(
        "/sms/inbound",
        data={
            "from": sender,
            "to": "32100",
            "text": text,
            "date": "2026-11-24 10:15:02",
            "id": f"ATXid_{next(_ids)}",
            "linkId": "link-1",
        },
    )
    assert response.status_code == 200


def inbound_id(db, text):
    with db.read() as session:
        return session.scalars(select(InboundMessage.id).where(InboundMessage.text == text)).one()


def grievance(db, phone=PHONE):
    return lodge_grievance(
        db,
        phone=phone,
        category="payment",
        description="Late grant.",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
    ).grievance


def act(client, path, action, confirm=None, **fields):
    """Post one of the message page's forms, with its prefixed fields."""
    page = client.get(path).get_data(as_text=True)
    data = {"action": action, "csrf_token": token(page)}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    if confirm:
        data["confirm"] = confirm
    return client.post(path, data=data)


def inbox_replies(db):
    with db.read() as session:
        return session.execute(
            select(OutboundMessage.to, OutboundMessage.params).where(
                OutboundMessage.template == "inbox_reply"
            )
        ).all()


def test_a_text_of_no_keyword_shows_in_the_inbox_and_keywords_never_do(client, db, world):
    case = grievance(db)
    text_in(client, "Please call me, I need food for my children")
    for keyword in (f"STATUS {case.reference}", "HELP", "LANG zu", case.reference, "STOP"):
        text_in(client, keyword)
    as_staff(client, world.staff["triage_officer"])
    home = client.get("/staff").get_data(as_text=True)
    assert "Inbox (1)" in home
    page = client.get("/staff/inbox").get_data(as_text=True)
    assert "1 waiting" in page
    assert "I need food for my children" in page
    # A list: the number masked (whole on the message's own page, whose reads are audited).
    assert PHONE not in page and mask_phone(PHONE) in page
    assert "24 Nov 2026, 12:15" in page  # received 10:15 UTC, shown in Johannesburg time
    assert format_reference(case.reference, "grievance") in page  # the sender's open case
    assert "HELP" not in page and "LANG" not in page and "STATUS" not in page


def test_attaching_puts_the_text_on_the_case_and_empties_the_inbox(client, db, world):
    case = grievance(db)
    text_in(client, "My new number is on the form")
    path = f"/staff/inbox/{inbound_id(db, 'My new number is on the form')}"
    as_staff(client, world.staff["triage_officer"])
    page = client.get(path).get_data(as_text=True)
    assert f'value="{case.reference}"' in page  # offered as a quick choice
    done = act(client, path, "attach", case=case.reference)
    assert done.status_code == 302 and done.headers["Location"] == "/staff/inbox?done=attach"
    inbox = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Attached to the case." in inbox and "My new number" not in inbox
    timeline = client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert "citizen sms (internal)" in timeline and "My new number is on the form" in timeline
    assert inbox_replies(db) == []


def test_attaching_by_a_typed_reference(client, db, world):
    case = grievance(db, phone="+27825550000")  # someone else's case: the officer knows why
    words = "This is about my mother's complaint"
    text_in(client, words)
    path = f"/staff/inbox/{inbound_id(db, words)}"
    as_staff(client, world.staff["supervisor"])
    typed = format_reference(case.reference, "grievance")
    assert act(client, path, "attach", reference=typed).status_code == 302
    with db.read() as session:
        event = session.scalars(select(CaseEvent).where(CaseEvent.type == "citizen_sms")).one()
    assert event.case_id == case.id and not event.public


def test_attaching_to_a_case_out_of_scope_looks_like_a_missing_reference(client, db, world):
    theirs = submit_application(
        db,
        phone=PHONE,
        service_id=world.service.id,  # the other agency's
        answers={"children": 1},
        channel="web",
        language="en",
    )
    text_in(client, "About my application")
    path = f"/staff/inbox/{inbound_id(db, 'About my application')}"
    as_staff(client, world.staff["supervisor"])
    page = client.get(path).get_data(as_text=True)
    assert theirs.reference not in page  # not even offered
    pages = [
        act(client, path, "attach", reference=reference).get_data(as_text=True)
        for reference in (theirs.reference, new_reference())
    ]
    for page in pages:
        assert "<title>Error:" in page and "No case with that reference" in page
    errors = [re.findall(r'class="error-message"[^>]*>([^<]+)<', page) for page in pages]
    assert errors[0] == errors[1] == ["No case with that reference"]
    with db.read() as session:
        assert (
            session.scalar(select(func.count(CaseEvent.id)).where(CaseEvent.type == "citizen_sms"))
            == 0
        )


def test_answering_shows_the_sms_first_then_queues_exactly_one(client, db, world):
    text_in(client, "When is pay day?")
    path = f"/staff/inbox/{inbound_id(db, 'When is pay day?')}"
    as_staff(client, world.staff["triage_officer"])
    words = "Grants are paid from the 3rd. Bring your card."
    preview = act(client, path, "answer", text=words)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Thusa: Grants are paid from the 3rd. Bring your card." in page
    assert "1 SMS part(s), GSM-7" in page and "Send this SMS" in page
    assert inbox_replies(db) == []  # nothing sent before the officer confirms
    sent = client.post(
        path,
        data={
            "action": "answer",
            "confirm": "send",
            "csrf_token": token(page),
            "answer-text": words,
        },
    )
    assert sent.status_code == 302
    assert inbox_replies(db) == [(PHONE, {"text": words})]
    assert "When is pay day?" not in client.get("/staff/inbox").get_data(as_text=True)


def test_an_answer_preview_shows_when_one_character_makes_it_ucs2(client, db, world):
    text_in(client, "Hello")
    path = f"/staff/inbox/{inbound_id(db, 'Hello')}"
    as_staff(client, world.staff["triage_officer"])
    page = act(client, path, "answer", text="We’ll call you.").get_data(as_text=True)
    assert "UCS-2" in page


def test_a_second_officer_on_a_handled_message_fails_cleanly_and_sends_nothing(app, db, world):
    text_in(app.test_client(), "Is anyone there?")
    path = f"/staff/inbox/{inbound_id(db, 'Is anyone there?')}"
    first = as_staff(app.test_client(), world.staff["triage_officer"])
    second = as_staff(app.test_client(), world.staff["supervisor"])
    # Both have the page open; the first answers, then the second tries each action.
    second_token = token(second.get(path).get_data(as_text=True))
    assert act(first, path, "answer", confirm="send", text="Yes, we are.").status_code == 302
    name = world.staff["triage_officer"].display_name
    for action, fields in (
        ("answer", {"answer-text": "Hello!", "confirm": "send"}),
        ("dismiss", {}),
        ("attach", {"attach-reference": grievance(db).reference}),
    ):
        response = second.post(path, data={"action": action, "csrf_token": second_token, **fields})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert f"Already handled by {name}" in page and "Nothing was changed or sent" in page
        assert "<title>Error:" in page
    assert inbox_replies(db) == [(PHONE, {"text": "Yes, we are."})]
    assert f"Answered by {name}" in second.get(path).get_data(as_text=True)


def test_dismissing_takes_it_out_of_the_inbox(client, db, world):
    text_in(client, "WIN A PRIZE click here", sender="+27839990001")
    path = f"/staff/inbox/{inbound_id(db, 'WIN A PRIZE click here')}"
    as_staff(client, world.staff["administrator"])
    done = act(client, path, "dismiss")
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Dismissed." in page and "Nothing waiting." in page and "0 waiting" in page


def test_a_case_officer_cannot_open_the_inbox(client, db, world):
    text_in(client, "Hello")
    path = f"/staff/inbox/{inbound_id(db, 'Hello')}"
    as_staff(client, world.staff["case_officer"])
    for url in ("/staff/inbox", path):
        response = client.get(url)
        assert response.status_code == 403 and "Not for your role" in response.get_data(
            as_text=True
        )
    home = client.get("/staff").get_data(as_text=True)
    refused = client.post(path, data={"action": "dismiss", "csrf_token": token(home)})
    assert refused.status_code == 403
    assert "/staff/inbox" not in home
    with db.read() as session:
        assert session.scalar(select(InboundMessage.handled_at)) is None


def test_keyword_messages_and_unknown_ids_are_not_found(client, db, world):
    text_in(client, "HELP")
    as_staff(client, world.staff["triage_officer"])
    assert client.get(f"/staff/inbox/{inbound_id(db, 'HELP')}").status_code == 404
    assert client.get("/staff/inbox/999999").status_code == 404
    assert client.get("/staff/inbox?page=-3").status_code == 200


@pytest.mark.parametrize(
    ("action", "fields", "message"),
    [
        ("answer", {"text": "   "}, "Write the message"),
        ("answer", {"text": "x" * 460}, "The message must be 459 characters or fewer"),
        ("attach", {}, "Enter the case reference"),
        ("attach", {"reference": "12345"}, "A reference number has 10 digits"),
    ],
)
def test_bad_input_is_shown_on_the_form(client, db, world, action, fields, message):
    text_in(client, "Hello")
    path = f"/staff/inbox/{inbound_id(db, 'Hello')}"
    as_staff(client, world.staff["triage_officer"])
    response = act(client, path, action, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error:" in page and message in page
    assert inbox_replies(db) == []


def test_choosing_a_case_and_typing_another_asks_for_one(client, db, world):
    case = grievance(db)
    text_in(client, "Hello")
    path = f"/staff/inbox/{inbound_id(db, 'Hello')}"
    as_staff(client, world.staff["triage_officer"])
    page = act(client, path, "attach", case=case.reference, reference=new_reference()).get_data(
        as_text=True
    )
    assert "not both" in page
    with db.read() as session:
        assert session.scalar(select(InboundMessage.handled_at)) is None


def test_a_short_code_offers_no_answer(client, db, world):
    text_in(client, "Recharge now!", sender="MTN")
    as_staff(client, world.staff["triage_officer"])
    page = client.get(f"/staff/inbox/{inbound_id(db, 'Recharge now!')}").get_data(as_text=True)
    assert "takes no reply" in page and "Preview the SMS" not in page
