"""Webhook subscriptions, and the deliveries case changes queue for them (sending is
tested in tests/notifications/test_webhook_delivery.py)."""

import json

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from casework.actors import Actor
from casework.errors import InvalidInput, NotFound, NotPermitted
from casework.models import (
    ApiKey,
    AuditLog,
    Case,
    Citizen,
    WebhookDelivery,
    WebhookSubscription,
)
from casework.recording import record_event
from casework.services import add_note, assign, lodge_grievance, refer, transition
from casework.webhooks import (
    EVENTS,
    MAX_ACTIVE_SUBSCRIPTIONS,
    SubscriptionView,
    list_subscriptions,
    subscribe,
    unsubscribe,
)
from tests.casework.scenes import build_world

URL = "https://agency.example.org/thusa-events"
DESCRIPTION = "The clerk at window 3 asked me for money before he would take my form."
NATIONAL_ID = "8001015009087"


@pytest.fixture
def world(db):
    world = build_world(db)
    with db.transaction() as session:
        citizen = session.get(Citizen, world.citizen.id)
        citizen.name, citizen.national_id = "Thandiwe Mokoena", NATIONAL_ID
    return world


@pytest.fixture
def grievance(db, world):
    return lodge_grievance(
        db,
        phone=world.citizen.phone,
        category="staff_conduct",
        description=DESCRIPTION,
        channel="web",
        language="zu",
        country="ZA",
        district="eThekwini",
    ).grievance


def deliveries(db, subscription_id=None):
    with db.read() as session:
        query = select(WebhookDelivery).order_by(WebhookDelivery.id)
        if subscription_id is not None:
            query = query.where(WebhookDelivery.subscription_id == subscription_id)
        return list(session.scalars(query))


def test_subscribe_returns_the_secret_once_and_lists_without_it(db, world):
    staff = world.actor("supervisor")
    view, secret = subscribe(db, staff, url=URL, events=["case.status_changed"])
    assert len(secret) >= 43  # 32 random bytes
    assert view == SubscriptionView(view.id, URL, ["case.status_changed"], True, view.created_at)
    assert list_subscriptions(db, staff) == [view]
    assert secret not in repr(list_subscriptions(db, staff))
    with db.read() as session:
        row = session.get(WebhookSubscription, view.id)
        assert (row.agency_id, row.secret) == (world.intake.id, secret)
        audit = session.scalars(select(AuditLog).where(AuditLog.action == "webhook.subscribed"))
        assert [a.detail for a in audit] == [
            {"subscription": view.id, "events": ["case.status_changed"]}
        ]


def test_subscribe_by_api_key_records_the_key(db, world):
    with db.transaction() as session:
        key = ApiKey(
            agency_id=world.other.id, name="CMS", role="case_officer", prefix="p1", secret_hash="x"
        )
        session.add(key)
    view, _ = subscribe(db, Actor.api(key), url=URL, events=[])
    with db.read() as session:
        assert session.get(WebhookSubscription, view.id).api_key_id == key.id
    assert list_subscriptions(db, Actor.api(key)) == [view]
    assert list_subscriptions(db, world.actor("supervisor")) == []  # the other agency's


def test_each_agency_sees_and_ends_only_its_own_subscriptions(db, world):
    mine, _ = subscribe(db, world.actor("supervisor"), url=URL, events=[])
    theirs, _ = subscribe(
        db, world.actor("case_officer", receiving=True), url=URL + "/b", events=[]
    )
    with pytest.raises(NotFound):
        unsubscribe(db, world.actor("supervisor"), theirs.id)
    unsubscribe(db, world.actor("supervisor"), mine.id)
    assert list_subscriptions(db, world.actor("supervisor")) == []
    assert list_subscriptions(db, world.actor("case_officer", receiving=True)) == [theirs]
    with pytest.raises(NotFound):
        unsubscribe(db, world.actor("supervisor"), mine.id)  # already ended
    with db.read() as session:
        ended = session.get(WebhookSubscription, mine.id)
        assert not ended.active and ended.disabled_at is not None


@pytest.mark.parametrize("actor", ["citizen", "system"])
def test_only_staff_and_agency_systems_manage_subscriptions(db, world, actor):
    with pytest.raises(NotPermitted):
        subscribe(db, world.actor(actor), url=URL, events=[])
    with pytest.raises(NotPermitted):
        list_subscriptions(db, world.actor(actor))


@pytest.mark.parametrize(
    "url",
    [
        "",
        "agency.example.org/events",
        "http://agency.example.org/events",
        "ftp://agency.example.org/events",
        "https://user:pass@agency.example.org/events",
        "https://token@agency.example.org/events",
        "https://127.0.0.1/events",
        "https://localhost/events",
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.5/events",
        "https://[::1]/events",
        "https://agency.example.org:port/events",
        "https://" + "a" * 500 + ".org/",
        "http://127.0.0.1:8080/events",  # loopback over http only when allowed
    ],
)
def test_subscribe_refuses_an_address_it_must_not_post_to(db, world, url):
    with pytest.raises(InvalidInput) as refused:
        subscribe(db, world.actor("supervisor"), url=url, events=[])
    assert refused.value.field == "url"


def test_loopback_http_is_allowed_for_tests_and_development_when_asked(db, world):
    for url in ("http://127.0.0.1:8080/events", "http://localhost:9000/hook"):
        view, _ = subscribe(
            db, world.actor("supervisor"), url=url, events=[], allow_loopback_http=True
        )
        assert view.url == url
    with pytest.raises(InvalidInput):  # only loopback, even then
        subscribe(
            db,
            world.actor("supervisor"),
            url="http://agency.example.org/",
            events=[],
            allow_loopback_http=True,
        )


def test_subscribe_refuses_unknown_events_and_drops_repeats(db, world):
    with pytest.raises(InvalidInput) as refused:
        subscribe(db, world.actor("supervisor"), url=URL, events=["case.deleted"])
    assert refused.value.field == "events" and "case.created" in str(refused.value)
    view, _ = subscribe(
        db, world.actor("supervisor"), url=URL, events=["case.assigned", "case.assigned"]
    )
    assert view.events == ["case.assigned"]
    assert set(EVENTS) >= {"case.created", "case.status_changed", "case.referred"}


def test_an_agency_has_a_limited_number_of_subscriptions(db, world):
    staff = world.actor("supervisor")
    views = [subscribe(db, staff, url=URL, events=[])[0] for _ in range(MAX_ACTIVE_SUBSCRIPTIONS)]
    with pytest.raises(InvalidInput, match="at most"):
        subscribe(db, staff, url=URL, events=[])
    unsubscribe(db, staff, views[0].id)
    subscribe(db, staff, url=URL, events=[])  # room again


def test_transition_by_staff_queues_a_delivery_for_the_subscribed_agency_only(db, world, grievance):
    mine, _ = subscribe(db, world.actor("supervisor"), url=URL, events=[])
    theirs, _ = subscribe(db, world.actor("case_officer", receiving=True), url=URL, events=[])
    transition(db, grievance.id, "acknowledged", world.actor("triage_officer"))
    assert deliveries(db, theirs.id) == []  # not their case
    [delivery] = deliveries(db, mine.id)
    assert (delivery.event, delivery.case_id, delivery.status) == (
        "case.status_changed",
        grievance.id,
        "queued",
    )
    payload = delivery.payload
    assert payload["event"] == "case.status_changed"
    assert payload["change"] == {"from_status": "lodged", "to_status": "acknowledged"}
    assert payload["case"] == {  # no row id: it would count every agency's cases
        "reference": grievance.reference,
        "kind": "grievance",
        "status": "acknowledged",
        "agency": "dsd",
        "due_at": payload["case"]["due_at"],
    }
    assert payload["case"]["due_at"] and payload["occurred_at"]


def test_payload_holds_no_phone_name_id_number_or_description(db, world, grievance):
    subscribe(db, world.actor("supervisor"), url=URL, events=[])
    transition(db, grievance.id, "acknowledged", world.actor("triage_officer"))
    add_note(db, grievance.id, world.actor("triage_officer"), "Called him: 0821234567", public=True)
    sent = json.dumps([d.payload for d in deliveries(db)])
    assert len(deliveries(db)) == 2
    phone_digits = world.citizen.phone.lstrip("+")
    for secret in (phone_digits, phone_digits[2:], "Thandiwe", NATIONAL_ID, "window 3", "Called"):
        assert secret not in sent


def test_an_agency_that_did_not_subscribe_or_unsubscribed_gets_nothing(db, world, grievance):
    view, _ = subscribe(db, world.actor("supervisor"), url=URL, events=[])
    unsubscribe(db, world.actor("supervisor"), view.id)
    transition(db, grievance.id, "acknowledged", world.actor("triage_officer"))
    assert deliveries(db) == []


def test_a_subscription_gets_only_the_events_it_chose(db, world, grievance):
    assigned, _ = subscribe(db, world.actor("supervisor"), url=URL, events=["case.assigned"])
    everything, _ = subscribe(db, world.actor("supervisor"), url=URL, events=[])
    transition(db, grievance.id, "acknowledged", world.actor("triage_officer"))
    assign(
        db,
        grievance.id,
        world.actor("triage_officer"),
        officer_id=world.staff["case_officer"].id,
    )
    assert [d.event for d in deliveries(db, assigned.id)] == ["case.assigned"]
    assert [d.event for d in deliveries(db, everything.id)] == [
        "case.status_changed",
        "case.assigned",
        "case.status_changed",
    ]


def test_internal_notes_are_not_told_and_public_ones_carry_no_text(db, world, grievance):
    subscribe(db, world.actor("supervisor"), url=URL, events=["case.note_added"])
    add_note(db, grievance.id, world.actor("triage_officer"), "Internal: check his story.")
    assert deliveries(db) == []
    add_note(db, grievance.id, world.actor("triage_officer"), "We are on it.", public=True)
    [delivery] = deliveries(db)
    assert delivery.event == "case.note_added"
    assert "We are on it" not in json.dumps(delivery.payload)


def test_a_referral_is_told_to_both_the_receiving_and_the_referring_agency(db, world, grievance):
    sender, _ = subscribe(db, world.actor("supervisor"), url=URL, events=[])
    receiver, _ = subscribe(db, world.actor("case_officer", receiving=True), url=URL, events=[])
    referral = refer(
        db,
        world.actor("case_officer"),
        to_agency_id=world.other.id,
        reason="Needs a grant; his address is 12 Long Street.",
        source_case_id=grievance.id,
    )
    for subscription in (sender, receiver):
        [delivery] = deliveries(db, subscription.id)
        assert delivery.event == "case.referred"
        assert delivery.payload["case"]["agency"] == "sassa"
        assert delivery.payload["case"]["from_agency"] == "dsd"
        assert "Long Street" not in json.dumps(delivery.payload)
    transition(db, referral.id, "accepted", world.actor("case_officer", receiving=True))
    assert [d.event for d in deliveries(db, sender.id)] == ["case.referred", "case.status_changed"]


def test_a_change_that_rolls_back_takes_its_delivery_with_it(db, world, grievance):
    subscribe(db, world.actor("supervisor"), url=URL, events=[])
    with pytest.raises(RuntimeError), db.transaction() as session:
        case = session.get(Case, grievance.id)
        record_event(session, case, world.actor("supervisor"), "status_changed", public=False)
        assert session.scalars(select(WebhookDelivery)).all()  # queued with the event...
        raise RuntimeError("the change failed after its event")
    assert deliveries(db) == []  # ...and gone with it


def test_a_case_change_asks_for_subscriptions_once(db, world, grievance):
    """Agencies without subscriptions pay one small query per event, nothing more."""
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if "webhook_subscriptions" in statement:
            statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        transition(db, grievance.id, "acknowledged", world.actor("triage_officer"))
        assert len(statements) == 1
        subscribe(db, world.actor("supervisor"), url=URL, events=[])
        statements.clear()
        transition(db, grievance.id, "assigned", world.actor("supervisor"))
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    # The subscription's own insert aside, one query for the transition's event.
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
