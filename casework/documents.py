"""Supporting documents: photos and PDFs a citizen uploads with an application.

The type is read from the file's first bytes, never from its name or the browser's word;
the file is kept under a random name outside anything a web server serves.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select

from casework.actors import Actor
from casework.database import Database
from casework.errors import N_, InvalidInput
from casework.models import Case, Document
from casework.recording import audit
from casework.services.case_lookup import may_act_on

MAX_BYTES = 5 * 1024 * 1024  # a phone photo of a document; larger is a mistake or an attack
MAX_PER_CASE = 5  # what the pages offer; more is a mistake, or someone filling our disk
NAME_MAX = 120
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
)
# The endings a file of each accepted type may already have.
_EXTENSIONS = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "application/pdf": (".pdf",),
    "image/webp": (".webp",),
}


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    content_type: str
    size: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def describe_size(count: int) -> str:
    """`5 MB` or `300 KB`, for messages about the largest upload."""
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count // 1024} KB"


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from a file's first bytes, for the types we accept."""
    for signature, content_type, extension in _SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def clean_name(name: str | None) -> str:
    """A name fit to show and to save a download as: no folders or drive, no control or
    direction-changing characters (an RTL override makes "gnp.exe" read as "exe.png"), no
    character Windows refuses, not too long, its ending kept."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"^[A-Za-z]:", "", base)  # "C:boot.ini", as some browsers send C:\boot.ini
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable())
    # What Windows refuses in a file name (and ":" names a hidden stream there).
    base = re.sub(r'[<>:"|?*]', "_", base).strip(" .")
    if len(base) > NAME_MAX:
        stem, dot, ending = base.rpartition(".")
        ending = dot + ending if stem and len(ending) <= 5 else ""
        base = base[: NAME_MAX - len(ending)].rstrip(" .") + ending
    return base or "document"


def download_name(original_name: str, content_type: str) -> str:
    """The name a download is saved under: the citizen's, ending as its real type does, so
    a PDF uploaded as "letter.html" is never opened as a web page on an officer's desk."""
    name = clean_name(original_name)
    endings = _EXTENSIONS.get(content_type, ())
    if not endings or name.lower().endswith(endings):
        return name
    return clean_name(name[: NAME_MAX - len(endings[0])] + endings[0])


def store(
    directory: Path, stream: BinaryIO, name: str | None, *, max_bytes: int = MAX_BYTES
) -> StoredFile:
    """Save an upload; InvalidInput (with a message for the citizen) if it is not one."""
    data = stream.read(max_bytes + 1)
    if not data:
        raise InvalidInput("documents", N_("The file you chose is empty"))
    if len(data) > max_bytes:
        raise InvalidInput(
            "documents",
            N_("Each file must be smaller than %(size)s"),
            size=describe_size(max_bytes),
        )
    kind = sniff(data[:16])
    if kind is None:
        raise InvalidInput("documents", N_("Upload a photo (JPG or PNG) or a PDF"))
    content_type, extension = kind
    directory.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + extension
    (directory / stored_name).write_bytes(data)
    return StoredFile(stored_name, clean_name(name), content_type, len(data))


def store_all(
    directory: Path,
    uploads: Sequence[tuple[BinaryIO, str | None]],
    *,
    max_bytes: int = MAX_BYTES,
    already: int = 0,
) -> list[StoredFile]:
    """Save every upload (stream, name) or none: on the first that is refused, the files
    saved before it are removed again. `already`: documents the application holds."""
    if already + len(uploads) > MAX_PER_CASE:
        raise InvalidInput("documents", N_("Add at most %(count)s documents"), count=MAX_PER_CASE)
    stored: list[StoredFile] = []
    try:
        for stream, name in uploads:
            stored.append(store(directory, stream, name, max_bytes=max_bytes))
    except Exception:
        discard(directory, stored)
        raise
    return stored


def discard(directory: Path, stored: Iterable[StoredFile | dict[str, Any]]) -> None:
    """Remove files saved for a submission that then did not happen."""
    for item in stored:
        name = item["stored_name"] if isinstance(item, dict) else item.stored_name
        # Our own random names only: never a path that could point outside `directory`.
        if re.fullmatch(r"[0-9a-f]{32}\.[a-z]{3,4}", name):
            (directory / name).unlink(missing_ok=True)


def documents_of_case(db: Database, case_id: int) -> list[Document]:
    with db.read() as session:
        return list(
            session.scalars(
                select(Document).where(Document.case_id == case_id).order_by(Document.id)
            )
        )


def document_for_citizen(db: Database, document_id: int, citizen_id: int) -> Document | None:
    """The document, if it belongs to one of this citizen's cases; None otherwise."""
    with db.read() as session:
        return session.scalars(
            select(Document)
            .join(Case, Document.case_id == Case.id)
            .where(Document.id == document_id, Case.citizen_id == citizen_id)
        ).one_or_none()


def document_for_staff(db: Database, document_id: int, actor: Actor) -> Document | None:
    """The document, if the staff member may work on its case (the same scope as changing
    it); None otherwise, exactly as for a document that does not exist."""
    with db.transaction() as session:
        document = session.get(Document, document_id)
        case = session.get(Case, document.case_id) if document else None
        if document is None or case is None or actor.type != "staff":
            return None
        if not may_act_on(actor, case):
            return None
        audit(session, actor, "document.viewed", case=case, detail={"document": document.id})
        return document
