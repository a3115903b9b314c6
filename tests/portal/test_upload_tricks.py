"""Uploads that try something: a program or a web page dressed as a photo or PDF, file
names with folders, drive letters, NUL bytes, direction overrides or 300 characters, too
many files, and bodies past the request limit. Each gets a clear answer; nothing is kept
half-way; what is kept is downloaded as an attachment under a safe name."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casework.documents import MAX_PER_CASE, store
from casework.models import Agency, Document
from casework.seed_demo import seed_demo
from casework.services import submit_application
from tests.casework.scenes import build_world
from tests.factories import create_staff_user
from tests.portal.test_apply import ANSWERS, PDF, PNG, post_form
from tests.portal.web import as_staff, sign_in, submit, token

APPLY = "/apply/child-support-grant"
REFUSED = "Upload a photo (JPG or PNG) or a PDF"


@pytest.fixture
def signed_in(client, db):
    client.application.config["DOCUMENT_MAX_BYTES"] = 100 * 1024
    seed_demo(db, with_staff=False)
    sign_in(client, db)
    return client


def kept(app) -> list[Path]:
    folder = Path(app.config["DOCUMENTS_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


def document_rows(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count(Document.id))) or 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),  # a Windows program
        ("photo.png", b"<!DOCTYPE html><html><body><script>alert(1)</script>"),
        ("chart.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("scan.jpg", b"GIF89a\x01\x00\x01\x00" + b"\x00" * 50),
        ("letter.pdf", b"PK\x03\x04" + b"\x00" * 100),  # a zip (or .docx)
        ("notes.pdf", b" %PDF-1.4 starts one byte late"),
    ],
)
def test_upload_disguised_file_is_refused_by_its_content(signed_in, db, app, name, content):
    page = post_form(signed_in, APPLY, ANSWERS, files=[(name, content)]).get_data(as_text=True)
    assert REFUSED in page and "<title>Error: " in page
    assert kept(app) == [] and document_rows(db) == 0


def test_upload_type_is_read_from_the_bytes_not_the_browsers_word(signed_in, db):
    page = signed_in.get(APPLY).get_data(as_text=True)
    # A PNG the browser calls a web page, and a PDF it calls an image: kept as what they are.
    files = [(io.BytesIO(PNG), "photo.png", "text/html"), (io.BytesIO(PDF), "id.pdf", "image/png")]
    signed_in.post(
        APPLY,
        data={**ANSWERS, "csrf_token": token(page), "documents": files},
        content_type="multipart/form-data",
    )
    submit(signed_in, APPLY + "/check", {})
    with db.read() as session:
        documents = session.scalars(select(Document).order_by(Document.id)).all()
    assert [d.content_type for d in documents] == ["image/png", "application/pdf"]
    with signed_in.get(f"/documents/{documents[0].id}") as download:
        assert download.mimetype == "image/png"
        assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "shown", "saved_as"),
    [
        ("../../etc/passwd", PNG, "passwd", "passwd.png"),
        ("C:\\boot.ini", PDF, "boot.ini", "boot.ini.pdf"),
        ("scan\x00.exe.png", PNG, "scan.exe.png", "scan.exe.png"),
        ("a" * 300 + ".pdf", PDF, "a" * 116 + ".pdf", "a" * 116 + ".pdf"),
        ("invoice\u202egnp.exe", PNG, "invoicegnp.exe", "invoicegnp.exe.png"),
        ("letter.html", PDF, "letter.html", "letter.html.pdf"),
        ("..", PNG, "document", "document.png"),
        ("a<b>|c?*.pdf", PDF, "a_b__c__.pdf", "a_b__c__.pdf"),
        ("file.pdf:evil.exe", PDF, "file.pdf_evil.exe", "file.pdf_evil.exe.pdf"),
    ],
)
def test_upload_file_name_tricks_are_kept_plain_and_downloaded_safely(
    signed_in, db, app, tmp_path, name, content, shown, saved_as
):
    response = post_form(signed_in, APPLY, ANSWERS, files=[(name, content)])
    assert response.headers["Location"] == APPLY + "/check"
    submit(signed_in, APPLY + "/check", {})
    with db.read() as session:
        document = session.scalars(select(Document)).one()
    assert document.original_name == shown
    # Kept under our random name in DOCUMENTS_DIR, and nowhere else.
    assert [path.name for path in kept(app)] == [document.stored_name]
    assert not list(tmp_path.rglob("passwd")) and not list(tmp_path.rglob("boot.ini"))
    with signed_in.get(f"/documents/{document.id}") as download:
        assert download.status_code == 200 and download.data == content
        disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition
    assert f'filename="{saved_as}"' in disposition or f"filename={saved_as}" in disposition


def test_staff_download_of_a_pdf_named_html_ends_in_pdf(client, db, app):
    """An officer's browser must not open a citizen's file as a page of its own."""
    world = build_world(db)
    stored = store(Path(app.config["DOCUMENTS_DIR"]), io.BytesIO(PDF), "report.html")
    application = submit_application(
        db,
        phone=world.citizen.phone,
        service_id=world.service.id,
        answers={"children": 1},
        channel="web",
        language="en",
        documents=[stored.as_dict()],
    )
    with db.read() as session:
        document_id = session.scalars(
            select(Document.id).where(Document.case_id == application.id)
        ).one()
    as_staff(client, world.other_officer)
    with client.get(f"/staff/documents/{document_id}") as download:
        assert download.mimetype == "application/pdf"
        assert download.headers["Content-Disposition"] == "attachment; filename=report.html.pdf"


def test_upload_one_refused_file_among_good_ones_keeps_none(signed_in, db, app):
    """Regression: the files before the refused one stayed on disk, belonging to nobody."""
    files = [("a.png", PNG), ("b.pdf", PDF), ("c.pdf", b"MZ not a pdf")]
    page = post_form(signed_in, APPLY, ANSWERS, files=files).get_data(as_text=True)
    assert REFUSED in page
    assert kept(app) == []
    # Chosen again without the bad one, both are kept.
    post_form(signed_in, APPLY, ANSWERS, files=files[:2])
    submit(signed_in, APPLY + "/check", {})
    assert len(kept(app)) == 2 and document_rows(db) == 2


def test_upload_more_documents_than_an_application_takes_is_refused(signed_in, db, app):
    """Regression: an application took any number of documents, a few more on every
    visit to its form: a way to fill the server's disk."""
    too_many = [(f"page{n}.png", PNG) for n in range(MAX_PER_CASE + 1)]
    page = post_form(signed_in, APPLY, ANSWERS, files=too_many).get_data(as_text=True)
    assert f"Add at most {MAX_PER_CASE} documents" in page and kept(app) == []
    # Three now, three more after going back to the form: the second three are refused.
    post_form(signed_in, APPLY, ANSWERS, files=too_many[:3])
    again = post_form(signed_in, APPLY, ANSWERS, files=too_many[3:]).get_data(as_text=True)
    assert f"Add at most {MAX_PER_CASE} documents" in again
    assert len(kept(app)) == 3
    submit(signed_in, APPLY + "/check", {})
    assert document_rows(db) == 3


def test_staff_recorded_application_refused_keeps_no_scans(client, db, app):
    """Regression: when the application itself was refused, the scans stored for it
    stayed on disk."""
    seed_demo(db, with_staff=False)
    with db.read() as session:
        sassa = session.scalars(select(Agency).where(Agency.code == "sassa")).one()
    as_staff(client, create_staff_user(db, sassa, "case_officer"))
    page = client.get("/staff/record/application/child-support-grant").get_data(as_text=True)
    response = client.post(
        "/staff/record/application/child-support-grant",
        data={
            "csrf_token": token(page),
            "key": "k1",
            "phone": "0821234567",
            "language": "en",
            # A name past what casework keeps: refused after the scans were stored.
            "name": "n" * 201,
            **ANSWERS,
            "documents": [(io.BytesIO(PNG), "id.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "200 characters or fewer" in response.get_data(True)
    assert kept(app) == [] and document_rows(db) == 0


def test_upload_limits_shown_follow_document_max_mb(make_app, database_url, db):
    """Regression: pages said "up to 5 MB" whatever DOCUMENT_MAX_MB was, and a deployment
    that raised it got "too big" for a form of allowed files."""
    seed_demo(db, with_staff=False)
    app = make_app({"DATABASE_URL": database_url, "DOCUMENT_MAX_MB": "1"})
    assert app.config["MAX_CONTENT_LENGTH"] == (MAX_PER_CASE + 1) * 1024 * 1024
    client = app.test_client()
    sign_in(client, db)
    assert "up to 1 MB each" in client.get(APPLY).get_data(as_text=True)
    # Built here as bytes: the test client would spool a body this big to a temporary
    # file that it never closes.
    body = (
        b'--x\r\nContent-Disposition: form-data; name="documents"; filename="huge.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + PNG + b"\x00" * (7 * 1024 * 1024) + b"\r\n--x--\r\n"
    )
    response = client.post(APPLY, data=body, content_type="multipart/form-data; boundary=x")
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "<h1>That upload is too big</h1>" in page
    assert f"at most {MAX_PER_CASE} files of up to 1 MB each" in page
    assert kept(app) == []
