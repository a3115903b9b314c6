"""The dashboard page shows kept figures and says when they were counted; a refresh (the
scheduled command) brings in what changed since."""

import re

import pytest

from casework.dashboard_snapshots import current_figures
from casework.i18n import DISPLAY_TIMEZONE
from casework.staff_queries import scope_key
from tests.casework.scenes import build_world
from tests.factories import lodge
from tests.portal.web import as_staff


@pytest.fixture
def world(db):
    world = build_world(db)
    lodge(db, channel="ussd")
    return world


def open_count(html):
    return int(re.search(r"<dt>Open</dt><dd><a [^>]+>(\d+)<", html).group(1))


def test_the_page_shows_kept_figures_as_at_when_they_were_counted(app, client, db, world):
    officer = world.staff["triage_officer"]
    as_staff(client, officer)
    first = client.get("/staff/dashboard").get_data(as_text=True)
    counted = current_figures(db, world.actor("triage_officer")).now.astimezone(DISPLAY_TIMEZONE)
    assert f"as at {counted:%H:%M}" in first and open_count(first) == 1

    lodge(db, channel="web")
    kept = client.get("/staff/dashboard").get_data(as_text=True)
    assert open_count(kept) == 1  # still the figures of that moment, and it says so

    result = app.test_cli_runner().invoke(args=["casework", "refresh-dashboards"])
    assert result.exit_code == 0 and "Dashboards counted again: 1." in result.output
    fresh = client.get("/staff/dashboard").get_data(as_text=True)
    assert open_count(fresh) == 2
    assert scope_key(world.actor("triage_officer")) == f"triage:{world.intake.id}"


def test_the_relay_counts_opened_dashboards_again_every_five_minutes(make_app, database_url):
    import threading

    from notifications.app_setup import DASHBOARD_REFRESH_SECONDS, build_relay

    app = make_app({"DATABASE_URL": database_url}, TESTING=True)
    db = app.extensions["casework.db"]
    world = build_world(db)
    lodge(db, channel="ussd")
    actor = world.actor("triage_officer")
    assert current_figures(db, actor).open == 1  # opened once: kept
    lodge(db, channel="web")

    _sweep, _retention, (interval, dashboards) = build_relay(app).periodic
    dashboards()  # starts the count on a thread of its own and returns
    for thread in threading.enumerate():
        if thread.name == "dashboards":
            thread.join(timeout=30)

    assert interval == DASHBOARD_REFRESH_SECONDS == 300
    assert current_figures(db, actor).open == 2
