"""The dashboard's figures, with a frozen clock: lodging and status changes are made through
the service functions, then dated where the test needs them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from casework.actors import Actor
from casework.dashboard import dashboard_figures, median_duration
from casework.models import Case, CaseEvent
from casework.services import transition
from tests.casework.scenes import build_world
from tests.factories import create_office, lodge, set_status

SAST = ZoneInfo("Africa/Johannesburg")
UTC = dt.UTC
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
# A Wednesday: its week began on Monday 9 March, and the 12-week trend on 22 December.
NOW = dt.datetime(2026, 3, 11, 10, 0, tzinfo=UTC)


@pytest.fixture
def world(db):
    return build_world(db)


def lodged(db, at, **overrides):
    grievance = lodge(db, **overrides).grievance
    with db.transaction() as session:
        session.get(Case, grievance.id).created_at = at
    grievance.created_at = at
    return grievance


def move(db, grievance, target, actor, at, reason=None):
    """A status change through `transition`, then dated `at` (the clock is not frozen)."""
    event = transition(db, grievance.id, target, actor, reason=reason)
    with db.transaction() as session:
        session.get(CaseEvent, event.id).at = at


def resolve(db, grievance, actor, acknowledged_at, resolved_at):
    move(db, grievance, "acknowledged", actor, acknowledged_at)
    move(db, grievance, "assigned", actor, acknowledged_at)
    move(db, grievance, "in_progress", actor, acknowledged_at)
    move(db, grievance, "resolved", actor, resolved_at, reason="Paid on Friday.")


def set_due(db, grievance, due_at):
    with db.transaction() as session:
        session.get(Case, grievance.id).due_at = due_at


def test_dashboard_counts_by_status_channel_district_and_category(db, world):
    start = NOW - 3 * DAY
    lodged(db, start, channel="ussd", district="eThekwini", category="payment")
    lodged(db, start, channel="ussd", district="eThekwini", category="payment")
    web = lodged(db, start, channel="web", district="Mangaung", category="child_abuse")
    sms = lodged(db, start, channel="sms", district="Mangaung", category="payment")
    lodged(db, start, channel="assisted", district="Buffalo City", category="other")
    set_status(db, web, "acknowledged")
    set_status(db, sms, "closed")

    figures = dashboard_figures(db, world.actor("administrator"), now=NOW)

    assert dict(figures.by_status) == {
        "lodged": 3,
        "acknowledged": 1,
        "assigned": 0,
        "in_progress": 0,
        "resolved": 0,
        "closed": 1,
        "rejected": 0,
        "escalated": 0,
        "reopened": 0,
    }
    assert [status for status, _n in figures.by_status][:2] == ["lodged", "acknowledged"]
    assert figures.by_channel == (("web", 1), ("ussd", 2), ("sms", 1), ("assisted", 1), ("api", 0))
    # Busiest first, then by name.
    assert figures.by_district == (("Mangaung", 2), ("eThekwini", 2), ("Buffalo City", 1))
    categories = dict(figures.by_category)
    assert categories["Grant or payment problem"] == 3
    assert categories["Child abuse or neglect"] == 1
    assert categories["Something else"] == 1
    assert categories["Staff conduct"] == 0
    assert (figures.total, figures.open) == (5, 4)


def test_overdue_counts_open_grievances_the_agency_owes_and_escalated_counts_status(db, world):
    start = NOW - 10 * DAY
    late = lodged(db, start)
    on_time = lodged(db, start)
    resolved_waiting = lodged(db, start)
    closed = lodged(db, start)
    escalated = lodged(db, start)
    for grievance in (late, resolved_waiting, closed, escalated):
        set_due(db, grievance, NOW - HOUR)
    set_due(db, on_time, NOW + HOUR)
    set_status(db, resolved_waiting, "resolved")  # the work is done: not late
    set_status(db, closed, "closed")
    set_status(db, escalated, "escalated")  # escalated and past due: still late

    figures = dashboard_figures(db, world.actor("supervisor"), now=NOW)

    assert figures.overdue == 2
    assert figures.escalated == 1
    assert figures.open == 4


def test_medians_over_odd_and_even_counts(db, world):
    staff = world.actor("supervisor")
    start = NOW - 20 * DAY
    grievances = [lodged(db, start) for _ in range(4)]
    for grievance, hours in zip(grievances[:3], (1, 10, 3), strict=True):
        move(db, grievance, "acknowledged", staff, start + hours * HOUR)

    odd = dashboard_figures(db, staff, now=NOW)
    assert odd.median_to_acknowledge == 3 * HOUR
    assert odd.median_to_resolve is None  # nothing resolved yet

    move(db, grievances[3], "acknowledged", staff, start + 5 * HOUR)
    for grievance, days in ((grievances[0], 2), (grievances[1], 5)):
        for target in ("assigned", "in_progress"):
            move(db, grievance, target, staff, start + DAY)
        move(db, grievance, "resolved", staff, start + days * DAY, reason="Paid.")

    even = dashboard_figures(db, staff, now=NOW)
    assert even.median_to_acknowledge == 4 * HOUR  # between 3 and 5 hours
    assert even.median_to_resolve == dt.timedelta(days=3, hours=12)


def test_medians_leave_out_grievances_lodged_before_the_trend_window(db, world):
    staff = world.actor("supervisor")
    old = lodged(db, dt.datetime(2025, 12, 1, 8, tzinfo=UTC))
    move(db, old, "acknowledged", staff, old.created_at + 40 * DAY)
    recent = lodged(db, NOW - 2 * DAY)
    move(db, recent, "acknowledged", staff, recent.created_at + 2 * HOUR)

    figures = dashboard_figures(db, staff, now=NOW)

    assert figures.median_to_acknowledge == 2 * HOUR


def test_time_to_acknowledge_is_to_the_first_staff_step_not_the_sweeps_escalation(db, world):
    start = NOW - 5 * DAY
    grievance = lodged(db, start)
    move(db, grievance, "escalated", Actor.system(), start + DAY, reason="Overdue")
    move(db, grievance, "assigned", world.actor("supervisor"), start + 30 * HOUR)

    figures = dashboard_figures(db, world.actor("supervisor"), now=NOW)

    assert figures.median_to_acknowledge == 30 * HOUR
    assert figures.escalated == 0  # it moved on to assigned


def test_medians_are_none_without_grievances(db, world):
    figures = dashboard_figures(db, world.actor("triage_officer"), now=NOW)
    assert figures.median_to_acknowledge is None and figures.median_to_resolve is None
    assert figures.total == 0 and figures.by_district == ()
    assert [week.lodged for week in figures.trend] == [0] * 12


def test_an_officer_of_another_agency_counts_only_cases_in_their_scope(db, world):
    theirs = create_office(db, world.other, district="Mangaung")
    lodged(db, NOW - DAY, office_id=theirs.id, channel="web")
    for _ in range(3):
        lodged(db, NOW - DAY)  # to the intake agency (DSD)

    other = dashboard_figures(db, world.actor("case_officer", receiving=True), now=NOW)
    intake_officer = dashboard_figures(db, world.actor("case_officer"), now=NOW)
    triage = dashboard_figures(db, world.actor("triage_officer"), now=NOW)

    assert (other.total, intake_officer.total, triage.total) == (1, 3, 4)
    assert other.by_district == (("Mangaung", 1),)
    assert dict(other.by_channel)["web"] == 1 and dict(other.by_channel)["ussd"] == 0
    assert sum(week.lodged for week in other.trend) == 1


def test_trend_buckets_weeks_on_mondays_in_johannesburg(db, world):
    staff = world.actor("supervisor")
    # Sunday 8 March 23:59 in Johannesburg is 21:59 UTC: still the week of 2 March.
    sunday_night = lodged(db, dt.datetime(2026, 3, 8, 23, 59, tzinfo=SAST))
    # Monday 00:00 in Johannesburg is 22:00 UTC on Sunday: the week of 9 March.
    monday_midnight = lodged(db, dt.datetime(2026, 3, 8, 22, 0, tzinfo=UTC))
    # The trend's first week starts Monday 22 December 00:00 local; a minute before is out.
    lodged(db, dt.datetime(2025, 12, 21, 23, 59, tzinfo=SAST))
    first_week = lodged(db, dt.datetime(2025, 12, 22, 0, 0, tzinfo=SAST))
    resolve(
        db,
        sunday_night,
        staff,
        acknowledged_at=dt.datetime(2026, 3, 8, 23, 59, 30, tzinfo=SAST),
        resolved_at=dt.datetime(2026, 3, 9, 0, 30, tzinfo=SAST),  # Monday: this week
    )
    resolve(
        db,
        first_week,
        staff,
        acknowledged_at=dt.datetime(2025, 12, 23, tzinfo=SAST),
        resolved_at=dt.datetime(2025, 12, 28, 23, 0, tzinfo=SAST),  # Sunday: first week
    )

    figures = dashboard_figures(db, staff, now=NOW)

    weeks = {week.week_start: (week.lodged, week.resolved) for week in figures.trend}
    assert len(figures.trend) == 12
    assert figures.trend[0].week_start == dt.date(2025, 12, 22)
    assert figures.trend[-1].week_start == dt.date(2026, 3, 9)
    assert all(week.week_start.weekday() == 0 for week in figures.trend)
    assert weeks[dt.date(2026, 3, 2)] == (1, 0)
    assert weeks[dt.date(2026, 3, 9)] == (1, 1)
    assert weeks[dt.date(2025, 12, 22)] == (1, 1)
    assert sum(lodged for lodged, _ in weeks.values()) == 3
    assert monday_midnight.created_at.astimezone(SAST).weekday() == 0


def test_a_grievance_resolved_twice_in_one_week_counts_once_that_week(db, world):
    staff = world.actor("supervisor")
    grievance = lodged(db, NOW - 2 * DAY)
    monday = dt.datetime(2026, 3, 9, 12, tzinfo=SAST)
    resolve(db, grievance, staff, acknowledged_at=monday, resolved_at=monday + HOUR)
    move(db, grievance, "reopened", staff, monday + 2 * HOUR, reason="Not paid after all.")
    move(db, grievance, "in_progress", staff, monday + 3 * HOUR)
    move(db, grievance, "resolved", staff, monday + 4 * HOUR, reason="Paid now.")

    figures = dashboard_figures(db, staff, now=NOW)

    assert figures.trend[-1].resolved == 1
    assert figures.median_to_resolve == monday + HOUR - grievance.created_at


def test_median_duration_of_odd_and_even_counts():
    assert median_duration([]) is None
    assert median_duration([HOUR, 3 * HOUR, 2 * HOUR]) == 2 * HOUR
    assert median_duration([HOUR, 4 * HOUR, 2 * HOUR, 10 * HOUR]) == 3 * HOUR
