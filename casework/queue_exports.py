"""Staff queue downloads: every row a queue's filters match in the actor's scope, read with
the queue's own query, and an audit row saying who took how many.

Privacy by default: an export carries no phone number, ID number, name or complaint text,
only what a manager needs to count and chase cases. A spreadsheet leaves the system's
access control behind; what it never held cannot leak.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select

from casework.actors import Actor
from casework.database import Database
from casework.grievance_categories import BY_CODE
from casework.models import Agency, Case, Grievance, utcnow
from casework.recording import audit
from casework.references import format_reference
from casework.staff_queries import QueueFilters, kind_query, triage_query
from casework.sweep import AGENCY_OWES

# Enough for any one office's queue; past it the filters should narrow the question.
EXPORT_CAP = 10_000


@dataclass(frozen=True)
class ExportRow:
    reference: str  # as staff see it on screen: G 4827 1935 06
    kind: str
    status: str
    category: str
    priority: str
    district: str
    channel: str
    agency: str
    created_at: dt.datetime
    due_at: dt.datetime | None
    overdue: bool


@dataclass(frozen=True)
class QueueExport:
    rows: list[ExportRow]
    # More rows matched than the cap: `rows` holds the first `cap`, in the queue's order.
    capped: bool


def export_triage_queue(
    db: Database,
    actor: Actor,
    filters: QueueFilters,
    now: dt.datetime | None = None,
    cap: int | None = None,
) -> QueueExport:
    """The grievance triage queue as `filters` narrow it, every page of it."""
    now = now or utcnow()
    query = triage_query(actor, filters, now).with_only_columns(
        Grievance.reference,
        Grievance.kind,
        Grievance.status,
        Grievance.category,
        Grievance.priority,
        Grievance.district,
        Grievance.channel,
        Agency.short_name,
        Grievance.created_at,
        Grievance.due_at,
    )
    # The search text may be a phone number: the audit row says only that there was one.
    described = {key: value for key, value in asdict(filters).items() if value}
    described.pop("country", None)
    if described.pop("search", None):
        described["searched"] = True
    return _export(db, actor, query, now, cap, {"queue": "grievances", "filters": described})


def export_kind_queue(
    db: Database,
    actor: Actor,
    kind: str,
    now: dt.datetime | None = None,
    cap: int | None = None,
) -> QueueExport:
    """The open applications or referrals queue (`kind`), every page of it."""
    now = now or utcnow()
    query = kind_query(actor, kind).with_only_columns(
        Case.reference,
        Case.kind,
        Case.status,
        Case.channel,
        Agency.short_name,
        Case.created_at,
        Case.due_at,
    )
    return _export(db, actor, query, now, cap, {"queue": f"{kind}s"})


def _export(
    db: Database,
    actor: Actor,
    query: Select[Any],
    now: dt.datetime,
    cap: int | None,
    detail: dict[str, Any],
) -> QueueExport:
    cap = EXPORT_CAP if cap is None else cap
    query = query.join(Agency, Agency.id == Case.agency_id).limit(cap + 1)
    with db.transaction() as session:
        found = session.execute(query).mappings().all()
        rows = [_export_row(row, now) for row in found[:cap]]
        capped = len(found) > cap
        # The count, never the contents: the audit log must not become a copy of the data.
        audit(
            session, actor, "queue.exported", detail={**detail, "rows": len(rows), "capped": capped}
        )
    return QueueExport(rows, capped)


def _export_row(row: Any, now: dt.datetime) -> ExportRow:
    category = row.get("category")
    due_at = row["due_at"]
    return ExportRow(
        reference=format_reference(row["reference"], row["kind"]),
        kind=row["kind"],
        status=row["status"].replace("_", " "),
        category=BY_CODE[category].label if category in BY_CODE else category or "",
        priority=row.get("priority") or "",
        district=row.get("district") or "",
        channel=row["channel"],
        agency=row["short_name"],
        created_at=row["created_at"],
        due_at=due_at,
        overdue=due_at is not None and due_at < now and row["status"] in AGENCY_OWES[row["kind"]],
    )
