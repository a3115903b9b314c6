"""What staff may read, with the scope applied in the query itself (never in a template):

- administrators: every case;
- triage officers: every grievance (the intake), and their own agency's cases;
- supervisors and case officers: cases their agency owns or has referred elsewhere.

A case out of scope is simply not found, exactly like a case that does not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from casework.actors import Actor
from casework.database import Database
from casework.errors import InvalidInput
from casework.models import Case, CaseKind, Citizen, Grievance, Referral, Role, utcnow
from casework.phones import normalise_phone
from casework.references import parse_reference
from casework.sweep import AGENCY_OWES


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str
    kind: str
    status: str
    agency: str
    due_at: dt.datetime | None
    created_at: dt.datetime
    language: str


def in_scope(query: Select[Any], actor: Actor) -> Select[Any]:
    """`query` (over Case) narrowed to what `actor` may see."""
    if actor.role == Role.ADMINISTRATOR.value:
        return query
    mine = or_(Case.agency_id == actor.agency_id, _referred_by(actor))
    if actor.role == Role.TRIAGE_OFFICER.value:
        return query.where(or_(Case.kind == CaseKind.GRIEVANCE.value, mine))
    return query.where(mine)


def scope_key(actor: Actor) -> str:
    """A name for what `in_scope` lets `actor` see. It reads only the role and the agency,
    and case officers and supervisors are narrowed alike, so actors with one key see the
    same cases and figures counted for one serve them all."""
    if actor.role == Role.ADMINISTRATOR.value:
        return "all"
    if actor.role == Role.TRIAGE_OFFICER.value:
        return f"triage:{actor.agency_id}"
    return f"agency:{actor.agency_id}"


def scope_actor(key: str) -> Actor:
    """An actor whose scope is `key`, to count on that scope's behalf."""
    if key == "all":
        return Actor("staff", Role.ADMINISTRATOR.value, "system")
    kind, agency = key.split(":")
    role = Role.TRIAGE_OFFICER if kind == "triage" else Role.CASE_OFFICER
    return Actor("staff", role.value, "system", agency_id=int(agency))


def _referred_by(actor: Actor) -> Any:
    """The case is a referral the actor's agency sent. Read from `referrals` alone (every
    referral is a case): joining `cases` in would look up each of an agency's tens of
    thousands of referrals again on every queue page."""
    referrals = Referral.__table__.c
    return Case.id.in_(select(referrals.id).where(referrals.from_agency_id == actor.agency_id))


def still_to_do(actor: Actor) -> Any:
    """Open cases, and referrals another agency declined back to the actor's agency (the
    sender must find another way to help)."""
    return or_(_open(), _declined_back(actor))


def _open() -> Any:
    return Case.closed_at.is_(None)


def _declined_back(actor: Actor) -> Any:
    # Only referrals are declined; saying so lets the database go straight to them.
    return and_(
        Case.kind == CaseKind.REFERRAL.value, Case.status == "declined", _referred_by(actor)
    )


# Soonest due first, cases with no deadline last. NULLS LAST rather than `due_at IS NULL`
# first: the same order, and one the database can read straight from an index on due_at.
QUEUE_ORDER = (Case.due_at.asc().nulls_last(), Case.id)
_NO_DEADLINE = dt.datetime.max.replace(tzinfo=dt.UTC)


def _still_to_do_page(session: Session, query: Select[Any], actor: Actor, limit: int) -> list[Case]:
    """The first `limit` cases of `in_scope(query, actor).where(still_to_do(actor))` in
    QUEUE_ORDER.

    Asked as its two halves, open cases and referrals declined back (each read in order
    from a small partial index, see Case), and merged here. Asked as one OR, the database
    would read every case the actor ever had to find the few still to do. A referral
    declined back to the actor's agency is in its scope by definition (the agency sent
    it), so that half leaves the scope's own test out: it changes nothing but the
    planner's guess, which it would lead to read all declined referrals of every agency.
    """
    halves = (
        in_scope(query, actor).where(_open()),
        query.where(Case.closed_at.is_not(None), _declined_back(actor)),
    )
    found = [case for half in halves for case in session.scalars(_page(half, 0, limit))]
    found.sort(key=lambda case: (case.due_at or _NO_DEADLINE, case.id))
    return found[:limit]


def cases_in_scope(db: Database, actor: Actor, limit: int = 50) -> list[QueueRow]:
    """Open work first, soonest due first."""
    with db.read() as session:
        cases = _still_to_do_page(session, select(Case), actor, limit)
        return [row_of(case) for case in cases]


# What `row_of` reads beyond the case, for the whole page in one query each rather than a
# query a row. Not joined in: joins would change how the database plans the page itself.
_ROW_LOADS = (selectinload(Case.agency), selectinload(Case.citizen))


def row_of(case: Case) -> QueueRow:
    return QueueRow(
        case.id,
        case.reference,
        case.kind,
        case.status,
        case.agency.short_name,
        case.due_at,
        case.created_at,
        case.citizen.language if case.citizen else case.language,
    )


@dataclass(frozen=True)
class QueueFilters:
    status: str | None = None
    category: str | None = None
    district: str | None = None
    channel: str | None = None
    priority: str | None = None
    overdue: bool = False
    search: str | None = None  # a reference (as typed) or a phone number
    country: str = "ZA"  # how a phone number without its country code is read


@dataclass(frozen=True)
class TriageRow:
    row: QueueRow
    category: str
    priority: str
    district: str
    channel: str
    overdue: bool


PAGE_SIZE = 50
AGENCY_OWES_GRIEVANCE = AGENCY_OWES[CaseKind.GRIEVANCE.value]


def triage_queue(
    db: Database, actor: Actor, filters: QueueFilters, page: int = 0
) -> tuple[list[TriageRow], bool]:
    """Grievances in scope: unacknowledged first, then soonest due. (rows, more pages?)"""
    now = utcnow()
    with db.read() as session:
        if filters.search:
            # A reference or a phone number finds a handful of cases: one query, sorted.
            query = triage_query(actor, filters, now).options(*_ROW_LOADS)
            found = list(session.scalars(query.offset(page * PAGE_SIZE).limit(PAGE_SIZE + 1)))
        else:
            query = _triage_filtered(actor, filters, now)
            found = _triage_page(session, query, page * PAGE_SIZE)
        rows = [
            TriageRow(
                row_of(g),
                g.category,
                g.priority,
                g.district,
                g.channel,
                g.due_at is not None and g.due_at < now and g.status in AGENCY_OWES_GRIEVANCE,
            )
            for g in found[:PAGE_SIZE]
        ]
    return rows, len(found) > PAGE_SIZE


def triage_query(actor: Actor, filters: QueueFilters, now: dt.datetime) -> Select[Any]:
    """The triage queue in its order, unpaged: what the page shows (`triage_queue` reads
    it in two halves) and what its CSV export holds, so a download holds exactly what the
    filters show."""
    return _triage_filtered(actor, filters, now).order_by(
        Grievance.status != UNACKNOWLEDGED, *QUEUE_ORDER
    )


UNACKNOWLEDGED = "lodged"


def _triage_page(session: Session, query: Select[Any], offset: int) -> list[Grievance]:
    """One page (and one row more) of `query` in triage order, read as its two halves:
    the unacknowledged, then the rest, each in QUEUE_ORDER straight from an index (see
    Case). Sorting all open grievances to put the unacknowledged first would read every
    one of them for every page."""
    wanted = PAGE_SIZE + 1
    first = query.where(Grievance.status == UNACKNOWLEDGED)
    rest = query.where(Grievance.status != UNACKNOWLEDGED)
    found = list(session.scalars(_page(first, offset, wanted)))
    if len(found) == wanted:
        return found
    if found or offset == 0:
        skip = 0
    else:  # the page starts among the rest: skip what is left of them after the first
        ahead = session.scalar(select(func.count()).select_from(first.subquery()))
        skip = offset - (ahead or 0)
    return found + list(session.scalars(_page(rest, skip, wanted - len(found))))


def _page(query: Select[Any], offset: int, limit: int) -> Select[Any]:
    return query.order_by(*QUEUE_ORDER).offset(offset).limit(limit).options(*_ROW_LOADS)


def _triage_filtered(actor: Actor, filters: QueueFilters, now: dt.datetime) -> Select[Any]:
    # `kind` is implied by the join to grievances; said, it lets the database use an
    # index of open cases by kind.
    query = (
        in_scope(select(Grievance), actor)
        .where(Grievance.closed_at.is_(None))
        .where(Case.kind == CaseKind.GRIEVANCE.value)
    )
    for column, value in (
        (Grievance.status, filters.status),
        (Grievance.category, filters.category),
        (Grievance.district, filters.district),
        (Grievance.channel, filters.channel),
        (Grievance.priority, filters.priority),
    ):
        if value:
            query = query.where(column == value)
    if filters.overdue:
        query = query.where(overdue_grievance(now))
    if filters.search:
        query = _searched(query, filters.search, filters.country)
    return query


def overdue_grievance(now: dt.datetime) -> Any:
    """Past its deadline while the agency owes the next step. A resolved grievance waiting
    to be closed keeps its old deadline but is not late (the sweep reads it the same way)."""
    return and_(Grievance.due_at < now, Grievance.status.in_(AGENCY_OWES_GRIEVANCE))


def _searched(query: Select[Any], text: str, country: str) -> Select[Any]:
    """By reference (typed any way) or by the citizen's phone number."""
    try:
        digits, _kind = parse_reference(text)
    except InvalidInput:
        digits = None
    if digits is not None:
        return query.where(Case.reference == digits)
    try:
        phone = normalise_phone(text, country, mobile_only=False)
    except InvalidInput:
        return query.where(Case.id.is_(None))  # neither: nothing matches
    return query.where(Case.citizen_id.in_(select(Citizen.id).where(Citizen.phone == phone)))


def kind_queue(db: Database, actor: Actor, kind: str, limit: int = 100) -> list[QueueRow]:
    """Open applications or referrals in scope, soonest due first: `kind_query`'s first
    rows, read the way that stays fast (see `_still_to_do_page`)."""
    with db.read() as session:
        query = select(Case).where(Case.kind == kind)
        return [row_of(case) for case in _still_to_do_page(session, query, actor, limit)]


def kind_query(actor: Actor, kind: str) -> Select[Any]:
    """The applications or referrals queue in its order, unpaged (its export)."""
    return (
        in_scope(select(Case), actor)
        .where(Case.kind == kind, still_to_do(actor))
        .order_by(*QUEUE_ORDER)
    )
