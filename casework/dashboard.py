"""The staff dashboard's figures: the grievances in one actor's scope, counted.

Counts are grouped in SQL, so only a few hundred rows come back however many grievances
there are. The medians and the weekly trend need one row per grievance, so those read only
the trend's 12 weeks, and the medians are taken in Python: SQLite has no median, and one
calculation keeps both databases giving the same answer. Counting still reads every
grievance in scope (seconds, at millions), so the page shows figures counted a little
while ago and kept (casework.dashboard_snapshots).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.database import Database
from casework.grievance_categories import BY_CODE, CATEGORIES
from casework.i18n import DISPLAY_TIMEZONE
from casework.models import Case, CaseEvent, CaseKind, Channel, Grievance, utcnow
from casework.staff_queries import in_scope, overdue_grievance
from casework.workflows import GRIEVANCE

TREND_WEEKS = 12


@dataclass(frozen=True)
class WeekCount:
    week_start: dt.date  # the Monday, in DISPLAY_TIMEZONE
    lodged: int
    resolved: int


@dataclass(frozen=True)
class DashboardFigures:
    now: dt.datetime
    # (status, count) in workflow order, every status listed even at zero.
    by_status: tuple[tuple[str, int], ...]
    # (channel, count), every channel listed even at zero.
    by_channel: tuple[tuple[str, int], ...]
    # (district, count), the busiest first; only districts that have grievances.
    by_district: tuple[tuple[str, int], ...]
    # (category label, count) in the categories' own order, every category listed.
    by_category: tuple[tuple[str, int], ...]
    overdue: int
    # Over grievances lodged since `window_start`; None until there is one to measure.
    median_to_acknowledge: dt.timedelta | None
    median_to_resolve: dt.timedelta | None
    trend: tuple[WeekCount, ...]  # oldest week first, the current week last

    @property
    def total(self) -> int:
        return sum(count for _status, count in self.by_status)

    @property
    def open(self) -> int:
        return sum(count for status, count in self.by_status if GRIEVANCE.is_open(status))

    @property
    def escalated(self) -> int:
        return dict(self.by_status)["escalated"]

    @property
    def window_start(self) -> dt.date:
        return self.trend[0].week_start


def dashboard_figures(
    db: Database, actor: Actor, now: dt.datetime | None = None
) -> DashboardFigures:
    """The figures for the grievances `actor` may see, as of `now`.

    Time to acknowledge runs from lodging to the first status change a member of staff
    made: usually `acknowledged`, but a rejection is an answer too, and a grievance the
    overdue sweep escalated is first answered by whoever then picks it up (the sweep's
    own escalation is not an answer). Time to resolve runs to the first `resolved`.
    Grievances not yet answered (or resolved) are left out of that median.
    """
    now = now or utcnow()
    weeks = _week_starts(now)
    since = dt.datetime.combine(weeks[0], dt.time(), tzinfo=DISPLAY_TIMEZONE)
    with db.read() as session:
        by_status, by_channel, by_district, by_category = _counts(session, actor)
        overdue = session.scalar(
            in_scope(select(func.count(Grievance.id)), actor).where(
                # Every status the agency owes is an open one: saying so counts from the
                # index of open cases, and is what the queue's "Overdue only" shows.
                overdue_grievance(now),
                Grievance.closed_at.is_(None),
            )
        )
        timings = _timings(session, actor, since)
        resolutions = _resolutions(session, actor, since)

    to_acknowledge = [answered - lodged for lodged, answered, _ in timings if answered]
    to_resolve = [resolved - lodged for lodged, _, resolved in timings if resolved]
    lodged_weeks = Counter(_week_of(lodged) for lodged, _, _ in timings)
    resolved_weeks = Counter(week for _case_id, week in resolutions)
    return DashboardFigures(
        now=now,
        by_status=tuple((status, by_status.get(status, 0)) for status in GRIEVANCE.statuses),
        by_channel=tuple((channel.value, by_channel.get(channel.value, 0)) for channel in Channel),
        by_district=tuple(sorted(by_district.items(), key=lambda item: (-item[1], item[0]))),
        by_category=_categories(by_category),
        overdue=overdue or 0,
        median_to_acknowledge=median_duration(to_acknowledge),
        median_to_resolve=median_duration(to_resolve),
        trend=tuple(
            WeekCount(week, lodged_weeks.get(week, 0), resolved_weeks.get(week, 0))
            for week in weeks
        ),
    )


def median_duration(durations: Iterable[dt.timedelta]) -> dt.timedelta | None:
    """The middle duration (the mean of the middle two of an even number); None if none."""
    seconds = [duration.total_seconds() for duration in durations]
    return dt.timedelta(seconds=statistics.median(seconds)) if seconds else None


def _counts(session: Session, actor: Actor) -> tuple[Counter[str], ...]:
    """Grievances in scope counted by status, by channel, by district and by category:
    grouped by all four at once (a few hundred groups), so the grievances are read once
    rather than four times, and added up here."""
    columns = (Grievance.status, Grievance.channel, Grievance.district, Grievance.category)
    query = in_scope(select(*columns, func.count(Grievance.id)), actor).group_by(*columns)
    counts: tuple[Counter[str], ...] = (Counter(), Counter(), Counter(), Counter())
    for *values, count in session.execute(query):
        for counter, value in zip(counts, values, strict=True):
            counter[value] += count
    return counts


def _categories(counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    known = [(category.label, counts.get(category.code, 0)) for category in CATEGORIES]
    # A code no longer offered still has its grievances; they are counted under the code.
    retired = sorted((code, n) for code, n in counts.items() if code not in BY_CODE)
    return (*known, *retired)


def _timings(
    session: Session, actor: Actor, since: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime | None, dt.datetime | None]]:
    """(lodged, first answered, first resolved) for each grievance lodged since `since`."""
    answered = func.min(case((CaseEvent.actor_type == "staff", CaseEvent.at)))
    resolved = func.min(case((CaseEvent.to_status == "resolved", CaseEvent.at)))
    query = (
        in_scope(select(Grievance.created_at, answered, resolved), actor)
        .outerjoin(
            CaseEvent,
            and_(CaseEvent.case_id == Grievance.id, CaseEvent.type == "status_changed"),
        )
        # `kind` is implied by the join to grievances; said, the lodging dates of the
        # window come from an index (see Case) instead of reading every case.
        .where(Grievance.created_at >= since, Case.kind == CaseKind.GRIEVANCE.value)
        .group_by(Grievance.id, Grievance.created_at)
    )
    return [(lodged, first, done) for lodged, first, done in session.execute(query)]


def _resolutions(session: Session, actor: Actor, since: dt.datetime) -> set[tuple[int, dt.date]]:
    """(grievance, week) for each week since `since` in which a grievance was resolved; one
    resolved, reopened and resolved again in another week counts in both weeks."""
    query = in_scope(
        select(CaseEvent.case_id, CaseEvent.at)
        .select_from(Grievance)
        .join(CaseEvent, CaseEvent.case_id == Grievance.id),
        actor,
    ).where(
        CaseEvent.type == "status_changed",
        CaseEvent.to_status == "resolved",
        CaseEvent.at >= since,
    )
    return {(case_id, _week_of(at)) for case_id, at in session.execute(query)}


def _week_of(moment: dt.datetime) -> dt.date:
    """The Monday starting the local week `moment` falls in."""
    day = moment.astimezone(DISPLAY_TIMEZONE).date()
    return day - dt.timedelta(days=day.weekday())


def _week_starts(now: dt.datetime) -> list[dt.date]:
    current = _week_of(now)
    return [current - dt.timedelta(weeks=back) for back in range(TREND_WEEKS - 1, -1, -1)]
