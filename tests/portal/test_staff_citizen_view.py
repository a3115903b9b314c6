"""One citizen across agencies: cases, referrals and messages, limited to the viewer's scope,
every look written to the audit log."""

import re

import pytest
from sqlalchemy import select

from casework.models import AuditLog, InboundMessage
from casework.services import lodge_grievance, refer, submit_application
from tests.casework.scenes import build_world
from tests.factories import create_citizen
from tests.portal.web import as_staff


@pytest.fixture
def world(db):
    world = build_world(db)
    # The intake agency holds a complaint; the other agency an application and a referral.
    world.grievance = lodge_grievance(
        db,
        phone=world.citizen.phone,
        category="payment",
        description="Late payment.",
        channel="ussd",
        language="zu",
        country="ZA",
        district="eThekwini",
    ).grievance
    world.application = submit_application(
        db,
        phone=world.citizen.phone,
        service_id=world.service.id,
        answers={"children": 1},
        channel="web",
        language="zu",
    )
    world.referral = refer(
        db,
        world.actor("case_officer"),
        to_agency_id=world.other.id,
        reason="Needs a grant.",
        source_case_id=world.grievance.id,
    )
    with db.transaction() as session:
        session.add(
            InboundMessage(
                gateway_id="in-1",
                sender=world.citizen.phone,
                to="3210",
                text="Please call me back about my grant",
                command="other",
                citizen_id=world.citizen.id,
            )
        )
    return world


def record_page(client, world):
    return client.get(f"/staff/citizens/{world.citizen.id}")


def test_the_record_shows_every_case_referral_and_sms_in_scope(client, db, world):
    as_staff(client, world.staff["administrator"])
    page = record_page(client, world).get_data(as_text=True)
    for case in (world.grievance, world.application, world.referral):
        assert f"/staff/cases/{case.reference}" in page
    assert "Referrals" in page and "SASSA" in page and "DSD" in page
    # The SMS as the citizen read them (in isiZulu when the catalog exists; the reference
    # is in every language).
    assert page.count('class="text"') >= 3
    assert "Please call me back about my grant" in page


def test_each_agency_sees_only_its_side(client, world):
    as_staff(client, world.other_officer)  # the other agency's case officer
    page = record_page(client, world).get_data(as_text=True)
    assert f"/staff/cases/{world.application.reference}" in page
    assert f"/staff/cases/{world.referral.reference}" in page  # referred to them
    assert f"/staff/cases/{world.grievance.reference}" not in page
    assert "Please call me back" not in page  # a case officer does not read the inbox


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("triage_officer", True),
        ("case_officer", True),
        ("supervisor", True),
        ("administrator", True),
        ("stranger", False),
    ],
)
def test_a_citizen_out_of_scope_looks_like_no_citizen(client, db, world, role, visible):
    if role == "stranger":
        # A citizen whose only case belongs to an agency the viewer has nothing to do with.
        loner = create_citizen(db, phone="+27825550000", language="en")
        submit_application(
            db,
            phone=loner.phone,
            service_id=world.intake_service.id,
            answers={"children": 1},
            channel="web",
            language="en",
        )
        as_staff(client, world.other_officer)
        citizen_id, phone = loner.id, "082 555 0000"
    else:
        as_staff(client, world.staff[role])
        citizen_id, phone = world.citizen.id, "082 123 4567"
    record = client.get(f"/staff/citizens/{citizen_id}")
    found = client.get(f"/staff/citizens?phone={phone}")
    unknown = client.get("/staff/citizens?phone=0829999999")
    assert client.get("/staff/citizens/999999").status_code == 404
    if visible:
        assert record.status_code == 200
        assert found.headers["Location"] == f"/staff/citizens/{citizen_id}"
    else:
        assert record.status_code == 404
        # Searching by number says the same as for a number nobody has. (The CSRF token is
        # signed with the second it was made: two requests can straddle one.)
        assert found.status_code == 200
        assert _without_csrf(found.get_data(as_text=True)).replace(phone, "") == _without_csrf(
            unknown.get_data(as_text=True)
        ).replace("0829999999", "")


def test_every_look_at_a_record_is_audited(client, db, world):
    officer = world.staff["supervisor"]
    as_staff(client, officer)
    record_page(client, world)
    record_page(client, world)
    client.get("/staff/citizens?phone=082 123 4567")  # finding is not reading
    with db.read() as session:
        looks = session.scalars(select(AuditLog).where(AuditLog.action == "citizen.viewed")).all()
    assert len(looks) == 2
    assert {(a.actor_staff_id, a.citizen_id) for a in looks} == {(officer.id, world.citizen.id)}


def test_a_mistyped_number_gets_a_clear_message(client, world):
    as_staff(client, world.staff["triage_officer"])
    page = client.get("/staff/citizens?phone=hello").get_data(as_text=True)
    assert "Enter a mobile number" in page


def test_the_case_page_links_to_the_citizen(client, world):
    as_staff(client, world.staff["triage_officer"])
    page = client.get(f"/staff/cases/{world.grievance.reference}").get_data(as_text=True)
    assert f'href="/staff/citizens/{world.citizen.id}"' in page


def _without_csrf(page: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*>', "", page)
