"""Generated data is data the product accepts: valid references and numbers, statuses
reached through the workflows, and the staff console's queries work on it."""

import datetime as dt
import shutil
from collections import defaultdict

import pytest
from sqlalchemy import select

from casework.application_fields import validate_answers
from casework.case_queries import own_timeline
from casework.dashboard import dashboard_figures
from casework.dashboard_snapshots import current_figures
from casework.database import Database
from casework.generate_data import DirectoryMissing, generate
from casework.models import (
    Agency,
    Application,
    Case,
    CaseEvent,
    Citizen,
    Grievance,
    Referral,
    Role,
    Service,
    StaffUser,
)
from casework.national_ids import normalise_national_id
from casework.phones import normalise_phone
from casework.references import is_valid
from casework.seed_demo import seed_demo
from casework.staff_queries import QueueFilters, scope_actor, triage_queue
from casework.workflows import WORKFLOWS

AS_OF = dt.datetime(2026, 3, 11, 10, 0, tzinfo=dt.UTC)
CITIZENS, CASES = 50, 200


@pytest.fixture
def generated(db):
    seed_demo(db, with_staff=False)
    result = generate(db, citizens=CITIZENS, cases=CASES, seed=7, as_of=AS_OF)
    return result


def test_generate_writes_the_citizens_and_cases_asked_for(db, generated):
    with db.read() as session:
        citizens = session.scalars(select(Citizen)).all()
        cases = session.scalars(select(Case)).all()
        events = session.scalars(select(CaseEvent)).all()
    assert (len(citizens), len(cases), len(events)) == (CITIZENS, CASES, generated.events)
    assert {case.kind for case in cases} == {"application", "grievance", "referral"}
    assert {c.language for c in citizens} <= {"en", "af", "zu", "xh", "st", "sw"}
    assert len({c.language for c in citizens}) >= 4
    span = [case.created_at for case in cases]
    assert min(span) >= AS_OF - dt.timedelta(days=731) and max(span) <= AS_OF
    assert max(span) - min(span) > dt.timedelta(days=365)  # spread over the two years


def test_generated_references_and_phone_numbers_are_valid_and_unique(db, generated):
    with db.read() as session:
        references = session.scalars(select(Case.reference)).all()
        citizens = session.scalars(select(Citizen)).all()
    assert all(is_valid(reference) for reference in references)
    assert len(set(references)) == len(references)
    for citizen in citizens:
        assert normalise_phone(citizen.phone, "ZA") == citizen.phone  # a valid mobile number
        if citizen.national_id:
            assert normalise_national_id(citizen.national_id, "ZA") == citizen.national_id


def test_every_generated_status_was_reached_through_its_workflow(db, generated):
    with db.read() as session:
        cases = {case.id: case for case in session.scalars(select(Case))}
        staff_roles = dict(session.execute(select(StaffUser.id, StaffUser.role)).all())
        events = session.scalars(select(CaseEvent).order_by(CaseEvent.id)).all()
    timelines = defaultdict(list)
    for event in events:
        timelines[event.case_id].append(event)
    for case_id, case in cases.items():
        workflow = WORKFLOWS[case.kind]
        timeline = timelines[case_id]
        assert timeline[0].type == "created" and timeline[0].to_status == workflow.initial
        assert [e.at for e in timeline] == sorted(e.at for e in timeline)
        status = workflow.initial
        for event in (e for e in timeline if e.type == "status_changed"):
            step = workflow.find(event.from_status, event.to_status)
            assert event.from_status == status and step is not None
            role = staff_roles.get(event.actor_staff_id, event.actor_type)
            assert role in step.roles, (case.kind, step, role)
            status = event.to_status
        assert case.status == status
        assert (case.closed_at is None) == workflow.is_open(case.status)


def test_generated_cases_have_realistic_details(db, generated):
    with db.read() as session:
        grievances = session.scalars(select(Grievance)).all()
        applications = session.scalars(select(Application)).all()
        referrals = session.scalars(select(Referral)).all()
        services = {s.id: s for s in session.scalars(select(Service))}
        assigned = session.scalars(select(Case).where(Case.assigned_to_id.is_not(None))).all()
    assert any(g.anonymous and g.citizen_id is None and g.pin_hash for g in grievances)
    assert all(g.description and g.district for g in grievances)
    assert any(g.status == "escalated" or g.acknowledged_at for g in grievances)
    for application in applications:
        service = services[application.service_id]
        fields = service.application_fields
        clean = validate_answers(
            fields, application.answers, channel=application.channel, country="ZA"
        )
        assert clean == application.answers
        assert application.agency_id == service.agency_id
    assert all(r.from_agency_id != r.agency_id and r.reason for r in referrals)
    assert assigned  # officers are working cases
    assert all(case.due_at is not None for case in grievances + applications + referrals)


def test_the_staff_console_works_on_generated_data(db, generated):
    with db.read() as session:
        intake = session.scalar(select(Agency.id).where(Agency.intake))
    triage = scope_actor(f"triage:{intake}")
    rows, _more = triage_queue(db, triage, QueueFilters())
    with db.read() as session:
        open_grievances = session.scalars(
            select(Grievance.reference).where(Grievance.closed_at.is_(None))
        ).all()
        owned = session.execute(
            select(Case.reference, Citizen.phone).join(Citizen, Case.citizen_id == Citizen.id)
        ).first()
        grievance_count = len(session.scalars(select(Grievance.id)).all())
    assert open_grievances and {row.row.reference for row in rows} == set(open_grievances)

    figures = dashboard_figures(db, scope_actor("all"), now=AS_OF)
    assert figures.total == grievance_count
    assert sum(week.lodged for week in figures.trend) > 0
    assert figures.median_to_acknowledge is not None

    reference, phone = owned
    found = own_timeline(db, phone, reference, "en")
    assert found is not None and found[0].reference == reference and found[1]
    searched, _ = triage_queue(db, triage, QueueFilters(search=open_grievances[0]))
    assert [row.row.reference for row in searched] == [open_grievances[0]]


def test_generate_is_deterministic_with_a_seed(sqlite_template, tmp_path):
    made = []
    for name in ("one", "two"):
        path = tmp_path / f"{name}.sqlite3"
        shutil.copyfile(sqlite_template, path)
        db = Database(f"sqlite:///{path}")
        seed_demo(db, with_staff=False)
        generate(db, citizens=20, cases=60, seed=11, as_of=AS_OF)
        with db.read() as session:
            made.append(
                session.execute(
                    select(Case.reference, Case.status, Case.created_at, Citizen.phone)
                    .outerjoin(Citizen, Case.citizen_id == Citizen.id)
                    .order_by(Case.id)
                ).all()
            )
        db.dispose()
    assert made[0] == made[1]


def test_generating_again_adds_more_without_clashing(db, generated):
    admin = scope_actor("all")
    before = current_figures(db, admin).total
    generate(db, citizens=10, cases=30, seed=7, as_of=AS_OF)
    # The dashboard's kept figures were let go: the next look counts the new cases too.
    assert current_figures(db, admin).total > before
    with db.read() as session:
        phones = session.scalars(select(Citizen.phone)).all()
        references = session.scalars(select(Case.reference)).all()
        generated_staff = session.scalars(
            select(StaffUser).where(StaffUser.username.startswith("generated-"))
        ).all()
    assert len(phones) == len(set(phones)) == CITIZENS + 10
    assert len(references) == len(set(references)) == CASES + 30
    # The second run found the first run's staff instead of making more.
    assert len({user.username for user in generated_staff}) == len(generated_staff)
    assert {user.role for user in generated_staff} == {role.value for role in Role} - {
        Role.ADMINISTRATOR.value
    }


def test_generate_needs_the_directory(db):
    with pytest.raises(DirectoryMissing, match="seed-demo"):
        generate(db, citizens=5, cases=5, seed=1, as_of=AS_OF)
