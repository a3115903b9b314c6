"""The staff queue pages read their rows in halves (so the database can use its indexes);
what each page lists, and in what order, is exactly what the queue's one query says."""

import datetime as dt

import pytest
from sqlalchemy import select

from casework import staff_queries
from casework.models import Case, Role
from casework.services import refer, submit_application, transition
from casework.staff_queries import (
    QUEUE_ORDER,
    QueueFilters,
    cases_in_scope,
    in_scope,
    kind_query,
    kind_queue,
    still_to_do,
    triage_query,
    triage_queue,
)
from tests.casework.scenes import build_world
from tests.factories import create_office, lodge

DAY = dt.timedelta(days=1)
# Deadlines fall between whole days from now, so none turns overdue while a test runs.
NOW = dt.datetime.now(dt.UTC) + DAY / 2


def dated(db, case, due_at):
    with db.transaction() as session:
        session.get(Case, case.id).due_at = due_at


@pytest.fixture
def world(db):
    """Open and closed work of every kind for both agencies, deadlines spread out (one
    with none), and referrals declined back to each sender."""
    world = build_world(db)
    intake_officer = world.actor("case_officer")
    other_officer = world.actor("case_officer", receiving=True)
    theirs = create_office(db, world.other, district="Mangaung")
    for n in range(5):
        grievance = lodge(db, phone=f"+2782555{n:04d}").grievance
        dated(db, grievance, NOW + (n - 2) * DAY)
        if n % 2:
            transition(db, grievance.id, "acknowledged", world.actor("supervisor"))
            dated(db, grievance, NOW + (3 - n) * DAY)
    lodge(db, office_id=theirs.id, phone="+27825559000")
    rejected = lodge(db, phone="+27825559001").grievance
    transition(db, rejected.id, "rejected", world.actor("supervisor"), reason="Duplicate.")
    dated(db, lodge(db, phone="+27825559002").grievance, None)
    for n, (sender, to_agency) in enumerate(
        [(intake_officer, world.other), (other_officer, world.intake)] * 3
    ):
        referral = refer(
            db,
            sender,
            to_agency_id=to_agency.id,
            reason="Needs help.",
            citizen_id=world.citizen.id,
        )
        dated(db, referral, NOW + (n - 3) * DAY)
        receiver = other_officer if sender is intake_officer else intake_officer
        if n in (0, 1, 4):
            transition(db, referral.id, "declined", receiver, reason="Not our area.")
        elif n == 2:
            transition(db, referral.id, "accepted", receiver)
    for service, phone in ((world.service, "+27825558000"), (world.intake_service, "+27825558001")):
        submit_application(
            db,
            phone=phone,
            service_id=service.id,
            answers={"children": 2},
            channel="web",
            language="en",
        )
    return world


def actors(world):
    return [world.actor(role.value) for role in Role] + [
        world.actor("case_officer", receiving=True)
    ]


def ids(rows):
    return [row.id for row in rows]


@pytest.mark.parametrize("limit", [1, 2, 3, 100])
def test_kind_queues_list_what_their_query_lists_in_its_order(db, world, limit):
    with db.read() as session:
        for actor in actors(world):
            for kind in ("application", "referral"):
                expected = session.scalars(kind_query(actor, kind).limit(limit)).all()
                assert ids(kind_queue(db, actor, kind, limit=limit)) == ids(expected)


@pytest.mark.parametrize("limit", [1, 4, 50])
def test_the_staff_home_lists_what_is_still_to_do_in_queue_order(db, world, limit):
    with db.read() as session:
        for actor in actors(world):
            query = (
                in_scope(select(Case), actor)
                .where(still_to_do(actor))
                .order_by(*QUEUE_ORDER)
                .limit(limit)
            )
            expected = session.scalars(query).all()
            assert ids(cases_in_scope(db, actor, limit=limit)) == ids(expected)
    # Declined referrals are back with their senders, at the top (they are overdue).
    declined = [
        row for row in cases_in_scope(db, world.actor("supervisor")) if row.status == "declined"
    ]
    assert len(declined) == 2


FILTERS = [
    QueueFilters(),
    QueueFilters(overdue=True),
    QueueFilters(status="lodged"),
    QueueFilters(status="acknowledged"),
    QueueFilters(search="+27825550001"),
]


@pytest.mark.parametrize("filters", FILTERS)
def test_triage_pages_follow_the_queue_order_across_the_unacknowledged(
    db, world, monkeypatch, filters
):
    monkeypatch.setattr(staff_queries, "PAGE_SIZE", 2)
    pages = []
    for actor in actors(world):
        with db.read() as session:
            now = dt.datetime.now(dt.UTC)
            expected = session.scalars(triage_query(actor, filters, now)).all()
        shown, page, more = [], 0, True
        while more:
            rows, more = triage_queue(db, actor, filters, page)
            assert len(rows) <= 2 and (not more or len(rows) == 2)
            shown += [row.row.id for row in rows]
            page += 1
        assert shown == ids(expected)
        pages.append(page)
    if filters == QueueFilters():
        assert max(pages) > 3  # the paging crossed from the unacknowledged to the rest
