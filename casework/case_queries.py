"""What a citizen may read of their own cases, found by their phone number."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from casework.database import Database
from casework.models import (
    Agency,
    Application,
    Case,
    CaseEvent,
    CaseKind,
    Citizen,
    Grievance,
    ServiceText,
)
from casework.models.directory import FALLBACK_LANGUAGE
from casework.passwords import hash_pin, verify_secret
from casework.workflows import WORKFLOWS


@dataclass(frozen=True)
class CaseSummary:
    id: int
    reference: str
    kind: str
    status: str
    # What the case is about: the service's short name, the agency, or the complaint's
    # category code (for the channel to translate).
    subject: str
    created_at: dt.datetime


@dataclass(frozen=True)
class PublicEvent:
    at: dt.datetime
    type: str
    to_status: str | None
    body: str | None


@dataclass(frozen=True)
class CaseView:
    summary: CaseSummary
    latest: PublicEvent | None


def open_cases_for_phone(db: Database, phone: str, language: str) -> list[CaseSummary]:
    """The citizen's open cases, newest first."""
    with db.read() as session:
        cases = _summaries(
            session,
            _own_cases(phone, language).order_by(Case.created_at.desc(), Case.id.desc()),
        )
    return [case for case in cases if WORKFLOWS[case.kind].is_open(case.status)]


def own_case(
    db: Database,
    phone: str,
    language: str,
    *,
    case_id: int | None = None,
    reference: str | None = None,
) -> CaseView | None:
    """One of the citizen's cases with its latest public event; None for anyone else's,
    exactly as for a case that does not exist."""
    query = _own_cases(phone, language)
    query = (
        query.where(Case.id == case_id)
        if case_id is not None
        else query.where(Case.reference == reference)
    )
    with db.read() as session:
        found = _summaries(session, query)
        return _view(session, found[0]) if found else None


def _view(session: Any, case: CaseSummary) -> CaseView:
    latest = session.execute(
        select(CaseEvent.at, CaseEvent.type, CaseEvent.to_status, CaseEvent.body)
        .where(CaseEvent.case_id == case.id, CaseEvent.public)
        .order_by(CaseEvent.id.desc())
        .limit(1)
    ).one_or_none()
    return CaseView(case, PublicEvent(*latest) if latest else None)


# What a summary needs of a case of any kind, in one row: each kind's own table is joined
# for the column that says what the case is about, and an application's service name in
# the reader's language (else English, as `Service.text`). Rows, not objects, in one
# statement: a citizen checking a case by USSD waits for these on every hop of the journey.
_APPLICATIONS, _GRIEVANCES = Application.__table__, Grievance.__table__
_NAME, _ENGLISH_NAME = aliased(ServiceText), aliased(ServiceText)


def _cases(language: str):  # type: ignore[no-untyped-def]
    return (
        select(
            Case.id,
            Case.reference,
            Case.kind,
            Case.status,
            Case.created_at,
            func.coalesce(_NAME.short_name, _ENGLISH_NAME.short_name).label("service_name"),
            _GRIEVANCES.c.category,
            Agency.short_name,
        )
        .join(Agency, Agency.id == Case.agency_id)
        .outerjoin(_APPLICATIONS, _APPLICATIONS.c.id == Case.id)
        .outerjoin(_GRIEVANCES, _GRIEVANCES.c.id == Case.id)
        .outerjoin(
            _NAME,
            and_(_NAME.service_id == _APPLICATIONS.c.service_id, _NAME.language == language),
        )
        .outerjoin(
            _ENGLISH_NAME,
            and_(
                _ENGLISH_NAME.service_id == _APPLICATIONS.c.service_id,
                _ENGLISH_NAME.language == FALLBACK_LANGUAGE,
            ),
        )
    )


def _own_cases(phone: str, language: str):  # type: ignore[no-untyped-def]
    return (
        _cases(language).join(Citizen, Case.citizen_id == Citizen.id).where(Citizen.phone == phone)
    )


def _summaries(session: Any, query: Any) -> list[CaseSummary]:
    summaries = []
    for row in session.execute(query):
        if row.kind == CaseKind.APPLICATION:
            subject = row.service_name
        elif row.kind == CaseKind.REFERRAL:
            subject = row.short_name  # the agency it was referred to
        else:
            subject = row.category
        summaries.append(
            CaseSummary(row.id, row.reference, row.kind, row.status, subject, row.created_at)
        )
    return summaries


def anonymous_case_id(db: Database, reference: str, pin: str) -> int | None:
    """The anonymous grievance this reference and PIN open, if they match.

    The PIN is checked (at argon2's pace) even when there is no such case, so neither the
    answer nor its timing tells a guesser whether the reference exists.
    """
    with db.read() as session:
        row = session.execute(
            select(Grievance.id, Grievance.pin_hash).where(
                Grievance.reference == reference, Grievance.anonymous
            )
        ).first()
    pin_hash = row.pin_hash if row is not None else _decoy_hash()
    if not verify_secret(pin_hash, pin) or row is None:
        return None
    return row.id


def case_by_id(db: Database, case_id: int, language: str) -> CaseView | None:
    """A case and its latest public event, for a reader who proved their right to it
    (the PIN of an anonymous grievance)."""
    with db.read() as session:
        found = _summaries(session, _cases(language).where(Case.id == case_id))
        return _view(session, found[0]) if found else None


@cache
def _decoy_hash() -> str:
    # At a PIN's cost, so a missing reference takes as long as a real one.
    return hash_pin(f"{secrets.randbelow(10_000):04d}")


def cases_for_phone(db: Database, phone: str, language: str) -> list[CaseSummary]:
    """All the citizen's cases, open and closed, newest first."""
    with db.read() as session:
        return _summaries(
            session,
            _own_cases(phone, language).order_by(Case.created_at.desc(), Case.id.desc()),
        )


def own_timeline(
    db: Database, phone: str, reference: str, language: str
) -> tuple[CaseSummary, list[PublicEvent]] | None:
    """One of the citizen's cases and every public event of it, oldest first."""
    with db.read() as session:
        found = _summaries(session, _own_cases(phone, language).where(Case.reference == reference))
        return _timeline(session, found[0]) if found else None


def timeline_by_id(
    db: Database, case_id: int, language: str
) -> tuple[CaseSummary, list[PublicEvent]] | None:
    """A case's public timeline, for a reader who proved their right to it (a PIN)."""
    with db.read() as session:
        found = _summaries(session, _cases(language).where(Case.id == case_id))
        return _timeline(session, found[0]) if found else None


def _timeline(session: Any, case: CaseSummary) -> tuple[CaseSummary, list[PublicEvent]]:
    events = session.execute(
        select(CaseEvent.at, CaseEvent.type, CaseEvent.to_status, CaseEvent.body)
        .where(CaseEvent.case_id == case.id, CaseEvent.public)
        .order_by(CaseEvent.id)
    ).all()
    return case, [PublicEvent(*event) for event in events]
