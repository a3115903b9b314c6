"""Running the overdue sweep: `flask --app portal casework sweep`, and inside the relay."""

import datetime as dt
import io
import threading

import pytest
from sqlalchemy import select

import casework.sweep
from casework.models import Case, OutboundMessage, utcnow
from notifications.app_setup import build_relay
from notifications.gateways import ConsoleGateway
from notifications.relay import Relay, RelaySettings
from portal.sweep_command import init_app
from tests.casework.scenes import build_world
from tests.factories import lodge


@pytest.fixture
def cli_app(app):
    if "casework" not in app.cli.commands:
        init_app(app)
    return app


def overdue_grievance(db):
    grievance = lodge(db).grievance
    with db.transaction() as session:
        session.get(Case, grievance.id).due_at = utcnow() - dt.timedelta(hours=1)
    return grievance


def test_casework_sweep_command_escalates_overdue_cases_and_prints_the_counts(cli_app):
    db = cli_app.extensions["casework.db"]
    build_world(db)
    grievance = overdue_grievance(db)
    runner = cli_app.test_cli_runner()

    result = runner.invoke(args=["casework", "sweep"])

    assert result.exit_code == 0, result.output
    assert "Escalated 1 overdue grievances" in result.output
    assert "Told 1 citizens their case is delayed" in result.output
    with db.read() as session:
        assert session.get(Case, grievance.id).status == "escalated"
    again = runner.invoke(args=["casework", "sweep"])
    assert again.exit_code == 0 and "Escalated 0" in again.output and "Told 0" in again.output


def test_casework_sweep_command_fails_when_a_case_could_not_be_swept(cli_app, monkeypatch):
    db = cli_app.extensions["casework.db"]
    build_world(db)
    overdue_grievance(db)

    def broken(*args):
        raise RuntimeError("database went away")

    monkeypatch.setattr(casework.sweep, "_sweep_case", broken)
    result = cli_app.test_cli_runner().invoke(args=["casework", "sweep"])

    assert result.exit_code == 1
    assert "1 cases could not be swept" in result.output


def test_relay_built_for_the_app_sweeps_every_sweep_every_seconds(make_app, database_url):
    app = make_app({"DATABASE_URL": database_url, "SWEEP_EVERY_SECONDS": "60"}, TESTING=True)
    db = app.extensions["casework.db"]
    build_world(db)
    grievance = overdue_grievance(db)

    # First the sweep; then the daily retention job (tests/portal/test_retention_command.py).
    [(interval, sweep), _retention, _dashboards] = build_relay(app).periodic
    sweep()

    assert interval == 60
    with db.read() as session:
        assert session.get(Case, grievance.id).status == "escalated"
        templates = session.scalars(
            select(OutboundMessage.template).where(OutboundMessage.case_id == grievance.id)
        ).all()
    assert sorted(templates) == ["case_delayed", "grievance_lodged"]


def test_relay_runs_periodic_jobs_on_their_interval_and_outlives_one_that_raises(db):
    runs = {"counted": 0, "broken": 0}
    enough = threading.Event()

    def counted():
        runs["counted"] += 1
        if runs["counted"] >= 3 and runs["broken"] >= 3:
            enough.set()

    def broken():
        runs["broken"] += 1
        raise RuntimeError("a job that fails every time")

    # A long poll: only the jobs' short interval can wake the relay this often.
    relay = Relay(db, ConsoleGateway(io.StringIO()), RelaySettings(poll_seconds=30))
    thread = threading.Thread(target=relay.run, args=([(0.05, counted), (0.05, broken)],))
    thread.start()
    try:
        assert enough.wait(timeout=10), runs
    finally:
        relay.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()
