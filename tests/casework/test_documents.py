import io

import pytest

from casework.actors import Actor
from casework.documents import (
    MAX_PER_CASE,
    clean_name,
    discard,
    document_for_citizen,
    document_for_staff,
    documents_of_case,
    download_name,
    sniff,
    store,
    store_all,
)
from casework.errors import InvalidInput
from casework.services import submit_application
from tests.casework.scenes import build_world
from tests.factories import create_agency, create_staff_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0", "image/jpeg"),
        (PNG, "image/png"),
        (b"%PDF-1.7", "application/pdf"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"<html>", None),
        (b"MZ\x90\x00", None),
    ],
)
def test_sniff_reads_the_type_from_the_content(head, kind):
    assert (sniff(head) or (None,))[0] == kind


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\id.pdf", "id.pdf"),
        ("id\x00card.png", "idcard.png"),
        ("", "document"),
        ("..", "document"),
        ("x" * 300, "x" * 120),
    ],
)
def test_clean_name_keeps_only_a_plain_name(name, clean):
    assert clean_name(name) == clean


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("C:boot.ini", "boot.ini"),  # C:\\boot.ini, once a form parser ate the backslash
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),  # shown as "invoiceexe.png"
        ("zero\u200bwidth\ufeff.png", "zerowidth.png"),
        ("file.pdf:hidden.exe", "file.pdf_hidden.exe"),
        ('a<b>|"c"?*.pdf', "a_b___c___.pdf"),
    ],
)
def test_clean_name_drops_drives_direction_marks_and_what_windows_refuses(name, clean):
    assert clean_name(name) == clean


@pytest.mark.parametrize(
    ("name", "content_type", "saved_as"),
    [
        ("letter.html", "application/pdf", "letter.html.pdf"),
        ("scan.JPEG", "image/jpeg", "scan.JPEG"),
        ("scan.jpg", "image/jpeg", "scan.jpg"),
        ("photo", "image/png", "photo.png"),
        ("y" * 120, "image/webp", "y" * 115 + ".webp"),
    ],
)
def test_download_name_ends_as_the_file_really_is(name, content_type, saved_as):
    assert download_name(name, content_type) == saved_as


class BrokenStream(io.BytesIO):
    def read(self, *args):  # type: ignore[no-untyped-def]
        raise OSError("connection reset while uploading")


def test_store_all_keeps_every_file_or_none(tmp_path):
    good = [(io.BytesIO(PNG), "a.png"), (io.BytesIO(b"%PDF-1.4 x"), "b.pdf")]
    with pytest.raises(InvalidInput, match="Upload a photo"):
        store_all(tmp_path, [*good, (io.BytesIO(b"MZ"), "c.pdf")])
    assert list(tmp_path.iterdir()) == []
    good = [(io.BytesIO(PNG), "a.png"), (io.BytesIO(b"%PDF-1.4 x"), "b.pdf")]
    with pytest.raises(OSError, match="connection reset"):
        store_all(tmp_path, [*good, (BrokenStream(), "c.pdf")])
    assert list(tmp_path.iterdir()) == []
    many = [(io.BytesIO(PNG), f"{n}.png") for n in range(MAX_PER_CASE + 1)]
    with pytest.raises(InvalidInput, match="at most"):
        store_all(tmp_path, many)
    with pytest.raises(InvalidInput, match="at most"):
        store_all(tmp_path, many[:2], already=MAX_PER_CASE - 1)
    assert list(tmp_path.iterdir()) == []
    assert len(store_all(tmp_path, many[:2], already=MAX_PER_CASE - 2)) == 2


def test_discard_removes_only_files_named_as_store_names_them(tmp_path):
    stored = store(tmp_path / "docs", io.BytesIO(PNG), "id.png")
    (tmp_path / "keep.txt").write_text("not an upload")
    discard(tmp_path / "docs", [stored, {"stored_name": "../keep.txt"}])
    assert list((tmp_path / "docs").iterdir()) == []
    assert (tmp_path / "keep.txt").exists()


def test_store_keeps_the_file_under_a_random_name(tmp_path):
    first = store(tmp_path, io.BytesIO(PNG), "../id.png")
    second = store(tmp_path, io.BytesIO(PNG), "../id.png")
    assert first.stored_name != second.stored_name and first.stored_name.endswith(".png")
    assert (tmp_path / first.stored_name).read_bytes() == PNG
    assert first.original_name == "id.png" and first.content_type == "image/png"
    with pytest.raises(InvalidInput, match="smaller than 1 KB"):
        store(tmp_path, io.BytesIO(PNG + b"\x00" * 2000), "big.png", max_bytes=1024)


def test_documents_reach_their_owner_and_staff_in_scope_only(db, tmp_path):
    world = build_world(db)
    stored = store(tmp_path, io.BytesIO(PNG), "id.png")
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
    assert document_for_citizen(db, document_id, world.citizen.id) is not None
    assert document_for_citizen(db, document_id, world.citizen.id + 99) is None
    # The application belongs to the other agency: its officer may see the document.
    assert document_for_staff(db, document_id, Actor.staff(world.other_officer)) is not None
    outsider = create_staff_user(db, create_agency(db), "case_officer")
    assert document_for_staff(db, document_id, Actor.staff(outsider)) is None
    assert document_for_staff(db, document_id, Actor.citizen(world.citizen.id, "web")) is None
