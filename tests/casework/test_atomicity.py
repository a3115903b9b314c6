"""One function, one transaction: a failure at any write leaves nothing behind.

The failure is real: a database trigger refuses the insert, as a full disk, a lost
connection or a constraint would, after the earlier writes of the same call succeeded.
"""

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from casework.models import AuditLog, Case, CaseEvent, Citizen, OutboundMessage, Referral
from casework.recording import insert_case
from casework.references import damm_digit
from casework.services import add_note, assign, lodge_grievance, refer, submit_application
from casework.services import transition as transition_case
from tests.casework.scenes import build_world


def fail_inserts_into(db, table):
    with db.engine.begin() as connection:
        if db.is_postgresql:
            connection.exec_driver_sql(
                "CREATE OR REPLACE FUNCTION thusa_test_fail() RETURNS trigger AS $$"
                " BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql"
            )
            connection.exec_driver_sql(
                f"CREATE TRIGGER thusa_test_fail BEFORE INSERT ON {table}"
                " FOR EACH ROW EXECUTE FUNCTION thusa_test_fail()"
            )
        else:
            connection.exec_driver_sql(
                f"CREATE TRIGGER thusa_test_fail BEFORE INSERT ON {table}"
                " BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            )


def stop_failing(db, table):
    with db.engine.begin() as connection:
        suffix = f" ON {table}" if db.is_postgresql else ""
        connection.exec_driver_sql(f"DROP TRIGGER thusa_test_fail{suffix}")


def counts(db):
    with db.read() as session:
        return {
            model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (Case, CaseEvent, AuditLog, OutboundMessage, Citizen)
        }


def snapshot(db):
    with db.read() as session:
        return [
            (c.id, c.status, c.agency_id, c.assigned_to_id)
            for c in session.scalars(select(Case).order_by(Case.id))
        ]


CALLS = {
    "lodge_grievance": lambda db, w: lodge_grievance(
        db,
        phone="+27839999999",
        category="payment",
        description="Late.",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
    ),
    "submit_application": lambda db, w: submit_application(
        db,
        phone="+27839999999",
        service_id=w.service.id,
        answers={"children": 1},
        channel="web",
        language="en",
    ),
    "refer": lambda db, w: refer(
        db,
        w.actor("case_officer"),
        to_agency_id=w.other.id,
        citizen_id=w.citizen.id,
        reason="Needs food.",
    ),
    "transition": lambda db, w: transition_case(
        db, w.case.id, "acknowledged", w.actor("triage_officer")
    ),
    "assign": lambda db, w: assign(
        db, w.case.id, w.actor("supervisor"), officer_id=w.staff["case_officer"].id
    ),
    "add_note": lambda db, w: add_note(
        db, w.case.id, w.actor("case_officer"), "We will call you.", public=True
    ),
}


@pytest.mark.parametrize("table", ["case_events", "audit_log", "outbound_messages"])
@pytest.mark.parametrize("call", list(CALLS))
def test_service_failure_half_way_leaves_nothing_behind(db, call, table):
    world = build_world(db)
    world.case = CALLS["lodge_grievance"](db, world).grievance
    if call == "assign":
        transition_case(db, world.case.id, "acknowledged", world.actor("triage_officer"))
    before, cases_before = counts(db), snapshot(db)

    fail_inserts_into(db, table)
    try:
        with pytest.raises(sa.exc.DatabaseError, match="injected failure"):
            CALLS[call](db, world)
    finally:
        stop_failing(db, table)

    assert counts(db) == before
    assert snapshot(db) == cases_before
    # And with the fault gone the same call goes through, whole.
    CALLS[call](db, world)
    after = counts(db)
    assert after["CaseEvent"] > before["CaseEvent"] and after["AuditLog"] > before["AuditLog"]


def test_insert_case_draws_again_when_a_reference_is_taken(db):
    world = build_world(db)
    taken = CALLS["refer"](db, world).reference
    draws = iter([taken[:9], taken[:9], "123456789"])
    with db.transaction() as session:
        referral = Referral(
            kind="referral",
            status="sent",
            citizen_id=world.citizen.id,
            agency_id=world.other.id,
            from_agency_id=world.intake.id,
            reason="Again",
            urgency="normal",
            channel="assisted",
            language="en",
        )
        insert_case(session, referral, draw=lambda: next(draws))
    assert referral.reference == "123456789" + damm_digit("123456789")
    with db.read() as session:
        assert session.scalar(select(func.count(Case.id))) == 2


@pytest.mark.postgresql
def test_insert_case_survives_another_transaction_taking_the_reference_first(postgres_url):
    """The clash the pre-check cannot see: a concurrent transaction commits the same
    reference between our check and our insert. Only the SAVEPOINT is rolled back.

    PostgreSQL only: on SQLite, BEGIN IMMEDIATE keeps every other writer out, so this race
    cannot happen there.
    """
    from casework.database import Database
    from tests.conftest import truncate_all

    truncate_all(postgres_url)
    db = Database(postgres_url)
    world = build_world(db)
    draws = iter(["555555555", "666666666"])
    clash = "555555555" + damm_digit("555555555")
    raced = []

    def other_transaction_wins(session, _context, _instances):
        if not raced:
            raced.append(True)
            with db.engine.connect() as other:
                other.execute(
                    sa.text(
                        "INSERT INTO cases (reference, kind, status, agency_id, channel,"
                        " language, created_at, updated_at) VALUES (:r, 'grievance', 'lodged',"
                        " :a, 'web', 'en', now(), now())"
                    ),
                    {"r": clash, "a": world.intake.id},
                )
                other.commit()

    with db.transaction() as session:
        sa.event.listen(session, "before_flush", other_transaction_wins)
        referral = Referral(
            kind="referral",
            status="sent",
            citizen_id=world.citizen.id,
            agency_id=world.other.id,
            from_agency_id=world.intake.id,
            reason="Race",
            urgency="normal",
            channel="assisted",
            language="en",
        )
        insert_case(session, referral, draw=lambda: next(draws))
    assert raced and referral.reference == "666666666" + damm_digit("666666666")
    with db.read() as session:
        assert session.get(Referral, referral.id).reason == "Race"
    db.dispose()


def test_database_errors_never_carry_the_values_they_were_given(db):
    with db.transaction() as session:
        session.add(Citizen(phone="+27821112222", language="en"))
    with pytest.raises(sa.exc.IntegrityError) as error, db.transaction() as session:
        session.add(Citizen(phone="+27821112222", language="en"))
    message = str(error.value)
    assert "SQL parameters hidden" in message
    if not db.is_postgresql:
        assert "+27821112222" not in message
    # PostgreSQL's own DETAIL line ("Key (phone)=(...) already exists") still names the
    # value; keeping that out of logs is a logging filter's job, not the engine's.
