"""Making a complaint and tracking a case on the web."""

import pytest
from sqlalchemy import select

from casework.models import Grievance, OutboundMessage
from casework.seed_demo import seed_demo
from casework.services import lodge_grievance
from tests.portal.web import last_code, sign_in, submit


@pytest.fixture
def directory(db):
    seed_demo(db, with_staff=False)
    return db


def office_value(page: str, name_part: str) -> str:
    import re

    match = re.search(rf'value="(office:\d+)">[^<]*{name_part}', page)
    assert match, name_part
    return match.group(1)


def complaint(client, **overrides):
    data = {
        "category": "service_delay",
        "place": "district:eThekwini",
        "description": "I waited 6 hours and was sent home.\nNobody explained why.",
        "anonymous": "no",
    }
    return submit(client, "/complaint", data | overrides)


def test_named_complaint_asks_to_sign_in_then_sends_and_shows_the_reference(client, directory):
    assert complaint(client).headers["Location"] == "/complaint/check"
    check = client.get("/complaint/check").get_data(as_text=True)
    assert "I waited 6 hours" in check and "eThekwini" in check
    needs_sign_in = submit(client, "/complaint/check", {})
    assert needs_sign_in.headers["Location"] == "/sign-in?next=/complaint/check"
    sign_in(client, directory, next_page="/complaint/check")
    sent = submit(client, "/complaint/check", {})
    assert sent.headers["Location"] == "/complaint/sent"
    page = client.get("/complaint/sent").get_data(as_text=True)
    with directory.read() as session:
        grievance = session.scalars(select(Grievance)).one()
        assert grievance.channel == "web" and grievance.citizen.phone == "+27821234567"
        assert grievance.description.endswith("Nobody explained why.")
    assert grievance.reference[:4] in page and "PIN" not in page
    assert client.get("/complaint/sent").headers["Location"] == "/"  # shown once


def test_anonymous_complaint_shows_reference_and_pin_once_and_keeps_no_number(client, directory):
    page = client.get("/complaint").get_data(as_text=True)
    complaint(client, anonymous="yes", sms_to="083 000 0007", place=office_value(page, "Durban"))
    submit(client, "/complaint/check", {})
    done = client.get("/complaint/sent").get_data(as_text=True)
    assert "Your PIN" in done
    with directory.read() as session:
        grievance = session.scalars(select(Grievance)).one()
        sms = session.scalars(select(OutboundMessage)).one()
    assert grievance.citizen_id is None and grievance.office_id is not None
    assert sms.to == "+27830000007" and sms.params["pin"] in done


def test_anonymous_complaint_without_a_number_still_gets_its_reference(client, directory):
    complaint(client, anonymous="yes")
    submit(client, "/complaint/check", {})
    assert "Your PIN" in client.get("/complaint/sent").get_data(as_text=True)
    with directory.read() as session:
        assert session.scalars(select(OutboundMessage)).all() == []


def test_complaint_errors_are_summarised_and_nothing_is_lost(client, directory):
    response = complaint(client, category="", description="x" * 2001, anonymous="")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Make a complaint" in page
    assert 'href="#category-0"' in page and 'href="#anonymous-0"' in page
    assert "Use 2000 characters or fewer" in page
    assert "x" * 2001 in page  # what they typed is still there to fix


def test_complaint_description_is_shown_escaped(client, directory):
    complaint(client, description="<script>alert('x')</script> & more")
    page = client.get("/complaint/check").get_data(as_text=True)
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_track_with_a_pin(client, directory):
    lodged = lodge_grievance(
        directory,
        phone=None,
        category="fraud_corruption",
        description="Bribe asked.",
        channel="web",
        language="en",
        country="ZA",
        district="eThekwini",
        anonymous=True,
    )
    wrong = submit(
        client,
        "/track",
        {
            "reference": lodged.grievance.reference,
            "pin": "0000" if lodged.pin != "0000" else "1111",
        },
    )
    assert "That reference and PIN do not match" in wrong.get_data(as_text=True)
    right = submit(client, "/track", {"reference": lodged.grievance.reference, "pin": lodged.pin})
    assert right.headers["Location"] == "/track/case"
    page = client.get("/track/case").get_data(as_text=True)
    assert "Fraud or corruption" in page and "Received" in page


def test_track_with_the_phone_sends_a_code_and_opens_only_your_own_case(client, directory):
    mine = lodge_grievance(
        directory,
        phone="+27821234567",
        category="payment",
        description="Late.",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
    ).grievance
    response = submit(
        client, "/track", {"reference": f"G {mine.reference}", "phone": "082 123 4567"}
    )
    assert response.headers["Location"].startswith("/sign-in/code")
    code = last_code(directory, "+27821234567")
    opened = submit(client, response.headers["Location"], {"code": code})
    assert opened.headers["Location"] == f"/my-cases/{mine.reference}"
    page = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert "Grant or payment problem" in page and "Received" in page
    # Someone else's reference answers exactly like a made-up one.
    theirs = lodge_grievance(
        directory,
        phone="+27839999999",
        category="payment",
        description="Late.",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
    ).grievance
    assert client.get(f"/my-cases/{theirs.reference}").status_code == 404
    assert client.get("/my-cases/4827193506").status_code == 404


def test_track_needs_a_phone_or_a_pin(client, directory):
    page = submit(client, "/track", {"reference": "1234"}).get_data(as_text=True)
    assert "<title>Error: Track with a reference number" in page
    assert "A reference number has 10 digits" in page
    assert "Enter your mobile number, or the PIN" in page


def test_my_cases_lists_your_cases_with_their_timelines(client, directory):
    sign_in(client, directory)
    lodge_grievance(
        directory,
        phone="+27821234567",
        category="staff_conduct",
        description="Rude.",
        channel="web",
        language="en",
        country="ZA",
        district="eThekwini",
    )
    page = client.get("/my-cases").get_data(as_text=True)
    assert "Staff conduct" in page and "received" in page


def test_my_details_saves_language_and_sms_choice(client, directory):
    sign_in(client, directory)
    saved = submit(client, "/my-details", {"language": "xh", "sms": "no"})
    assert saved.headers["Location"] == "/my-details?saved=1"
    page = client.get("/my-details?saved=1").get_data(as_text=True)
    assert '<html lang="xh">' in page
    from casework.models import Citizen

    with directory.read() as session:
        citizen = session.scalars(select(Citizen)).one()
    assert citizen.language == "xh" and citizen.sms_opted_out
