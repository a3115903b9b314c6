"""Service levels: what the agency promised, counted in South African working days."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from casework.grievance_categories import CATEGORIES
from casework.models import Grievance
from casework.service_levels import (
    DEFAULT_RESOLVE_WITHIN_WORKING_DAYS,
    PUBLIC_HOLIDAYS,
    RESOLVE_WITHIN_WORKING_DAYS,
    acknowledge_by,
    holidays_from,
    resolve_by,
)
from casework.services import transition
from casework.working_days import add_working_days
from tests.casework.scenes import build_world
from tests.factories import lodge

SAST = ZoneInfo("Africa/Johannesburg")


def local(*args):
    return dt.datetime(*args, tzinfo=SAST)


def test_holidays_from_reads_comma_separated_iso_dates():
    assert holidays_from(" 2026-12-25, 2026-12-26 ,,") == {
        dt.date(2026, 12, 25),
        dt.date(2026, 12, 26),
    }
    assert holidays_from("") == frozenset()
    with pytest.raises(ValueError, match="25/12/2026"):
        holidays_from("2026-12-24,25/12/2026")


def test_default_holidays_include_the_monday_after_a_sunday_holiday():
    # National Women's Day 2026, Human Rights Day 2027 and the Day of Goodwill 2027 fall
    # on a Sunday; the Monday after is a public holiday.
    for monday in (dt.date(2026, 8, 10), dt.date(2027, 3, 22), dt.date(2027, 12, 27)):
        assert monday in PUBLIC_HOLIDAYS and monday.weekday() == 0
    assert {dt.date(2026, 4, 3), dt.date(2026, 4, 6)} <= PUBLIC_HOLIDAYS  # Easter 2026
    assert {dt.date(2027, 3, 26), dt.date(2027, 3, 29)} <= PUBLIC_HOLIDAYS  # Easter 2027
    assert len({day.year for day in PUBLIC_HOLIDAYS}) == 2 and len(PUBLIC_HOLIDAYS) == 27


def test_working_days_skip_weekends_and_holidays():
    friday = local(2026, 6, 12, 9, 0)
    # Youth Day is Tuesday 16 June: Monday, Wednesday, Thursday.
    assert add_working_days(friday, 3, PUBLIC_HOLIDAYS) == local(2026, 6, 18, 9, 0)
    assert add_working_days(friday, 3) == local(2026, 6, 17, 9, 0)


def test_grievance_lodged_on_christmas_eve_is_due_to_be_acknowledged_on_tuesday():
    thursday = local(2026, 12, 24, 10, 0)
    # Christmas (Friday), the weekend (the Day of Goodwill is the Saturday), Monday is the
    # first working day and Tuesday the second.
    due = acknowledge_by("payment", thursday.astimezone(dt.UTC))
    assert due == local(2026, 12, 29, 10, 0)
    assert due.tzinfo == dt.UTC
    assert acknowledge_by("payment", thursday, holidays=()) == local(2026, 12, 28, 10, 0)


def test_working_days_are_counted_in_south_african_dates_not_utc():
    # 23:30 UTC on Friday is already Saturday in Johannesburg: Monday and Tuesday count.
    lodged = dt.datetime(2026, 3, 6, 23, 30, tzinfo=dt.UTC)
    assert acknowledge_by("payment", lodged) == local(2026, 3, 10, 1, 30)


@pytest.mark.parametrize("category", ["gender_based_violence", "child_abuse"])
def test_sensitive_categories_are_due_in_24_calendar_hours(category):
    christmas_eve = local(2026, 12, 24, 22, 15)
    assert acknowledge_by(category, christmas_eve) == local(2026, 12, 25, 22, 15)
    assert resolve_by(category, christmas_eve) == local(2026, 12, 25, 22, 15)


def test_resolve_window_is_set_per_category_in_working_days():
    monday = local(2026, 11, 2, 11, 0)
    assert RESOLVE_WITHIN_WORKING_DAYS["payment"] == 10
    assert resolve_by("payment", monday) == local(2026, 11, 16, 11, 0)
    assert resolve_by("fraud_corruption", monday) == local(2026, 11, 30, 11, 0)
    # Over Heritage Day (Thursday 24 September 2026).
    assert resolve_by("payment", local(2026, 9, 21, 8, 0)) == local(2026, 10, 6, 8, 0)
    unknown = resolve_by("a_category_added_later", monday)
    assert unknown == add_working_days(monday, DEFAULT_RESOLVE_WITHIN_WORKING_DAYS)


def test_every_category_that_is_not_sensitive_has_a_resolve_window():
    for category in CATEGORIES:
        assert (category.code in RESOLVE_WITHIN_WORKING_DAYS) != category.sensitive, category


def test_lodge_grievance_is_due_by_the_acknowledge_rule(db):
    build_world(db)
    grievance = lodge(db, category="child_abuse").grievance
    off_by = grievance.due_at - grievance.created_at - dt.timedelta(hours=24)
    assert abs(off_by) < dt.timedelta(seconds=5)
    # Holidays come in as a parameter: ten days off push the deadline past them.
    today = grievance.created_at.astimezone(SAST).date()
    days_off = {today + dt.timedelta(days=n) for n in range(1, 11)}
    later = lodge(db, category="payment", holidays=days_off).grievance
    assert later.due_at.astimezone(SAST).date() > max(days_off)


def test_acknowledging_a_grievance_makes_it_due_by_its_resolve_deadline(db):
    world = build_world(db)
    grievance = lodge(db, category="staff_conduct").grievance
    transition(db, grievance.id, "acknowledged", world.actor("triage_officer"))
    with db.read() as session:
        stored = session.get(Grievance, grievance.id)
        assert stored.due_at == resolve_by("staff_conduct", stored.acknowledged_at)
        assert stored.due_at > grievance.due_at


def test_reopening_a_grievance_gives_it_a_fresh_resolve_deadline(db):
    world = build_world(db)
    grievance = lodge(db, category="payment").grievance
    for target, role, reason in [
        ("acknowledged", "triage_officer", None),
        ("assigned", "triage_officer", None),
        ("in_progress", "case_officer", None),
        ("resolved", "case_officer", "Paid on Friday."),
    ]:
        transition(db, grievance.id, target, world.actor(role), reason=reason)
    # Forty days off from today: only a deadline counted afresh lands after them.
    today = dt.datetime.now(SAST).date()
    days_off = {today + dt.timedelta(days=n) for n in range(1, 41)}
    transition(
        db,
        grievance.id,
        "reopened",
        world.actor("citizen"),
        reason="Not paid.",
        holidays=days_off,
    )
    with db.read() as session:
        stored = session.get(Grievance, grievance.id)
        assert stored.due_at.astimezone(SAST).date() > max(days_off)
