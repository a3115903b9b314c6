"""CSV downloads of the staff queues, with the filters the queue page had.

The file is made for a spreadsheet: UTF-8 with a byte order mark (without it Excel reads
"Mangaung" fine but mangles isiZulu and Afrikaans letters), and no cell that a
spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Blueprint, Response
from flask.typing import ResponseReturnValue
from flask_login import current_user

from casework.i18n import DISPLAY_TIMEZONE
from casework.models import utcnow
from casework.queue_exports import QueueExport, export_kind_queue, export_triage_queue
from portal.services import get_db
from portal.staff.auth import staff_required
from portal.staff.cases import queue_filters

blueprint = Blueprint("staff_exports", __name__, url_prefix="/staff")

HEADER = (
    "reference",
    "kind",
    "status",
    "category",
    "priority",
    "district",
    "channel",
    "agency",
    "created",
    "due",
    "overdue",
)
# A cell starting with one of these is a formula to Excel, LibreOffice and Sheets: a
# district typed as "=HYPERLINK(...)" must arrive as text, not as a link that runs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@blueprint.get("/grievances.csv")
@staff_required()
def grievances_csv() -> ResponseReturnValue:
    _form, filters = queue_filters()
    export = export_triage_queue(get_db(), current_user.actor, filters)
    return _download("grievances", export)


@blueprint.get("/<any(applications, referrals):kind>.csv")
@staff_required()
def kind_csv(kind: str) -> ResponseReturnValue:
    export = export_kind_queue(get_db(), current_user.actor, kind.rstrip("s"))
    return _download(kind, export)


def spreadsheet_safe(value: str) -> str:
    """`value` as a spreadsheet will show it, never run it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def queue_csv(export: QueueExport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in export.rows:
        cells = (
            row.reference,
            row.kind,
            row.status,
            row.category,
            row.priority,
            row.district,
            row.channel,
            row.agency,
            _local(row.created_at),
            _local(row.due_at),
            "yes" if row.overdue else "no",
        )
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    if export.capped:
        writer.writerow(
            [
                f"Only the first {len(export.rows)} matching rows are here:"
                " narrow the filters to download the rest."
            ]
        )
    return "\ufeff" + out.getvalue()


def _download(queue: str, export: QueueExport) -> Response:
    today = utcnow().astimezone(DISPLAY_TIMEZONE).date().isoformat()
    capped = f"-first-{len(export.rows)}" if export.capped else ""
    response = Response(queue_csv(export).encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{queue}-{today}{capped}.csv"'
    # Case details on a shared desk PC: not for the browser's cache.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _local(moment: dt.datetime | None) -> str:
    return moment.astimezone(DISPLAY_TIMEZONE).strftime("%Y-%m-%d %H:%M") if moment else ""
