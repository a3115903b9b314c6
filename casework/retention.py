"""Retention: closed cases older than the retention age lose their personal data; the
statistics stay.

A case closed more than RETENTION_DAYS ago keeps its kind, status, category, district,
channel, agency, service, dates and timeline steps (so the dashboard and the exports
still count it) and loses everything that could name or describe a person: the
complaint's words, free-text and ID answers, the referral's reason, every timeline note
and message body, the texts of its SMS in and out, the numbers they went to, and its
documents (from the database and the disk). A citizen none of whose cases is still kept
then loses their number, name and ID number too, with the SMS they sent.

Run by `flask --app portal casework retention` and once a day by the relay. Each batch
is one transaction; a case is marked `anonymised_at`, so running again (or in two relays
at once) does nothing twice. Each batch is audited with counts only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session, selectin_polymorphic

from casework.actors import Actor
from casework.database import Database
from casework.models import (
    Application,
    Case,
    CaseEvent,
    Citizen,
    Document,
    Grievance,
    InboundMessage,
    OutboundMessage,
    PrivacyConsent,
    Referral,
    SignInCode,
    utcnow,
)
from casework.recording import audit

log = logging.getLogger(__name__)

DEFAULT_DAYS = 1825  # five years
BATCH_SIZE = 200
# Answers kept for statistics: counts and choices from a list, never words or numbers
# that identify (free text, ID numbers, dates such as a birthday).
KEPT_ANSWER_TYPES = frozenset({"yes_no", "choice", "number"})


@dataclass(frozen=True)
class RetentionResult:
    cases: int = 0
    citizens: int = 0
    documents: int = 0
    dry_run: bool = False


def anonymise_old_cases(
    db: Database,
    *,
    older_than: dt.timedelta,
    documents_dir: Path | None = None,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    batch_size: int = BATCH_SIZE,
) -> RetentionResult:
    """Anonymise every case closed before `now - older_than`, then their citizens.

    `dry_run` counts what would go and changes nothing. Documents' files are deleted
    from `documents_dir` after their batch commits (a file left behind by a crash is
    orphaned, never a row pointing at a missing file).
    """
    cutoff = (now or utcnow()) - older_than
    if dry_run:
        with db.read() as session:
            return RetentionResult(
                cases=_count(session, select(Case.id).where(_old_case(cutoff))),
                citizens=_count(session, select(Citizen.id).where(_old_citizen(cutoff))),
                documents=_count(
                    session,
                    select(Document.id)
                    .join(Case, Document.case_id == Case.id)
                    .where(_old_case(cutoff)),
                ),
                dry_run=True,
            )
    cases = documents = citizens = 0
    for ids in _batches(db, select(Case.id).where(_old_case(cutoff)), batch_size):
        done, files = _anonymise_cases(db, ids, cutoff)
        cases += done
        documents += len(files)
        _delete_files(documents_dir, files)
    for ids in _batches(db, select(Citizen.id).where(_old_citizen(cutoff)), batch_size):
        citizens += _anonymise_citizens(db, ids, cutoff)
    if cases or citizens:
        log.info(
            "retention anonymised %s cases, %s citizens, %s documents",
            cases,
            citizens,
            documents,
            extra={"cases": cases, "citizens": citizens, "documents": documents},
        )
    return RetentionResult(cases=cases, citizens=citizens, documents=documents)


def _old_case(cutoff: dt.datetime) -> ColumnElement[bool]:
    return and_(Case.closed_at.is_not(None), Case.closed_at < cutoff, Case.anonymised_at.is_(None))


def _kept_case(cutoff: dt.datetime) -> ColumnElement[bool]:
    """A case that keeps its personal data: open (or reopened), or closed recently."""
    return or_(Case.closed_at.is_(None), Case.closed_at >= cutoff)


def _old_citizen(cutoff: dt.datetime) -> ColumnElement[bool]:
    """A citizen still holding personal data, with cases, none of them kept, and no SMS
    from them since the cutoff. A citizen with no case at all is left alone."""
    return and_(
        or_(
            Citizen.phone.is_not(None), Citizen.name.is_not(None), Citizen.national_id.is_not(None)
        ),
        exists().where(Case.citizen_id == Citizen.id),
        ~exists().where(Case.citizen_id == Citizen.id, _kept_case(cutoff)),
        ~exists().where(
            or_(InboundMessage.citizen_id == Citizen.id, InboundMessage.sender == Citizen.phone),
            InboundMessage.received_at >= cutoff,
        ),
    )


def _count(session: Session, query: Any) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _batches(db: Database, query: Any, size: int) -> Iterable[list[int]]:
    """Ids a batch at a time, until none is left; an id seen before ends it (a row that
    stays a candidate after its batch would otherwise loop forever)."""
    seen: set[int] = set()
    while True:
        with db.read() as session:
            ids = list(session.scalars(query.order_by(query.selected_columns[0]).limit(size)))
        if not ids or seen.intersection(ids):
            return
        seen.update(ids)
        yield ids


def _anonymise_cases(db: Database, ids: list[int], cutoff: dt.datetime) -> tuple[int, list[str]]:
    now = utcnow()
    with db.transaction() as session:
        cases = list(
            session.scalars(
                select(Case)
                .where(Case.id.in_(ids), _old_case(cutoff))
                .options(selectin_polymorphic(Case, [Application, Grievance, Referral]))
                .order_by(Case.id)
                .with_for_update(of=Case)
            )
        )
        if not cases:
            return 0, []
        case_ids = [case.id for case in cases]
        for case in cases:
            _strip_case(case)
            case.anonymised_at = now
        session.execute(update(CaseEvent).where(CaseEvent.case_id.in_(case_ids)).values(body=None))
        files = list(
            session.scalars(select(Document.stored_name).where(Document.case_id.in_(case_ids)))
        )
        session.execute(delete(Document).where(Document.case_id.in_(case_ids)))
        _forget_messages(session, OutboundMessage.case_id.in_(case_ids))
        session.execute(
            update(InboundMessage).where(InboundMessage.case_id.in_(case_ids)).values(text="")
        )
        audit(
            session,
            Actor.system(),
            "retention.cases_anonymised",
            detail={"cases": len(cases), "documents": len(files)},
        )
    return len(cases), files


def _strip_case(case: Case) -> None:
    if isinstance(case, Grievance):
        case.description = ""
        case.pin_hash = None
    elif isinstance(case, Application):
        types = {field["name"]: field.get("type") for field in case.service.application_fields}
        case.answers = {
            name: value
            for name, value in (case.answers or {}).items()
            if types.get(name) in KEPT_ANSWER_TYPES
        }
    elif isinstance(case, Referral):
        case.reason = ""


def _anonymise_citizens(db: Database, ids: list[int], cutoff: dt.datetime) -> int:
    with db.transaction() as session:
        citizens = list(
            session.scalars(
                select(Citizen)
                .where(Citizen.id.in_(ids), _old_citizen(cutoff))
                .order_by(Citizen.id)
                .with_for_update()
            )
        )
        for citizen in citizens:
            phone = citizen.phone
            theirs = InboundMessage.citizen_id == citizen.id
            if phone:
                theirs = or_(theirs, InboundMessage.sender == phone)
                _forget_messages(session, OutboundMessage.to == phone)
                session.execute(delete(SignInCode).where(SignInCode.phone == phone))
                session.execute(
                    update(PrivacyConsent)
                    .where(PrivacyConsent.phone == phone)
                    .values(phone=None, citizen_id=citizen.id)
                )
            session.execute(update(InboundMessage).where(theirs).values(text="", sender=None))
            citizen.phone = citizen.name = citizen.national_id = None
        if citizens:
            audit(
                session,
                Actor.system(),
                "retention.citizens_anonymised",
                detail={"citizens": len(citizens)},
            )
    return len(citizens)


def _forget_messages(session: Session, which: ColumnElement[bool]) -> None:
    """SMS out: no number, and no words of an officer's (the `text` parameter)."""
    for message in session.scalars(select(OutboundMessage).where(which)):
        message.to = None
        if "text" in (message.params or {}):
            message.params = {k: v for k, v in message.params.items() if k != "text"}


def _delete_files(directory: Path | None, names: list[str]) -> None:
    if directory is None:
        return
    for name in names:
        try:
            (directory / name).unlink(missing_ok=True)
        except OSError:
            # The row is gone already; the file is an orphan for an operator to remove.
            log.warning("retention could not delete a document file", exc_info=True)
