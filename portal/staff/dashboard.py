"""The staff dashboard: complaints counted for whoever is signed in, within their scope,
as charts with the same numbers in tables beside them. The figures are the scope's kept
snapshot (casework.dashboard_snapshots), and the page says when they were counted."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from casework.dashboard_snapshots import current_figures
from casework.i18n import DISPLAY_TIMEZONE
from portal.services import get_db
from portal.staff.auth import staff_required
from portal.staff.charts import chart_tables, render_svg

blueprint = Blueprint("staff_dashboard", __name__, url_prefix="/staff")

# A chart opened on its own is a document of its own: pygal styles it inline, and it has
# nothing else to load and nothing to run. The site's policy (style-src 'self') would
# leave it unstyled, so it gets this tighter one instead.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


@blueprint.get("/dashboard")
@staff_required()
def dashboard() -> ResponseReturnValue:
    figures = current_figures(get_db(), current_user.actor)
    return render_template(
        "staff/dashboard.html",
        figures=figures,
        tables=chart_tables(figures),
        as_of=figures.now.astimezone(DISPLAY_TIMEZONE),
        duration=plain_duration,
    )


@blueprint.get("/dashboard/<any(status, channel, district, category, trend):chart>.svg")
@staff_required()
def chart(chart: str) -> ResponseReturnValue:
    table = chart_tables(current_figures(get_db(), current_user.actor))[chart]
    response = Response(render_svg(table), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Counts change with every complaint: a reload must show today's, like the table.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def plain_duration(value: dt.timedelta | None) -> str:
    """A duration as a person says it: "1 day 4 hours", "3 hours 20 minutes"."""
    if value is None:
        return "No data yet"
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    units = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    largest = next((i for i, (n, _unit) in enumerate(units) if n), None)
    if largest is None:
        return "Under a minute"
    # Two units at most: "2 days 3 hours" says enough; the minutes would be noise.
    said = [(n, unit) for n, unit in units[largest : largest + 2] if n]
    return " ".join(f"{n} {unit}" + ("" if n == 1 else "s") for n, unit in said)
