"""What a citizen may read of their own cases, found by their phone number."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectin_polymorphic, selectinload

from casework.database import Database
from casework.models import (
    Application,
    Case,
    CaseEvent,
    Citizen,
    Grievance,
    Referral,
    Service,
)
from casework.passwords import hash_secret, verify_secret
from casework.workflows import WORKFLOWS

# What `_summary` reads of each kind, loaded with the case rather than one query a row.
_WITH_SUBJECT = (
    selectin_polymorphic(Case, [Application, Grievance, Referral]),
    selectinload(Application.service).selectinload(Service.texts),
    selectinload(Referral.agency),
)


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
        cases = session.scalars(
            _own_cases(phone).order_by(Case.created_at.desc(), Case.id.desc())
        ).all()
        return [
            _summary(case, language) for case in cases if WORKFLOWS[case.kind].is_open(case.status)
        ]


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
    query = _own_cases(phone)
    query = (
        query.where(Case.id == case_id)
        if case_id is not None
        else query.where(Case.reference == reference)
    )
    with db.read() as session:
        case = session.scalars(query).one_or_none()
        return _view(session, case, language) if case else None


def _view(session: Any, case: Case, language: str) -> CaseView:
    latest = session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.public)
        .order_by(CaseEvent.id.desc())
        .limit(1)
    ).one_or_none()
    return CaseView(
        _summary(case, language),
        PublicEvent(latest.at, latest.type, latest.to_status, latest.body) if latest else None,
    )


def _own_cases(phone: str):  # type: ignore[no-untyped-def]
    return (
        select(Case)
        .join(Citizen, Case.citizen_id == Citizen.id)
        .where(Citizen.phone == phone)
        .options(
            *_WITH_SUBJECT,
        )
    )


def _summary(case: Case, language: str) -> CaseSummary:
    if isinstance(case, Application):
        subject = case.service.text(language).short_name
    elif isinstance(case, Referral):
        subject = case.agency.short_name
    else:
        subject = case.category  # type: ignore[attr-defined]
    return CaseSummary(case.id, case.reference, case.kind, case.status, subject, case.created_at)


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
        case = session.scalars(
            select(Case)
            .where(Case.id == case_id)
            .options(
                *_WITH_SUBJECT,
            )
        ).one_or_none()
        return _view(session, case, language) if case else None


@cache
def _decoy_hash() -> str:
    return hash_secret(secrets.token_hex(8))


def cases_for_phone(db: Database, phone: str, language: str) -> list[CaseSummary]:
    """All the citizen's cases, open and closed, newest first."""
    with db.read() as session:
        cases = session.scalars(
            _own_cases(phone).order_by(Case.created_at.desc(), Case.id.desc())
        ).all()
        return [_summary(case, language) for case in cases]


def own_timeline(
    db: Database, phone: str, reference: str, language: str
) -> tuple[CaseSummary, list[PublicEvent]] | None:
    """One of the citizen's cases and every public event of it, oldest first."""
    with db.read() as session:
        case = session.scalars(_own_cases(phone).where(Case.reference == reference)).one_or_none()
        return _timeline(session, case, language) if case else None


def timeline_by_id(
    db: Database, case_id: int, language: str
) -> tuple[CaseSummary, list[PublicEvent]] | None:
    """A case's public timeline, for a reader who proved their right to it (a PIN)."""
    with db.read() as session:
        case = session.scalars(
            select(Case)
            .where(Case.id == case_id)
            .options(
                *_WITH_SUBJECT,
            )
        ).one_or_none()
        return _timeline(session, case, language) if case else None


def _timeline(session: Any, case: Case, language: str) -> tuple[CaseSummary, list[PublicEvent]]:
    events = session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.public)
        .order_by(CaseEvent.id)
    ).all()
    return _summary(case, language), [
        PublicEvent(e.at, e.type, e.to_status, e.body) for e in events
    ]
