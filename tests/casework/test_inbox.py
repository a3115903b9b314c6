"""The staff inbox: inbound SMS that matched no keyword, attached to a case, answered or
dismissed, by one officer only however many try at once."""

import threading
import time

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from casework.errors import InvalidInput, NotFound, NotPermitted
from casework.inbox_queries import inbox_message, open_inbox, open_messages
from casework.migrate import downgrade, upgrade
from casework.models import AuditLog, Case, CaseEvent, Citizen, InboundMessage, OutboundMessage
from casework.references import new_reference
from casework.services import lodge_grievance, submit_application
from casework.services.inbox import (
    AlreadyHandled,
    answer_inbound,
    attach_inbound,
    dismiss_inbound,
)
from notifications.gateways import AfricasTalkingGateway
from notifications.inbound import handle_inbound_sms
from notifications.relay import Relay
from notifications.templates import TEMPLATES
from tests.casework.scenes import build_world
from tests.notifications.conftest import quick_settings

LANGUAGES = ["en", "af", "zu", "xh", "st", "sw"]


@pytest.fixture
def world(db):
    return build_world(db)


_ids = iter(range(1, 10_000))


def text_in(db, text, sender="+27821234567"):
    """An SMS as the gateway delivers it (the webhook calls exactly this)."""
    gateway_id = f"ATXid_{next(_ids)}"
    handle_inbound_sms(
        db,
        gateway_id=gateway_id,
        sender=sender,
        to="32100",
        text=text,
        link_id=None,
        date=None,
        region="ZA",
        languages=LANGUAGES,
    )
    with db.read() as session:
        return session.scalars(
            select(InboundMessage).where(InboundMessage.gateway_id == gateway_id)
        ).one()


def grievance(db, phone="+27821234567", **overrides):
    values = {
        "phone": phone,
        "category": "payment",
        "description": "Late grant.",
        "channel": "ussd",
        "language": "zu",
        "country": "ZA",
        "district": "eThekwini",
    }
    return lodge_grievance(db, **(values | overrides)).grievance


def answers(db):
    with db.read() as session:
        return session.scalars(
            select(OutboundMessage).where(OutboundMessage.template == "inbox_reply")
        ).all()


def test_open_inbox_lists_only_messages_of_no_keyword_oldest_first(db, world):
    first = text_in(db, "Please call me, I need food")
    for keyword in ("STATUS 4827193506", "HELP", "STOP", "START", "LANG zu", "usizo"):
        text_in(db, keyword)
    second = text_in(db, "Hello?", sender="+27825550001")
    inbox = open_inbox(db, world.actor("triage_officer"))
    assert [row.id for row in inbox.rows] == [first.id, second.id]
    assert inbox.open_count == 2 and not inbox.more
    assert inbox.rows[0].sender == "+27821234567" and "food" in inbox.rows[0].text


def test_open_inbox_pages(db, world, monkeypatch):
    monkeypatch.setattr("casework.inbox_queries.PAGE_SIZE", 2)
    sent = [text_in(db, f"message {n}", sender=f"+2782555000{n}") for n in range(3)]
    actor = world.actor("supervisor")
    first, second = open_inbox(db, actor, 0), open_inbox(db, actor, 1)
    assert [r.id for r in first.rows] == [sent[0].id, sent[1].id] and first.more
    assert [r.id for r in second.rows] == [sent[2].id] and not second.more
    assert first.open_count == second.open_count == 3


def test_open_inbox_offers_the_senders_open_cases_in_scope_only(db, world):
    complaint = grievance(db)
    closed = grievance(db)
    with db.transaction() as session:
        session.get(Case, closed.id).closed_at = complaint.created_at
    elsewhere = submit_application(
        db,
        phone=world.citizen.phone,
        service_id=world.service.id,  # the other agency's service
        answers={"children": 1},
        channel="web",
        language="en",
    )
    message = text_in(db, "Any news?")
    triage = open_inbox(db, world.actor("triage_officer")).rows[0]
    admin = open_inbox(db, world.actor("administrator")).rows[0]
    assert [c.reference for c in triage.cases] == [complaint.reference]
    assert {c.reference for c in admin.cases} == {complaint.reference, elsewhere.reference}
    assert triage.id == admin.id == message.id


def test_attach_puts_the_text_on_the_case_timeline_for_staff_only(db, world):
    case = grievance(db)
    message = text_in(db, "I forgot to say: my ID number changed")
    actor = world.actor("triage_officer")
    event = attach_inbound(db, message.id, actor, f"G {case.reference}")
    with db.read() as session:
        stored = session.get(CaseEvent, event.id)
        handled = session.get(InboundMessage, message.id)
        action = session.scalars(select(AuditLog).where(AuditLog.action == "sms.attached")).one()
    assert (stored.case_id, stored.type, stored.public) == (case.id, "citizen_sms", False)
    assert stored.body == "I forgot to say: my ID number changed"
    assert (handled.outcome, handled.case_id, handled.handled_by_id) == (
        "attached",
        case.id,
        actor.staff_id,
    )
    assert action.case_id == case.id and action.detail == {"inbound_id": message.id}
    assert open_inbox(db, actor).rows == []
    assert answers(db) == []  # attaching texts nobody


def test_attaching_to_a_case_out_of_scope_looks_like_no_case_at_all(db, world):
    theirs = submit_application(
        db,
        phone=world.citizen.phone,
        service_id=world.service.id,
        answers={"children": 1},
        channel="web",
        language="en",
    )
    message = text_in(db, "About my application")
    actor = world.actor("supervisor")  # of the intake agency: not SASSA's application
    with pytest.raises(InvalidInput) as out_of_scope:
        attach_inbound(db, message.id, actor, theirs.reference)
    with pytest.raises(InvalidInput) as missing:
        attach_inbound(db, message.id, actor, new_reference())
    assert str(out_of_scope.value) == str(missing.value) == "No case with that reference"
    assert out_of_scope.value.field == missing.value.field == "reference"
    assert [r.id for r in open_inbox(db, actor).rows] == [message.id]  # still open


def test_answer_queues_one_sms_to_the_sender_in_their_language(db, world):
    message = text_in(db, "Where do I collect my grant?")
    actor = world.actor("triage_officer")
    answer = answer_inbound(db, message.id, actor, "  Go to the  Umlazi office on Monday. ")
    [queued] = answers(db)
    assert queued.id == answer.id
    assert (queued.to, queued.language) == ("+27821234567", "zu")  # the citizen's own
    assert queued.params == {"text": "Go to the Umlazi office on Monday."}
    with db.read() as session:
        handled = session.get(InboundMessage, message.id)
        action = session.scalars(select(AuditLog).where(AuditLog.action == "sms.answered")).one()
    assert (handled.outcome, handled.answer_id) == ("answered", answer.id)
    assert action.citizen_id == world.citizen.id
    assert "Umlazi" not in str(action.detail)  # the audit log keeps no text


def test_answer_to_an_unknown_number_is_in_its_acknowledgements_language(db, world):
    acknowledged = text_in(db, "Tafadhali nisaidie", sender="+27839990000")
    unacknowledged = text_in(db, "Habari?", sender="+27839990000")  # acknowledged just now
    actor = world.actor("supervisor")
    answer_inbound(db, acknowledged.id, actor, "Tutakupigia simu.", fallback_language="sw")
    answer_inbound(db, unacknowledged.id, actor, "Karibu.", fallback_language="sw")
    # No citizen: the language the automatic acknowledgement went out in (the
    # deployment's first, when the text named none), else the language given.
    assert [(m.to, m.language) for m in answers(db)] == [
        ("+27839990000", "en"),
        ("+27839990000", "sw"),
    ]


def test_a_second_officer_finds_the_message_handled_and_nothing_is_sent_twice(db, world):
    message = text_in(db, "Hello, anyone there?")
    first, second = world.staff["triage_officer"], world.staff["supervisor"]
    answer_inbound(db, message.id, world.actor("triage_officer"), "Yes, how can we help?")
    for attempt in (
        lambda: answer_inbound(db, message.id, world.actor("supervisor"), "Hello!"),
        lambda: attach_inbound(db, message.id, world.actor("supervisor"), grievance(db).reference),
        lambda: dismiss_inbound(db, message.id, world.actor("supervisor")),
    ):
        with pytest.raises(AlreadyHandled) as refused:
            attempt()
        assert str(refused.value) == f"Already handled by {first.display_name}"
    assert len(answers(db)) == 1
    with db.read() as session:
        assert session.get(InboundMessage, message.id).handled_by_id == first.id != second.id
        events = session.scalar(
            select(func.count(CaseEvent.id)).where(CaseEvent.type == "citizen_sms")
        )
    assert events == 0


def test_two_officers_answering_at_the_same_moment_send_one_sms(db, world):
    """The first officer's transaction is held open after its claim; the second runs into
    it (PostgreSQL: the row lock, then a re-check that finds the row handled; SQLite: the
    write lock, then the early check)."""
    message = text_in(db, "Is my payment coming?")
    claimed, release = threading.Event(), threading.Event()

    def hold_first(session):
        if threading.current_thread().name == "first":
            claimed.set()
            release.wait(10)

    db.listen("before_commit", hold_first)
    outcomes = {}

    def officer(name, role):
        try:
            answer_inbound(db, message.id, world.actor(role), f"Answer from {name}")
            outcomes[name] = "sent"
        except AlreadyHandled as error:
            outcomes[name] = str(error)

    first = threading.Thread(target=officer, args=("first", "triage_officer"), name="first")
    second = threading.Thread(target=officer, args=("second", "supervisor"), name="second")
    first.start()
    assert claimed.wait(10)
    second.start()
    time.sleep(0.5)  # the second officer is now waiting on the first's lock
    release.set()
    first.join(20)
    second.join(20)
    name = world.staff["triage_officer"].display_name
    assert outcomes == {"first": "sent", "second": f"Already handled by {name}"}
    [queued] = answers(db)
    assert queued.params == {"text": "Answer from first"}


def test_dismiss_takes_the_message_out_of_the_inbox_and_sends_nothing(db, world):
    message = text_in(db, "WIN A PRIZE!!! click here")
    actor = world.actor("administrator")
    dismiss_inbound(db, message.id, actor)
    assert open_inbox(db, actor).open_count == 0 and answers(db) == []
    view = inbox_message(db, actor, message.id, "en")
    assert view.outcome == "dismissed"
    assert view.handled_by == world.staff["administrator"].display_name


def test_a_case_officer_has_no_inbox(db, world):
    message = text_in(db, "Hello")
    actor = world.actor("case_officer")
    for call in (
        lambda: open_inbox(db, actor),
        lambda: inbox_message(db, actor, message.id, "en"),
        lambda: answer_inbound(db, message.id, actor, "Hi"),
        lambda: attach_inbound(db, message.id, actor, grievance(db).reference),
        lambda: dismiss_inbound(db, message.id, actor),
        lambda: open_inbox(db, world.actor("citizen")),
    ):
        with pytest.raises(NotPermitted):
            call()
    assert open_inbox(db, world.actor("triage_officer")).open_count == 1


def test_keyword_messages_are_not_the_inboxs_to_handle(db, world):
    keyword = text_in(db, "HELP")
    actor = world.actor("triage_officer")
    assert inbox_message(db, actor, keyword.id, "en") is None
    with pytest.raises(NotFound):
        dismiss_inbound(db, keyword.id, actor)
    with pytest.raises(NotFound):
        answer_inbound(db, 999_999, actor, "Hi")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write the message"),
        ("   ", "Write the message"),
        ("x" * 460, "The message must be 459 characters or fewer"),
    ],
)
def test_an_answer_needs_words_that_fit(db, world, text, message):
    inbound = text_in(db, "Hello")
    with pytest.raises(InvalidInput) as refused:
        answer_inbound(db, inbound.id, world.actor("triage_officer"), text)
    assert str(refused.value) == message
    assert answers(db) == [] and open_inbox(db, world.actor("triage_officer")).open_count == 1


def test_a_short_code_cannot_be_answered_but_can_be_dismissed(db, world):
    promo = text_in(db, "Recharge now!", sender="MTN")
    actor = world.actor("triage_officer")
    with pytest.raises(InvalidInput):
        answer_inbound(db, promo.id, actor, "Stop it")
    dismiss_inbound(db, promo.id, actor)
    assert answers(db) == []


def test_an_answer_reaches_someone_who_texted_stop_before_writing_but_not_after(db, world, fake):
    before = text_in(db, "STOP")
    asked = text_in(db, "Sorry, I still need help with my grant")
    assert before.command == "stop"
    actor = world.actor("triage_officer")
    answer_inbound(db, asked.id, actor, "We will call you today.")
    gateway = AfricasTalkingGateway(
        fake.username, fake.api_key, sender_id="THUSA", api_url=fake.url, timeout=0.5
    )
    Relay(db, gateway, quick_settings()).run_once()
    assert TEMPLATES["inbox_reply"].requested
    sent = [(s.to, s.message) for s in fake.sent]
    assert ("+27821234567", "Thusa: We will call you today.") in sent
    later = text_in(db, "One more thing", sender="+27821234567")
    with db.transaction() as session:  # STOP again, after that message
        citizen = session.scalars(select(Citizen).where(Citizen.phone == "+27821234567")).one()
        citizen.sms_opted_out = True
        citizen.sms_consent_at = later.received_at
    with pytest.raises(InvalidInput) as refused:
        answer_inbound(db, later.id, actor, "Hello again")
    assert "STOP" in str(refused.value)
    assert inbox_message(db, actor, later.id, "en").stopped_since


def test_inbox_migration_goes_down_and_up_keeping_the_messages(db, database_url, world):
    message = text_in(db, "Kept across migrations")
    db.engine.dispose()
    downgrade(database_url, "0005")
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("inbound_messages")}
    assert "handled_at" not in columns and "outcome" not in columns
    db.engine.dispose()
    upgrade(database_url)
    indexes = {i["name"] for i in sa.inspect(db.engine).get_indexes("inbound_messages")}
    assert "ix_inbound_messages_open" in indexes
    db.engine.dispose()
    assert [r.id for r in open_inbox(db, world.actor("triage_officer")).rows] == [message.id]


def test_the_open_inbox_query_uses_the_partial_index(db):
    query = str(open_messages(0).compile(db.engine, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as connection:
        if db.is_postgresql:
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = connection.exec_driver_sql(f"EXPLAIN {query}").scalars().all()
        else:
            plan = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}")]
    assert any("ix_inbound_messages_open" in line for line in plan), plan
