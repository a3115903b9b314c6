"""Referrals between agencies and application review, through the staff console, and the
citizen answering a request for more information on the web."""

import pytest
from sqlalchemy import select

from casework.i18n import translations
from casework.models import Case, Referral
from casework.services import lodge_grievance, submit_application
from tests.casework.scenes import build_world
from tests.portal.web import as_staff, sign_in, sms_templates, staff_act, submit


@pytest.fixture
def world(db):
    return build_world(db)


def test_refer_from_a_case_then_the_other_agency_accepts_and_completes(client, db, world):
    grievance = lodge_grievance(
        db,
        phone=world.citizen.phone,
        category="payment",
        description="No grant.",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
    ).grievance
    as_staff(client, world.staff["case_officer"])
    sent = staff_act(
        client,
        grievance.reference,
        "refer",
        destination=f"{world.other.id}:{world.service.id}",
        urgency="urgent",
        reason="Grant stopped in May.",
    )
    assert sent.status_code == 302
    with db.read() as session:
        referral = session.scalars(select(Referral)).one()
    assert referral.source_case_id == grievance.id and referral.urgency == "urgent"
    assert sms_templates(db, referral.id) == ["referral_sent"]
    # The receiving agency's queue shows it; their officer accepts, starts, completes.
    receiver = client.application.test_client()
    as_staff(receiver, world.other_officer)
    listed = receiver.get("/staff/referrals").get_data(as_text=True)
    assert referral.reference[:4] in listed
    for target in ("accepted", "in_progress", "completed"):
        assert (
            staff_act(receiver, referral.reference, "status", target=target, reason="").status_code
            == 302
        )
    assert sms_templates(db, referral.id) == [
        "referral_sent",
        "referral_accepted",
        "referral_completed",
    ]
    # Both agencies see the one timeline.
    page = client.get(f"/staff/cases/{referral.reference}").get_data(as_text=True)
    assert "completed" in page and "Grant stopped in May." in page


def test_a_declined_referral_goes_back_to_the_sender_with_the_reason(client, db, world):
    as_staff(client, world.staff["case_officer"])
    response = submit(
        client,
        "/staff/refer",
        {
            "phone": "082 123 4567",
            "destination": f"{world.other.id}:",
            "urgency": "normal",
            "reason": "Needs food parcels.",
        },
    )
    reference = response.headers["Location"].rsplit("/", 1)[1]
    receiver = client.application.test_client()
    as_staff(receiver, world.other_officer)
    refused = staff_act(receiver, reference, "status", target="declined", reason="")
    assert "Give a reason" in refused.get_data(as_text=True)
    staff_act(receiver, reference, "status", target="declined", reason="We have no parcels left.")
    sender_page = client.get(f"/staff/cases/{reference}").get_data(as_text=True)
    assert "declined" in sender_page and "We have no parcels left." in sender_page


def test_refer_a_citizen_who_never_used_thusa_explains(client, db, world):
    as_staff(client, world.staff["case_officer"])
    page = submit(
        client,
        "/staff/refer",
        {
            "phone": "082 999 0000",
            "destination": f"{world.other.id}:",
            "urgency": "normal",
            "reason": "x",
        },
    ).get_data(as_text=True)
    assert "No citizen with that number has used Thusa yet" in page


def test_application_review_more_information_answered_on_the_web_then_approved(client, db, world):
    application = submit_application(
        db,
        phone=world.citizen.phone,
        service_id=world.service.id,
        answers={"children": 2},
        channel="ussd",
        language="en",
    )
    officer = client.application.test_client()
    as_staff(officer, world.other_officer)
    assert application.reference[:4] in officer.get("/staff/applications").get_data(as_text=True)
    staff_act(officer, application.reference, "status", target="under_review", reason="")
    staff_act(
        officer,
        application.reference,
        "status",
        target="more_info_needed",
        reason="Please send the child's birth certificate number.",
    )
    assert sms_templates(db, application.id)[-1] == "application_more_info"
    # The citizen answers on the web; the application goes back to review.
    sign_in(client, db, phone=world.citizen.phone)
    page = client.get(f"/my-cases/{application.reference}").get_data(as_text=True)
    # The citizen reads isiZulu; the officer's words are shown as written.
    asked = translations(world.citizen.language).gettext("We need more information")
    assert asked in page and "birth certificate number" in page
    answered = submit(
        client, f"/my-cases/{application.reference}", {"answer": "It is 2101015009081."}
    )
    assert answered.headers["Location"].endswith("?answered=1")
    with db.read() as session:
        assert session.get(Case, application.id).status == "under_review"
    staff_act(officer, application.reference, "status", target="approved", reason="")
    assert sms_templates(db, application.id)[-1] == "application_approved"
    staff_page = officer.get(f"/staff/cases/{application.reference}").get_data(as_text=True)
    assert "It is 2101015009081." in staff_page and "children" in staff_page
