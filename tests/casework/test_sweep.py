"""The overdue sweep, with a frozen clock: `now` is given, never waited for."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from casework.actors import Actor
from casework.models import AuditLog, Case, CaseEvent, OutboundMessage
from casework.services import refer, submit_application, transition
from casework.sweep import (
    ESCALATE_FROM,
    NOT_ACKNOWLEDGED,
    NOT_RESOLVED,
    SUPERVISOR_NOTE,
    SweepResult,
    sweep_overdue,
)
from casework.workflows import GRIEVANCE, SYSTEM
from tests.casework.scenes import build_world
from tests.factories import lodge, set_status

SAST = ZoneInfo("Africa/Johannesburg")
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def world(db):
    return build_world(db)


def templates(db, case_id):
    with db.read() as session:
        return session.scalars(
            select(OutboundMessage.template)
            .where(OutboundMessage.case_id == case_id)
            .order_by(OutboundMessage.id)
        ).all()


def timeline(db, case_id):
    with db.read() as session:
        return [
            (e.type, e.public, e.to_status, e.body, e.actor_type)
            for e in session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
            )
        ]


def status(db, case_id):
    with db.read() as session:
        return session.get(Case, case_id).status


def test_escalation_is_open_to_the_system_from_every_status_the_sweep_escalates():
    for source in ESCALATE_FROM:
        step = GRIEVANCE.find(source, "escalated")
        assert step is not None and SYSTEM in step.roles, source


def test_sweep_escalates_an_overdue_unacknowledged_grievance_and_tells_the_citizen(db, world):
    grievance = lodge(db).grievance

    result = sweep_overdue(db, now=grievance.due_at + MINUTE)

    assert result == SweepResult(escalated=1, told_delayed=1)
    assert status(db, grievance.id) == "escalated"
    assert timeline(db, grievance.id)[1:] == [
        ("status_changed", True, "escalated", NOT_ACKNOWLEDGED, "system"),
        ("note", False, None, SUPERVISOR_NOTE, "system"),
        ("delayed", True, None, None, "system"),
    ]
    # One message about the delay, not the escalation's own as well.
    assert templates(db, grievance.id) == ["grievance_lodged", "case_delayed"]
    with db.read() as session:
        actions = session.scalars(
            select(AuditLog.action).where(AuditLog.case_id == grievance.id).order_by(AuditLog.id)
        ).all()
        delayed = session.scalars(
            select(OutboundMessage).where(OutboundMessage.template == "case_delayed")
        ).one()
    assert actions == [
        "grievance.lodged",
        "case.transition",
        "case.escalated_overdue",
        "case.told_delayed",
    ]
    assert (delayed.to, delayed.language) == (world.citizen.phone, "zu")


def test_sweep_tells_the_citizen_exactly_once_however_often_it_runs(db, world):
    grievance = lodge(db).grievance
    now = grievance.due_at + MINUTE

    assert sweep_overdue(db, now=now) == SweepResult(escalated=1, told_delayed=1)
    after_first = timeline(db, grievance.id)
    assert sweep_overdue(db, now=now + dt.timedelta(minutes=5)) == SweepResult()
    assert sweep_overdue(db, now=now + dt.timedelta(days=3)) == SweepResult()

    assert timeline(db, grievance.id) == after_first
    assert templates(db, grievance.id).count("case_delayed") == 1


def test_sweep_leaves_a_grievance_that_is_not_yet_due_alone(db, world):
    grievance = lodge(db).grievance

    assert sweep_overdue(db, now=grievance.due_at - MINUTE) == SweepResult()
    assert status(db, grievance.id) == "lodged"
    assert templates(db, grievance.id) == ["grievance_lodged"]


def test_sweep_escalates_a_sensitive_grievance_after_24_hours(db, world):
    grievance = lodge(db, category="gender_based_violence").grievance
    lodged_at = grievance.created_at

    assert sweep_overdue(db, now=lodged_at + dt.timedelta(hours=23)) == SweepResult()
    result = sweep_overdue(db, now=lodged_at + dt.timedelta(hours=24, minutes=1))
    assert result.escalated == 1 and status(db, grievance.id) == "escalated"


def test_sweep_escalates_an_acknowledged_grievance_not_resolved_in_time(db, world):
    grievance = lodge(db).grievance
    acknowledge_deadline = grievance.due_at
    transition(db, grievance.id, "acknowledged", world.actor("triage_officer"))
    with db.read() as session:
        resolve_deadline = session.get(Case, grievance.id).due_at

    # Acknowledged in time: the old deadline no longer counts.
    assert sweep_overdue(db, now=acknowledge_deadline + MINUTE) == SweepResult()
    result = sweep_overdue(db, now=resolve_deadline + MINUTE)

    assert result == SweepResult(escalated=1, told_delayed=1)
    assert ("status_changed", True, "escalated", NOT_RESOLVED, "system") in timeline(
        db, grievance.id
    )


def test_sweep_does_not_escalate_again_once_supervisors_have_moved_the_case_on(db, world):
    grievance = lodge(db).grievance
    now = grievance.due_at + MINUTE
    sweep_overdue(db, now=now)
    transition(db, grievance.id, "assigned", world.actor("supervisor"))

    assert sweep_overdue(db, now=now + dt.timedelta(hours=1)) == SweepResult()
    assert status(db, grievance.id) == "assigned"


def test_sweep_leaves_closed_and_resolved_cases_alone(db, world):
    closed, rejected, resolved = (lodge(db).grievance for _ in range(3))
    set_status(db, closed, "closed")
    set_status(db, rejected, "rejected")
    set_status(db, resolved, "resolved")  # done; only the citizen's closing is awaited

    assert sweep_overdue(db, now=closed.due_at + dt.timedelta(days=30)) == SweepResult()
    assert [status(db, case.id) for case in (closed, rejected, resolved)] == [
        "closed",
        "rejected",
        "resolved",
    ]
    for case in (closed, rejected, resolved):
        assert templates(db, case.id) == ["grievance_lodged"]


def test_sweep_tells_an_overdue_applications_citizen_once_without_escalating_it(db, world):
    application = submit_application(
        db,
        phone=world.citizen.phone,
        service_id=world.service.id,
        answers={"children": "2"},
        channel="ussd",
        language="zu",
    )
    now = application.due_at + MINUTE

    assert sweep_overdue(db, now=now) == SweepResult(escalated=0, told_delayed=1)
    assert sweep_overdue(db, now=now + dt.timedelta(days=1)) == SweepResult()

    assert status(db, application.id) == "submitted"
    assert templates(db, application.id) == ["application_submitted", "case_delayed"]
    assert [e[0] for e in timeline(db, application.id)] == ["created", "delayed"]


def test_sweep_does_not_hurry_an_application_waiting_on_the_citizen(db, world):
    application = submit_application(
        db,
        phone=world.citizen.phone,
        service_id=world.service.id,
        answers={"children": "2"},
        channel="web",
        language="en",
    )
    set_status(db, application, "more_info_needed")

    assert sweep_overdue(db, now=application.due_at + MINUTE) == SweepResult()


def test_sweep_tells_an_overdue_referrals_citizen_once(db, world):
    referral = refer(
        db,
        world.actor("case_officer"),
        to_agency_id=world.other.id,
        citizen_id=world.citizen.id,
        reason="Needs food parcels.",
    )

    result = sweep_overdue(db, now=referral.due_at + MINUTE)

    assert result == SweepResult(escalated=0, told_delayed=1)
    assert status(db, referral.id) == "sent"
    assert templates(db, referral.id).count("case_delayed") == 1


def test_sweep_escalates_an_anonymous_grievance_without_any_sms(db, world):
    grievance = lodge(db, anonymous=True).grievance
    assert grievance.citizen_id is None
    before = templates(db, grievance.id)  # the reference and PIN, once

    result = sweep_overdue(db, now=grievance.due_at + MINUTE)

    assert result == SweepResult(escalated=1, told_delayed=0)
    assert status(db, grievance.id) == "escalated"
    assert templates(db, grievance.id) == before == ["grievance_lodged_anonymous"]
    assert sweep_overdue(db, now=grievance.due_at + dt.timedelta(hours=1)) == SweepResult()


def test_delayed_sms_due_at_night_waits_for_the_morning(db, world):
    grievance = lodge(db).grievance
    # The first 02:00 in Johannesburg after the deadline.
    local_due = grievance.due_at.astimezone(SAST)
    night = local_due.replace(hour=2, minute=0, second=0, microsecond=0)
    if night <= local_due:
        night += dt.timedelta(days=1)

    sweep_overdue(db, now=night.astimezone(dt.UTC))

    with db.read() as session:
        delayed = session.scalars(
            select(OutboundMessage).where(OutboundMessage.template == "case_delayed")
        ).one()
    assert delayed.next_attempt_at == night.replace(hour=8)


def fail_events_of(db, case_id):
    """A real database error, for one case only: its timeline refuses new events."""
    with db.engine.begin() as connection:
        if db.is_postgresql:
            connection.exec_driver_sql(
                "CREATE OR REPLACE FUNCTION thusa_test_fail_case() RETURNS trigger AS $$"
                f" BEGIN IF NEW.case_id = {case_id} THEN RAISE EXCEPTION 'injected failure';"
                " END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            connection.exec_driver_sql(
                "CREATE TRIGGER thusa_test_fail_case BEFORE INSERT ON case_events"
                " FOR EACH ROW EXECUTE FUNCTION thusa_test_fail_case()"
            )
        else:
            connection.exec_driver_sql(
                "CREATE TRIGGER thusa_test_fail_case BEFORE INSERT ON case_events"
                f" WHEN NEW.case_id = {case_id}"
                " BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            )


def stop_failing(db):
    with db.engine.begin() as connection:
        suffix = " ON case_events" if db.is_postgresql else ""
        connection.exec_driver_sql(f"DROP TRIGGER thusa_test_fail_case{suffix}")


def test_one_case_that_cannot_be_swept_does_not_stop_the_others(db, world):
    first, broken, last = (lodge(db).grievance for _ in range(3))
    now = last.due_at + MINUTE

    fail_events_of(db, broken.id)
    try:
        result = sweep_overdue(db, now=now)
    finally:
        stop_failing(db)

    assert result == SweepResult(escalated=2, told_delayed=2, failed=1)
    assert [status(db, case.id) for case in (first, broken, last)] == [
        "escalated",
        "lodged",
        "escalated",
    ]
    # Nothing half-done for the broken case: no status, no note, no SMS.
    assert [e[0] for e in timeline(db, broken.id)] == ["created"]
    assert templates(db, broken.id) == ["grievance_lodged"]
    # The next sweep, with the fault gone, picks it up.
    assert sweep_overdue(db, now=now) == SweepResult(escalated=1, told_delayed=1)
    assert status(db, broken.id) == "escalated"


def test_two_sweeps_at_once_escalate_and_tell_each_case_once(db, world):
    # Relays scale out on PostgreSQL, and each runs the sweep.
    grievances = [lodge(db).grievance for _ in range(5)]
    now = grievances[-1].due_at + MINUTE
    start = threading.Barrier(2)
    results = []

    def sweep():
        start.wait()
        results.append(sweep_overdue(db, now=now))

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sum(r.escalated for r in results) == 5 and sum(r.failed for r in results) == 0
    for grievance in grievances:
        assert templates(db, grievance.id) == ["grievance_lodged", "case_delayed"]
        assert [e[2] for e in timeline(db, grievance.id)].count("escalated") == 1


def test_sweep_is_done_as_the_system(db, world):
    grievance = lodge(db).grievance
    sweep_overdue(db, now=grievance.due_at + MINUTE)
    with db.read() as session:
        actors = session.scalars(
            select(func.distinct(AuditLog.actor_type)).where(
                AuditLog.case_id == grievance.id, AuditLog.action != "grievance.lodged"
            )
        ).all()
    assert actors == [Actor.system().type]


def test_sweep_every_status_an_agency_owes_a_step_in_is_open():
    # The sweep reads only open cases (their index); a status owed yet closed would be
    # skipped silently.
    from casework.sweep import AGENCY_OWES
    from casework.workflows import WORKFLOWS

    for kind, statuses in AGENCY_OWES.items():
        assert all(WORKFLOWS[kind].is_open(status) for status in statuses), kind
