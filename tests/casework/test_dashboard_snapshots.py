"""Kept dashboard figures: the same as counting live when they are counted, kept (with the
moment they were counted) until they are too old or refreshed, one per scope."""

import datetime as dt

import pytest

from casework.dashboard import dashboard_figures
from casework.dashboard_snapshots import (
    current_figures,
    figures_from_json,
    figures_to_json,
    refresh_dashboards,
)
from casework.models import Role
from casework.services import transition
from casework.staff_queries import scope_actor, scope_key
from tests.casework.scenes import build_world
from tests.factories import create_office, lodge

MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def world(db):
    world = build_world(db)
    theirs = create_office(db, world.other, district="Mangaung")
    lodge(db, office_id=theirs.id, channel="web", phone="+27825550009")
    acknowledged = lodge(db, category="payment", channel="sms").grievance
    transition(db, acknowledged.id, "acknowledged", world.actor("supervisor"))
    lodge(db, category="child_abuse", channel="web", district="Umlazi")
    return world


def actors(world):
    staff = [world.actor(role.value) for role in Role]
    return [*staff, world.actor("case_officer", receiving=True)]


def test_first_look_counts_live_for_every_scope(db, world):
    for actor in actors(world):
        assert current_figures(db, actor) == dashboard_figures(
            db, actor, now=current_figures(db, actor).now
        )


def test_kept_figures_stay_until_refreshed_then_agree_with_live_counts(db, world):
    supervisor = world.actor("supervisor")
    before = current_figures(db, supervisor)
    late = lodge(db, category="fraud_corruption", channel="ussd").grievance
    transition(db, late.id, "acknowledged", supervisor)

    kept = current_figures(db, supervisor)
    assert kept == before  # the page says "as at" the moment they were counted
    assert kept.total == before.total

    assert refresh_dashboards(db) == 1
    fresh = current_figures(db, supervisor)
    assert fresh.now > before.now
    assert fresh == dashboard_figures(db, supervisor, now=fresh.now)
    assert fresh.total == before.total + 1
    assert dict(fresh.by_status)["acknowledged"] == dict(before.by_status)["acknowledged"] + 1


def test_figures_older_than_the_limit_are_counted_again(db, world):
    triage = world.actor("triage_officer")
    first = current_figures(db, triage)
    lodge(db)
    later = first.now + 11 * MINUTE
    assert current_figures(db, triage, now=later - 2 * MINUTE) == first  # 9 minutes old
    recounted = current_figures(db, triage, now=later)
    assert recounted.now == later and recounted.total == first.total + 1
    assert current_figures(db, triage, max_age=dt.timedelta(0)).total == first.total + 1


def test_actors_of_one_scope_share_figures_and_other_scopes_do_not(db, world):
    officer, supervisor = world.actor("case_officer"), world.actor("supervisor")
    other = world.actor("case_officer", receiving=True)
    assert scope_key(officer) == scope_key(supervisor) != scope_key(other)
    assert current_figures(db, officer) == current_figures(db, supervisor)
    assert current_figures(db, other).total == 1
    # Counting for the key's stand-in sees what the real officers see.
    for actor in actors(world):
        stand_in = scope_actor(scope_key(actor))
        now = dt.datetime.now(dt.UTC)
        assert dashboard_figures(db, stand_in, now=now) == dashboard_figures(db, actor, now=now)


def test_figures_survive_being_kept_exactly(db, world):
    figures = dashboard_figures(db, world.actor("administrator"))
    assert figures.median_to_acknowledge is not None
    assert figures_from_json(figures_to_json(figures)) == figures
