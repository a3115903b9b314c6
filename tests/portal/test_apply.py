"""Applying for a service on the web, with supporting documents."""

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from casework.models import Application, Document, OutboundMessage
from casework.seed_demo import seed_demo
from tests.portal.web import sign_in, submit, token

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
PDF = b"%PDF-1.4\n" + b"x" * 200
ANSWERS = {
    "answer_primary_caregiver": "yes",
    "answer_children": "2",
    "answer_youngest_child_id": "8001015009087",
    "answer_monthly_income": "0",
    "answer_married": "no",
}


@pytest.fixture
def signed_in(client, db):
    # A small cap, so the oversized test stays below the size werkzeug spools to disk.
    client.application.config["DOCUMENT_MAX_BYTES"] = 100 * 1024
    seed_demo(db, with_staff=False)
    sign_in(client, db)
    return client


def post_form(client, path, data, files=()):
    page = client.get(path).get_data(as_text=True)
    payload = {
        **data,
        "csrf_token": token(page),
        "documents": [(io.BytesIO(content), name) for name, content in files],
    }
    return client.post(path, data=payload, content_type="multipart/form-data")


def test_apply_asks_you_to_sign_in_first(client, db):
    seed_demo(db, with_staff=False)
    response = client.get("/apply/child-support-grant")
    assert response.headers["Location"] == "/sign-in?next=/apply/child-support-grant"


def test_apply_with_a_document_check_and_send(signed_in, db, app):
    response = post_form(
        signed_in, "/apply/child-support-grant", ANSWERS, files=[("birth certificate.png", PNG)]
    )
    assert response.headers["Location"] == "/apply/child-support-grant/check"
    check = signed_in.get("/apply/child-support-grant/check").get_data(as_text=True)
    assert "8001015009087" in check and "birth certificate.png" in check
    sent = submit(signed_in, "/apply/child-support-grant/check", {})
    assert sent.headers["Location"] == "/apply/child-support-grant/sent"
    page = signed_in.get(sent.headers["Location"]).get_data(as_text=True)
    with db.read() as session:
        application = session.scalars(select(Application)).one()
        document = session.scalars(select(Document)).one()
        sms = session.scalars(
            select(OutboundMessage).where(OutboundMessage.template == "application_submitted")
        ).one()
    assert application.channel == "web" and application.answers["children"] == 2
    assert application.answers["primary_caregiver"] is True
    assert application.answers["monthly_income"] == 0
    assert application.reference[:4] in page and sms.to == "+27821234567"
    assert document.case_id == application.id and document.content_type == "image/png"
    stored = Path(app.config["DOCUMENTS_DIR"]) / document.stored_name
    assert stored.read_bytes() == PNG
    assert "birth" not in document.stored_name  # a random name, never the citizen's
    # The owner can fetch it back, as a download.
    with signed_in.get(f"/documents/{document.id}") as download:
        assert download.status_code == 200 and download.data == PNG
        assert download.headers["Content-Disposition"].startswith("attachment")


def test_documents_are_served_to_their_owner_only(signed_in, db, make_app, database_url):
    post_form(signed_in, "/apply/child-support-grant", ANSWERS, files=[("a.pdf", PDF)])
    submit(signed_in, "/apply/child-support-grant/check", {})
    with db.read() as session:
        document = session.scalars(select(Document)).one()
    stranger = signed_in.application.test_client()
    sign_in(stranger, db, phone="+27839999999")
    assert stranger.get(f"/documents/{document.id}").status_code == 404
    assert (
        signed_in.application.test_client().get(f"/documents/{document.id}").status_code == 302
    )  # not signed in: off to sign in


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg", b"just some text, not a photo", "Upload a photo (JPG or PNG) or a PDF"),
        ("script.png", b"<script>alert(1)</script>", "Upload a photo (JPG or PNG) or a PDF"),
        ("big.pdf", b"%PDF-" + b"x" * (100 * 1024), "Each file must be smaller than 100 KB"),
        ("empty.png", b"", "The file you chose is empty"),
    ],
)
def test_a_wrong_or_oversized_document_is_refused_and_nothing_kept(
    signed_in, db, app, name, content, message
):
    response = post_form(signed_in, "/apply/child-support-grant", ANSWERS, files=[(name, content)])
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert "<title>Error: Apply: Child Support Grant" in page
    docs = Path(app.config["DOCUMENTS_DIR"])
    assert not docs.exists() or not any(docs.iterdir())


def test_a_file_name_with_path_tricks_is_kept_as_a_plain_name(signed_in, db, app):
    post_form(
        signed_in, "/apply/child-support-grant", ANSWERS, files=[("../../../etc/passwd.png", PNG)]
    )
    submit(signed_in, "/apply/child-support-grant/check", {})
    with db.read() as session:
        document = session.scalars(select(Document)).one()
    assert document.original_name == "passwd.png"
    assert (Path(app.config["DOCUMENTS_DIR"]) / document.stored_name).exists()


def test_a_wrong_answer_is_shown_next_to_its_question(signed_in):
    page = post_form(
        signed_in,
        "/apply/child-support-grant",
        {**ANSWERS, "answer_youngest_child_id": "8001015009088", "answer_married": ""},
    ).get_data(as_text=True)
    assert "<title>Error: Apply: Child Support Grant" in page
    assert 'href="#answer_youngest_child_id"' in page and "mistyped" in page
    assert 'href="#answer_married-0"' in page and "Answer this question" in page
    assert 'value="2"' in page  # what they typed is still there


def test_a_service_not_offered_online_has_no_web_form(signed_in):
    assert signed_in.get("/apply/identity-document").status_code == 404
    assert signed_in.get("/apply/no-such-service").status_code == 404


def test_an_upload_past_the_request_limit_gets_a_page_that_says_so(signed_in):
    signed_in.application.config["MAX_CONTENT_LENGTH"] = 50 * 1024
    response = post_form(
        signed_in,
        "/apply/child-support-grant",
        ANSWERS,
        files=[("huge.png", PNG + b"\x00" * (60 * 1024))],
    )
    assert response.status_code == 413
    assert "That upload is too big" in response.get_data(as_text=True)
