"""The dashboard as staff open it: figures counted per scope and kept, not counted anew
for every page.

Counting the dashboard reads every complaint in scope and the timelines of the last 12
weeks: a few seconds on a national database, too slow for a page. Its medians cannot be
kept up to date change by change (a median is not a running total), so the whole set of
figures is kept per scope (`scope_key`: everyone who sees the same cases shares one)
with the moment it was counted, which the page shows ("as at 10:05"). A snapshot older
than `max_age` is counted again when it is asked for; `refresh_dashboards`, run on a
schedule shorter than that, keeps staff from ever waiting for it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from casework.actors import Actor
from casework.dashboard import DashboardFigures, WeekCount, dashboard_figures
from casework.database import Database
from casework.models import DashboardSnapshot, utcnow
from casework.staff_queries import scope_actor, scope_key

DEFAULT_MAX_AGE = dt.timedelta(minutes=10)


def current_figures(
    db: Database,
    actor: Actor,
    *,
    max_age: dt.timedelta = DEFAULT_MAX_AGE,
    now: dt.datetime | None = None,
) -> DashboardFigures:
    """The figures for `actor`'s scope as last counted, or counted now (and kept) when
    they are older than `max_age` or were never counted."""
    now = now or utcnow()
    key = scope_key(actor)
    with db.read() as session:
        kept = session.get(DashboardSnapshot, key)
    if kept is not None and now - kept.computed_at <= max_age:
        return figures_from_json(kept.figures)
    return _count_and_keep(db, key, now)


def refresh_dashboards(db: Database, now: dt.datetime | None = None) -> int:
    """Count again every scope someone has opened; returns how many. For a scheduler
    (the relay's periodic jobs, cron) running more often than the pages' `max_age`."""
    with db.read() as session:
        keys = list(session.scalars(select(DashboardSnapshot.scope)))
    for key in keys:
        _count_and_keep(db, key, now or utcnow())
    return len(keys)


def _count_and_keep(db: Database, key: str, now: dt.datetime) -> DashboardFigures:
    figures = dashboard_figures(db, scope_actor(key), now=now)
    values = {"scope": key, "computed_at": figures.now, "figures": figures_to_json(figures)}
    insert = postgresql_insert if db.is_postgresql else sqlite_insert
    statement = insert(DashboardSnapshot).values(values)
    # Two workers may count the same stale scope at once; the later count wins.
    statement = statement.on_conflict_do_update(
        index_elements=["scope"],
        set_={"computed_at": statement.excluded.computed_at, "figures": statement.excluded.figures},
    )
    with db.transaction() as session:
        session.execute(statement)
    return figures


def figures_to_json(figures: DashboardFigures) -> dict[str, Any]:
    return {
        "now": figures.now.isoformat(),
        "by_status": figures.by_status,
        "by_channel": figures.by_channel,
        "by_district": figures.by_district,
        "by_category": figures.by_category,
        "overdue": figures.overdue,
        "median_to_acknowledge": _microseconds(figures.median_to_acknowledge),
        "median_to_resolve": _microseconds(figures.median_to_resolve),
        "trend": [[w.week_start.isoformat(), w.lodged, w.resolved] for w in figures.trend],
    }


def figures_from_json(kept: dict[str, Any]) -> DashboardFigures:
    def pairs(name: str) -> tuple[tuple[str, int], ...]:
        return tuple((label, count) for label, count in kept[name])

    return DashboardFigures(
        now=dt.datetime.fromisoformat(kept["now"]),
        by_status=pairs("by_status"),
        by_channel=pairs("by_channel"),
        by_district=pairs("by_district"),
        by_category=pairs("by_category"),
        overdue=kept["overdue"],
        median_to_acknowledge=_duration(kept["median_to_acknowledge"]),
        median_to_resolve=_duration(kept["median_to_resolve"]),
        trend=tuple(
            WeekCount(dt.date.fromisoformat(week), lodged, resolved)
            for week, lodged, resolved in kept["trend"]
        ),
    )


def _microseconds(duration: dt.timedelta | None) -> int | None:
    # Whole microseconds: a float of seconds would not come back exactly equal.
    return None if duration is None else duration // dt.timedelta(microseconds=1)


def _duration(microseconds: int | None) -> dt.timedelta | None:
    return None if microseconds is None else dt.timedelta(microseconds=microseconds)
