"""Privacy on the web: the notice page in the citizen's language, the line before every
"Send" and at sign-in, consent recorded, a citizen's own data to download (and nobody
else's), and staff lists that mask numbers shown whole only on audited pages."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from sqlalchemy import select

from casework import documents
from casework.masking import mask_phone
from casework.models import AuditLog, PrivacyConsent
from casework.privacy import NOTICE_VERSION
from casework.references import format_reference
from casework.seed_demo import seed_demo
from casework.services import add_note, lodge_grievance, submit_application
from tests.casework.scenes import build_world
from tests.portal.test_staff_inbox import inbound_id, text_in
from tests.portal.web import as_staff, last_code, sign_in, submit

ME, SOMEONE_ELSE = "+27825551234", "+27829998888"
PNG = b"\x89PNG\r\n\x1a\n" + b"my birth certificate" * 8


def test_the_notice_page_is_in_the_readers_language_with_the_retention_age(make_app, database_url):
    app = make_app({"DATABASE_URL": database_url, "RETENTION_DAYS": "30"}, TESTING=True)
    client = app.test_client()
    page = client.get("/privacy").get_data(as_text=True)
    assert "<h1>Privacy notice</h1>" in page and f"Version {NOTICE_VERSION}" in page
    assert "closed for 30 days" in page and "*120*3210*6#" in page
    assert 'href="/sign-in?next=/my-data"' in page
    client.set_cookie("lang", "zu")
    assert '<html lang="zu"' in client.get("/privacy").get_data(as_text=True)


def test_the_default_age_is_five_years(client):
    assert "closed for 5 years" in client.get("/privacy").get_data(as_text=True)


def test_sign_in_says_it_accepts_the_notice_and_records_it(client, db):
    for path in ("/sign-in", "/sign-in/code"):
        with client.session_transaction() as session_data:
            session_data["sign_in_phone"] = ME
        page = client.get(path).get_data(as_text=True)
        assert "Signing in means you accept our privacy notice." in page, path
        assert '<a href="/privacy">Read the privacy notice</a>' in page, path
    sign_in(client, db, ME)
    with db.read() as session:
        [consent] = session.scalars(select(PrivacyConsent)).all()
    assert (consent.channel, consent.how, consent.notice_version) == (
        "web",
        "agreed",
        NOTICE_VERSION,
    )


def test_a_named_complaint_says_what_sending_means_and_records_it_on_send(client, db):
    seed_demo(db, with_staff=False)
    sign_in(client, db, ME)
    with db.transaction() as session:
        session.query(PrivacyConsent).delete()  # as if they signed in before the notice
    complaint = {
        "category": "service_delay",
        "place": "district:eThekwini",
        "description": "Nobody called me back.",
        "anonymous": "no",
    }
    submit(client, "/complaint", complaint)
    check = client.get("/complaint/check").get_data(as_text=True)
    assert "By sending, you accept our privacy notice." in check and 'href="/privacy"' in check
    with db.read() as session:
        assert session.scalars(select(PrivacyConsent)).all() == []  # not before sending
    submit(client, "/complaint/check", {})
    with db.read() as session:
        [consent] = session.scalars(select(PrivacyConsent)).all()
    assert (consent.channel, consent.how) == ("web", "agreed")


def download(client) -> tuple[dict, zipfile.ZipFile, bytes]:
    response = client.get("/my-data")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    return json.loads(archive.read("my-data.json")), archive, response.get_data()


def test_my_data_holds_exactly_the_citizens_own_data(client, db, app):
    world = build_world(db)
    officer = world.actor("triage_officer")
    folder = app.config["DOCUMENTS_DIR"]
    stored = documents.store(Path(folder), io.BytesIO(PNG), "birth.png")
    mine = lodge_grievance(
        db,
        phone=ME,
        category="payment",
        description="My grant was not paid in May.",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
    ).grievance
    add_note(db, mine.id, officer, "INTERNAL: her brother says she moved", public=False)
    add_note(db, mine.id, officer, "We found your file.", public=True)
    application = submit_application(
        db,
        phone=ME,
        service_id=world.intake_service.id,
        answers={"children": 3},
        channel="web",
        language="en",
        documents=[stored.as_dict()],
    )
    theirs = lodge_grievance(
        db,
        phone=SOMEONE_ELSE,
        category="staff_conduct",
        description="SOMEONE ELSE'S secret complaint",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
    ).grievance
    anonymous = lodge_grievance(
        db,
        phone=ME,  # the PIN went to my phone, but an anonymous complaint is nobody's
        category="fraud_corruption",
        description="ANONYMOUS words",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
        anonymous=True,
    ).grievance
    sign_in(client, db, ME)
    code = last_code(db, ME)

    data, archive, raw = download(client)

    assert data["profile"]["phone"] == ME
    references = [case["reference"] for case in data["cases"]]
    assert len(references) == 2 and all(theirs.reference[:4] not in r for r in references)
    grievance = next(case for case in data["cases"] if case["kind"] == "grievance")
    assert grievance["details"]["description"] == "My grant was not paid in May."
    assert [e["message"] for e in grievance["timeline"] if e["message"]] == ["We found your file."]
    applied = next(case for case in data["cases"] if case["kind"] == "application")
    assert applied["details"]["answers"] == {"children": 3}
    [document] = applied["documents"]
    assert archive.read(document["file"]) == PNG
    assert [c["channel"] for c in data["privacy_consents"]] == ["web"]  # signing in
    texts = [sms["text"] for sms in data["sms_to_you"]]
    assert any("you have a new message about" in text for text in texts)
    assert any(text.startswith("**** is your Thusa code") for text in texts)
    # Nothing of anyone else's, no internal note, no code that could sign in again.
    text = raw.decode("latin-1") + json.dumps(data)
    for other in (SOMEONE_ELSE, "SOMEONE ELSE", "INTERNAL", "ANONYMOUS", code):
        assert other not in text, other
    assert format_reference(anonymous.reference) not in json.dumps(data)
    assert len(texts) == 4  # lodged, the new message, applied, the sign-in code
    with db.read() as session:
        [looked] = session.scalars(
            select(AuditLog).where(AuditLog.action == "citizen.data_exported")
        ).all()
    assert looked.citizen_id == application.citizen_id and looked.channel == "web"


def test_my_data_asks_you_to_sign_in_first(client):
    response = client.get("/my-data")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=/my-data")


def test_my_details_links_to_the_download(client, db):
    sign_in(client, db, ME)
    page = client.get("/my-details").get_data(as_text=True)
    assert 'href="/my-data"' in page


def test_numbers_are_masked_in_lists_and_whole_only_on_audited_single_pages(client, db):
    world = build_world(db)
    case = lodge_grievance(
        db,
        phone=ME,
        category="payment",
        description="Late grant.",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
    ).grievance
    text_in(client, "My ID is 8001015009087, call me on 082 123 4567", sender=ME)
    as_staff(client, world.staff["triage_officer"])

    listed = client.get("/staff/inbox").get_data(as_text=True)
    assert ME not in listed and mask_phone(ME) in listed
    assert "8001015009087" not in listed and "**********087" in listed
    assert "082 123 4567" not in listed

    def audited(action: str) -> int:
        with db.read() as session:
            return len(session.scalars(select(AuditLog).where(AuditLog.action == action)).all())

    message_id = inbound_id(db, "My ID is 8001015009087, call me on 082 123 4567")
    one = client.get(f"/staff/inbox/{message_id}").get_data(as_text=True)
    assert ME in one and "8001015009087" in one and audited("sms.viewed") == 1
    page = client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert ME in page and audited("case.viewed") == 1
    citizen_link = re.search(r'href="(/staff/citizens/\d+)"', page)
    assert citizen_link
    record = client.get(citizen_link.group(1)).get_data(as_text=True)
    assert ME in record and audited("citizen.viewed") == 1
