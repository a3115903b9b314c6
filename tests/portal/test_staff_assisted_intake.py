"""The assisted channel: an officer records a complaint or an application for a citizen who
walked in or phoned, and the citizen gets the same SMS as if they had sent it."""

import pytest
from sqlalchemy import select

from casework.models import (
    Application,
    AuditLog,
    Case,
    CaseEvent,
    Citizen,
    Grievance,
    OutboundMessage,
)
from tests.casework.scenes import build_world
from tests.factories import create_service
from tests.portal.web import as_staff, submit, token

WALK_IN = "071 555 0101"
WALK_IN_E164 = "+27715550101"


@pytest.fixture
def world(db):
    return build_world(db)


def record_grievance(client, **fields):
    data = {
        "phone": WALK_IN,
        "language": "zu",
        "category": "payment",
        "place": "district:eThekwini",
        "description": "My grant stopped in May and nobody answers the phone.",
    } | fields
    return submit(client, "/staff/record/grievance", data)


def test_an_officer_records_a_walk_in_complaint(client, db, world):
    officer = world.staff["triage_officer"]
    as_staff(client, officer)
    recorded = record_grievance(client)
    assert recorded.status_code == 302
    page = client.get(recorded.headers["Location"]).get_data(as_text=True)
    with db.read() as session:
        grievance = session.scalars(select(Grievance)).one()
        citizen = session.get(Citizen, grievance.citizen_id)
        created = session.scalars(select(CaseEvent).where(CaseEvent.case_id == grievance.id)).one()
        sms = session.scalars(select(OutboundMessage)).one()
    assert grievance.channel == "assisted" and grievance.district == "eThekwini"
    assert citizen.phone == WALK_IN_E164 and citizen.language == "zu"
    # The timeline names the officer who took it down, not the citizen.
    assert created.actor_type == "staff" and created.actor_staff_id == officer.id
    assert (sms.to, sms.template, sms.language) == (WALK_IN_E164, "grievance_lodged", "zu")
    assert grievance.reference[:4] in page.replace(" ", "") and "Open the case" in page
    # It reaches the triage queue like any complaint, findable by its channel.
    queue = client.get("/staff/grievances?channel=assisted").get_data(as_text=True)
    assert f"/staff/cases/{grievance.reference}" in queue
    # The confirmation shows once.
    assert client.get("/staff/record/done").status_code == 302


def test_a_double_click_records_one_complaint(client, db, world):
    as_staff(client, world.staff["case_officer"])
    page = client.get("/staff/record/grievance").get_data(as_text=True)
    key = page.split('name="key" type="hidden" value="')[1].split('"')[0]
    data = {
        "csrf_token": token(page),
        "key": key,
        "phone": WALK_IN,
        "language": "en",
        "category": "payment",
        "place": "district:eThekwini",
        "description": "Grant stopped.",
    }
    assert client.post("/staff/record/grievance", data=data).status_code == 302
    assert client.post("/staff/record/grievance", data=data).status_code == 302
    with db.read() as session:
        assert len(session.scalars(select(Grievance)).all()) == 1
        assert len(session.scalars(select(OutboundMessage)).all()) == 1


def test_an_anonymous_walk_in_gets_a_pin_shown_once_and_no_citizen_is_kept(client, db, world):
    as_staff(client, world.staff["triage_officer"])
    recorded = record_grievance(client, phone="", anonymous="y", category="fraud_corruption")
    page = client.get(recorded.headers["Location"]).get_data(as_text=True)
    assert "PIN" in page and "shown only once" in page
    with db.read() as session:
        grievance = session.scalars(select(Grievance)).one()
        assert grievance.anonymous and grievance.citizen_id is None
        assert session.scalars(select(Citizen).where(Citizen.phone == WALK_IN_E164)).first() is None
        assert session.scalars(select(OutboundMessage)).first() is None  # no number, no SMS


def test_a_missing_or_wrong_number_re_renders_and_stores_nothing(client, db, world):
    as_staff(client, world.staff["triage_officer"])
    missing = record_grievance(client, phone="")
    assert missing.status_code == 200
    assert "s mobile number" in missing.get_data(as_text=True)
    wrong = record_grievance(client, phone="12345")
    assert wrong.status_code == 200 and "There is a problem" in wrong.get_data(as_text=True)
    # What the officer typed is still there to correct.
    assert "My grant stopped in May" in wrong.get_data(as_text=True)
    with db.read() as session:
        assert session.scalars(select(Case)).first() is None


def test_an_officer_records_an_application_including_an_office_only_service(client, db, world):
    office_only = create_service(db, world.other, channels=["assisted"])
    officer = world.other_officer
    as_staff(client, officer)
    services = client.get("/staff/record/application").get_data(as_text=True)
    assert f"/staff/record/application/{office_only.code}" in services
    path = f"/staff/record/application/{office_only.code}"
    too_many = submit(client, path, {"phone": WALK_IN, "language": "xh", "answer_children": "99"})
    assert too_many.status_code == 200 and "There is a problem" in too_many.get_data(as_text=True)
    done = submit(
        client,
        path,
        {"phone": WALK_IN, "name": "N. Dlamini", "language": "xh", "answer_children": "2"},
    )
    assert done.status_code == 302
    with db.read() as session:
        application = session.scalars(select(Application)).one()
        sms = session.scalars(select(OutboundMessage)).one()
        audit = session.scalars(
            select(AuditLog).where(AuditLog.action == "application.submitted")
        ).one()
    assert application.channel == "assisted" and application.answers == {"children": 2}
    assert application.service_id == office_only.id
    assert (sms.to, sms.template, sms.language) == (WALK_IN_E164, "application_submitted", "xh")
    assert audit.actor_staff_id == officer.id and audit.channel == "assisted"
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert f"/staff/cases/{application.reference}" in page  # their own agency's: they can open it


def test_an_unknown_service_is_a_404(client, world):
    as_staff(client, world.staff["case_officer"])
    assert client.get("/staff/record/application/no-such-service").status_code == 404
