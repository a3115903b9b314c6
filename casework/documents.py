"""Supporting documents: photos and PDFs a citizen uploads with an application.

The type is read from the file's first bytes, never from its name or the browser's word;
the file is kept under a random name outside anything a web server serves.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
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
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
)


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    content_type: str
    size: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _size(count: int) -> str:
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
    """A name fit to show: no folders, no control characters, not too long."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable())
    base = base.strip(" .")
    return base[:120] or "document"


def store(
    directory: Path, stream: BinaryIO, name: str | None, *, max_bytes: int = MAX_BYTES
) -> StoredFile:
    """Save an upload; InvalidInput (with a message for the citizen) if it is not one."""
    data = stream.read(max_bytes + 1)
    if not data:
        raise InvalidInput("documents", N_("The file you chose is empty"))
    if len(data) > max_bytes:
        raise InvalidInput(
            "documents", N_("Each file must be smaller than %(size)s"), size=_size(max_bytes)
        )
    kind = sniff(data[:16])
    if kind is None:
        raise InvalidInput("documents", N_("Upload a photo (JPG or PNG) or a PDF"))
    content_type, extension = kind
    directory.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + extension
    (directory / stored_name).write_bytes(data)
    return StoredFile(stored_name, clean_name(name), content_type, len(data))


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
