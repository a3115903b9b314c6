"""Edges found in review: each one a thing a user would have noticed."""

import datetime as dt
import io
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from casework.actors import Actor
from casework.documents import documents_of_case, store
from casework.errors import NotPermitted
from casework.models import AuditLog, Citizen, Grievance, utcnow
from casework.seed_demo import seed_demo
from casework.services import lodge_grievance, refer, submit_application, transition
from casework.services.triage import reclassify
from tests.casework.scenes import build_world
from tests.portal.web import as_staff, sign_in, submit, token


def test_only_the_receiving_agency_answers_a_referral(client, db):
    world = build_world(db)
    referral = refer(
        db,
        world.actor("case_officer"),
        to_agency_id=world.other.id,
        citizen_id=world.citizen.id,
        reason="Food.",
    )
    with pytest.raises(NotPermitted):
        transition(db, referral.id, "accepted", world.actor("case_officer"))
    as_staff(client, world.staff["case_officer"])
    page = client.get(f"/staff/cases/{referral.reference}").get_data(as_text=True)
    assert 'value="accepted"' not in page and 'value="cancelled"' in page
    transition(db, referral.id, "accepted", Actor.staff(world.other_officer))


def test_a_referral_declined_comes_back_to_the_senders_queue(client, db):
    world = build_world(db)
    referral = refer(
        db,
        world.actor("case_officer"),
        to_agency_id=world.other.id,
        citizen_id=world.citizen.id,
        reason="Food.",
    )
    transition(db, referral.id, "declined", Actor.staff(world.other_officer), reason="None.")
    as_staff(client, world.staff["case_officer"])
    assert referral.reference[:4] in client.get("/staff/referrals").get_data(as_text=True)
    assert referral.reference[:4] in client.get("/staff").get_data(as_text=True)


def test_a_complaint_of_only_spaces_is_asked_again_not_a_crash(client, db):
    seed_demo(db, with_staff=False)
    page = submit(
        client,
        "/complaint",
        {
            "category": "payment",
            "place": "district:eThekwini",
            "description": "   \x00  ",
            "anonymous": "yes",
        },
    ).get_data(as_text=True)
    assert "<title>Error: Make a complaint" in page and "Describe what happened" in page


def test_my_details_shows_what_the_citizen_chose_by_sms(client, db):
    seed_demo(db, with_staff=False)
    sign_in(client, db)
    with db.transaction() as session:
        session.scalars(select(Citizen)).one().sms_opted_out = True
    page = client.get("/my-details").get_data(as_text=True)
    assert '<input checked id="sms-1" name="sms" type="radio" value="no">' in page
    submit(client, "/my-details", {"language": "en", "sms": "no"})
    with db.read() as session:
        assert session.scalars(select(Citizen)).one().sms_opted_out is True


def test_behind_a_proxy_limits_count_each_citizens_address(make_app, database_url, db):
    app = make_app({"DATABASE_URL": database_url, "PROXY_COUNT": "1"})
    client = app.test_client()
    for n in range(12):
        headers = {"X-Forwarded-For": f"198.51.100.{n}"}
        page = client.get("/sign-in", headers=headers).get_data(as_text=True)
        response = client.post(
            "/sign-in",
            headers=headers,
            data={"phone": f"+278212300{n:02d}", "csrf_token": token(page)},
        )
        assert response.status_code == 302


def test_an_anonymous_case_opened_by_pin_closes_again(client, db):
    seed_demo(db, with_staff=False)
    lodged = lodge_grievance(
        db,
        phone=None,
        category="payment",
        description="x",
        channel="web",
        language="en",
        country="ZA",
        district="eThekwini",
        anonymous=True,
    )
    submit(client, "/track", {"reference": lodged.grievance.reference, "pin": lodged.pin})
    assert client.get("/track/case").status_code == 200
    with client.session_transaction() as session:
        session["pin_case"]["until"] = time.time() - 1
        session.modified = True
    assert client.get("/track/case").status_code == 404


def test_reclassifying_as_abuse_brings_the_deadline_to_24_hours(db):
    world = build_world(db)
    grievance = lodge_grievance(
        db,
        phone=world.citizen.phone,
        category="payment",
        description="x",
        channel="web",
        language="en",
        country="ZA",
        district="eThekwini",
    ).grievance
    reclassify(
        db, grievance.id, world.actor("triage_officer"), category="child_abuse", priority="urgent"
    )
    with db.read() as session:
        due = session.get(Grievance, grievance.id).due_at
    assert due - grievance.created_at <= dt.timedelta(hours=24, seconds=1)
    assert due > utcnow()


def test_staff_document_downloads_are_audited(client, db, app):
    world = build_world(db)
    stored = store(Path(app.config["DOCUMENTS_DIR"]), io.BytesIO(b"%PDF-1.4 x"), "id.pdf")
    application = submit_application(
        db,
        phone=world.citizen.phone,
        service_id=world.service.id,
        answers={"children": 1},
        channel="web",
        language="en",
        documents=[stored.as_dict()],
    )
    document_id = documents_of_case(db, application.id)[0].id
    as_staff(client, world.other_officer)
    with client.get(f"/staff/documents/{document_id}") as response:
        assert response.status_code == 200
    with db.read() as session:
        row = session.scalars(select(AuditLog).where(AuditLog.action == "document.viewed")).one()
    assert row.case_id == application.id and row.actor_staff_id == world.other_officer.id
