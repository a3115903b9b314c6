"""A generated case's life: its statuses and timeline, played out along its workflow.

Each case is lodged at a moment in the past and then moves on step by step, each step
after a plausible wait (log-normal: most quick, a few very slow), until it reaches a
final status or the next step would fall after `now`, where it waits as open cases do.
Every move is checked against casework.workflows (the step exists, the actor's role may
make it), deadlines come from the same service-level rules the service functions use,
and a case whose deadline passes before its next step meets the overdue sweep as it
would have: escalated once by the system, with its note, and its citizen told once.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from casework.i18n import DISPLAY_TIMEZONE
from casework.service_levels import (
    ACKNOWLEDGE_WITHIN_WORKING_DAYS,
    DEFAULT_RESOLVE_WITHIN_WORKING_DAYS,
    PUBLIC_HOLIDAYS,
    RESOLVE_WITHIN_WORKING_DAYS,
    SENSITIVE_WITHIN,
    is_sensitive,
)
from casework.sweep import (
    AGENCY_OWES,
    DELAYED,
    ESCALATE_FROM,
    NOT_ACKNOWLEDGED,
    NOT_RESOLVED,
    SUPERVISOR_NOTE,
)
from casework.workflows import SYSTEM, WORKFLOWS
from casework.working_days import add_working_days

HOUR = 3600.0
DAY = 24 * HOUR
SWEEP_EVERY = 300.0  # the relay's default: a deadline is noticed within five minutes

# (kind, from, to) -> (the roles that may make the step, whether the citizen is told),
# read once from the workflows.
_STEPS = {
    (kind, step.source, step.target): (step.roles, step.template is not None)
    for kind, workflow in WORKFLOWS.items()
    for step in workflow.transitions
}


@dataclass(frozen=True)
class Actor:
    """Who makes a step: `role` is the workflow role, `type` what the timeline records."""

    type: str  # staff, citizen, system
    role: str
    staff_id: int | None = None
    name: str | None = None


SYSTEM_ACTOR = Actor("system", SYSTEM)
CITIZEN_ACTOR = Actor("citizen", "citizen")


@dataclass(slots=True)
class Story:
    """One case as it is being played out; times are POSIX seconds until written."""

    rng: random.Random
    kind: str
    status: str
    created: float
    now: float
    due: float | None
    last: float = 0.0
    assigned_to: int | None = None
    closed: float | None = None
    escalated_by_sweep: bool = False
    told_delayed: bool = False
    # (at, type, public, from_status, to_status, body, actor_type, actor_staff_id)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    # Grievance only: set by `acknowledged`, and the deadline rule used after it.
    acknowledged: float | None = None
    category: str | None = None

    def event(self, at: float, type: str, actor: Actor, *, public: bool, body: Any = None):
        self.events.append((at, type, public, None, None, body, actor.type, actor.staff_id))
        self.last = at

    def move(self, at: float, target: str, actor: Actor, body: str | None = None) -> None:
        roles, public = _STEPS.get((self.kind, self.status, target), (frozenset(), False))
        if actor.role not in roles:
            raise AssertionError(f"{self.kind}: {self.status} -> {target} by {actor.role}")
        self.events.append(
            (at, "status_changed", public, self.status, target, body, actor.type, actor.staff_id)
        )
        self.status = target
        self.last = at
        self.closed = None if WORKFLOWS[self.kind].is_open(target) else at

    def reach(self, at: float) -> bool:
        """Whether the case gets to `at` before now; the overdue sweep passes first if
        the deadline fell before it."""
        if self.due is not None and self.due < min(at, self.now):
            # The sweep runs every few minutes: it notices a deadline, or a case that is
            # the agency's again past its deadline, soon after (and before the next step).
            noticed = max(self.due, self.last) + self.rng.uniform(1.0, SWEEP_EVERY)
            self._swept(min(noticed, at))
        return at <= self.now

    def _swept(self, at: float) -> None:
        if self.status not in AGENCY_OWES[self.kind] or at > self.now:
            return
        if (
            self.kind == "grievance"
            and self.status in ESCALATE_FROM
            and not self.escalated_by_sweep
        ):
            reason = NOT_ACKNOWLEDGED if self.status == "lodged" else NOT_RESOLVED
            self.move(at, "escalated", SYSTEM_ACTOR, reason)
            self.event(at, "note", SYSTEM_ACTOR, public=False, body=SUPERVISOR_NOTE)
            self.escalated_by_sweep = True
        if not self.told_delayed:
            self.event(at, DELAYED, SYSTEM_ACTOR, public=True)
            self.told_delayed = True


def wait(rng: random.Random, start: float, median_hours: float, spread: float = 1.0) -> float:
    """`start` plus a log-normal wait: half are under `median_hours`, a few far over."""
    return start + rng.lognormvariate(0.0, spread) * median_hours * HOUR


def timestamp(seconds: float | None) -> dt.datetime | None:
    return None if seconds is None else dt.datetime.fromtimestamp(seconds, dt.UTC)


# Deadlines, as casework.service_levels and casework.working_days compute them, with the
# walk over the calendar done once per start day rather than once per case.


def acknowledge_due(category: str, lodged: float) -> float:
    if is_sensitive(category):
        return lodged + SENSITIVE_WITHIN.total_seconds()
    return _local_working_days_after(lodged, ACKNOWLEDGE_WITHIN_WORKING_DAYS)


def resolve_due(category: str, acknowledged: float) -> float:
    if is_sensitive(category):
        return acknowledged + SENSITIVE_WITHIN.total_seconds()
    days = RESOLVE_WITHIN_WORKING_DAYS.get(category, DEFAULT_RESOLVE_WITHIN_WORKING_DAYS)
    return _local_working_days_after(acknowledged, days)


def utc_working_days_after(start: float, days: int) -> float:
    """As `add_working_days(utcnow(), days)` (applications and referrals: UTC, no holidays)."""
    moment = dt.datetime.fromtimestamp(start, dt.UTC)
    return start + _calendar_days(moment.date(), days, local=False) * DAY


def _local_working_days_after(start: float, days: int) -> float:
    local = dt.datetime.fromtimestamp(start, DISPLAY_TIMEZONE)
    later = local + dt.timedelta(days=_calendar_days(local.date(), days, local=True))
    return later.timestamp()


@lru_cache(maxsize=65_536)
def _calendar_days(day: dt.date, working_days: int, *, local: bool) -> int:
    start = dt.datetime.combine(day, dt.time())
    holidays = PUBLIC_HOLIDAYS if local else ()
    return (add_working_days(start, working_days, holidays) - start).days
