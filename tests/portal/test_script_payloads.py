"""Script payloads typed into every free-text field a citizen (or an officer for them)
fills in are kept exactly as typed and shown as text everywhere: on the citizen's own
pages and in the staff console (case page, citizen record, inbox), and never in a CSV.

Every page the test client receives is also checked for `<script>` and event-handler
attributes (tests/page_checks.py), so an unescaped payload fails twice.
"""

from __future__ import annotations

import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from casework.models import Agency, Application, CaseEvent, Citizen, Grievance, InboundMessage
from casework.seed_demo import seed_demo
from tests.factories import create_staff_user
from tests.portal.web import as_staff, sign_in, staff_act, submit, token

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
LINK = "javascript:alert(3)"
TEMPLATE = "{{7*7}} {% print 7*7 %} ${7*7}"
FORMULA = '=HYPERLINK("http://x.test","y")'
LONG = f"{SCRIPT} {IMG} {LINK} {TEMPLATE} {FORMULA} '&amp;"  # for the long text fields
SHORT = IMG  # fits a 60-character answer
NAME = f"{SCRIPT}{IMG}"
PHONE = "+27821234567"
CHILD_REPORT = "/apply/child-protection-report"


def assert_shown_as_text(page: str, *typed: str) -> None:
    """Each typed text is on the page escaped, and none of its markup is live."""
    for text in typed:
        assert str(escape(text)) in page, text
    lowered = page.lower()
    assert "<script" not in lowered and "<img" not in lowered
    assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", lowered)


@pytest.fixture
def scene(client, db):
    seed_demo(db, with_staff=False)
    with db.read() as session:
        dsd = session.scalars(select(Agency).where(Agency.code == "dsd")).one()
    officer = create_staff_user(db, dsd, "supervisor")
    sign_in(client, db, phone=PHONE)
    staff = client.application.test_client()
    as_staff(staff, officer)
    return staff


def lodge_on_the_web(client) -> str:
    submit(
        client,
        "/complaint",
        {
            "category": "staff_conduct",
            "place": "district:eThekwini",
            "description": LONG,
            "anonymous": "no",
        },
    )
    assert_shown_as_text(client.get("/complaint/check").get_data(as_text=True), LONG)
    assert submit(client, "/complaint/check", {}).headers["Location"] == "/complaint/sent"
    client.get("/complaint/sent")
    return "grievance"


def apply_on_the_web(client) -> None:
    answers = {
        "answer_danger_now": "no",
        "answer_concern": "neglect",
        "answer_child_age": "5",
        "answer_location": SHORT,
        "answer_details": LONG,
    }
    assert submit(client, CHILD_REPORT, answers).headers["Location"].endswith("/check")
    check = client.get(CHILD_REPORT + "/check").get_data(as_text=True)
    assert_shown_as_text(check, SHORT, LONG)
    assert submit(client, CHILD_REPORT + "/check", {}).status_code == 302


def test_script_payloads_are_kept_as_typed_and_shown_as_text(client, db, scene):
    staff = scene
    lodge_on_the_web(client)
    apply_on_the_web(client)
    with db.read() as session:
        grievance = session.scalars(select(Grievance)).one()
        application = session.scalars(select(Application)).one()
    # The officer asks for more; the citizen answers with the payload.
    staff_act(staff, application.reference, "status", target="under_review", reason="")
    staff_act(staff, application.reference, "status", target="more_info_needed", reason="More?")
    answered = submit(client, f"/my-cases/{application.reference}", {"answer": LONG})
    assert answered.status_code == 302
    # An SMS that matched no keyword, for the inbox.
    inbound = {"from": PHONE, "to": "32100", "text": LONG, "id": "ATXid_payload"}
    assert client.post("/sms/inbound", data=inbound).status_code == 200
    # An officer records a complaint for a walk-in whose name is a payload.
    page = staff.get("/staff/record/grievance").get_data(as_text=True)
    recorded = staff.post(
        "/staff/record/grievance",
        data={
            "csrf_token": token(page),
            "key": "k1",
            "phone": "0830000007",
            "name": NAME,
            "language": "en",
            "category": "payment",
            "place": "district:eThekwini",
            "description": LONG,
        },
    )
    assert recorded.status_code == 302

    with db.read() as session:
        # Stored as typed: escaping is the page's job, not the database's.
        assert session.get(Grievance, grievance.id).description == LONG
        answers = session.get(Application, application.id).answers
        assert (answers["location"], answers["details"]) == (SHORT, LONG)
        bodies = session.scalars(
            select(CaseEvent.body).where(CaseEvent.case_id == application.id)
        ).all()
        assert LONG in bodies
        assert session.scalars(select(InboundMessage.text)).one() == LONG
        walk_in = session.scalars(select(Citizen).where(Citizen.name.is_not(None))).one()
        assert walk_in.name == NAME
        citizen_id = session.scalars(select(Citizen.id).where(Citizen.phone == PHONE)).one()
        inbound_id = session.scalars(select(InboundMessage.id)).one()

    # The citizen's own pages.
    assert_shown_as_text(client.get(f"/my-cases/{application.reference}").get_data(True), LONG)
    assert_shown_as_text(client.get("/my-cases").get_data(as_text=True))
    # The staff console.
    assert_shown_as_text(staff.get(f"/staff/cases/{grievance.reference}").get_data(True), LONG)
    application_page = staff.get(f"/staff/cases/{application.reference}").get_data(True)
    assert_shown_as_text(application_page, SHORT, LONG)
    assert_shown_as_text(staff.get(f"/staff/citizens/{citizen_id}").get_data(True), LONG)
    walk_in_page = staff.get(f"/staff/citizens/{walk_in.id}").get_data(as_text=True)
    assert_shown_as_text(walk_in_page, NAME)
    assert f"<title>{escape(NAME)}" in walk_in_page
    assert_shown_as_text(staff.get("/staff/inbox").get_data(as_text=True), SCRIPT)
    assert_shown_as_text(staff.get(f"/staff/inbox/{inbound_id}").get_data(True), LONG)
    assert_shown_as_text(staff.get("/staff/grievances").get_data(as_text=True))
    # A spreadsheet never gets the free text at all, so it cannot run any of it.
    for path in ("/staff/grievances.csv", "/staff/applications.csv"):
        sheet = staff.get(path).get_data(as_text=True)
        assert grievance.reference[:4] in sheet or application.reference[:4] in sheet
        for typed in (SCRIPT, IMG, LINK, "7*7", "HYPERLINK"):
            assert typed not in sheet
