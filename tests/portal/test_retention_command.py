"""Retention from the command line (`flask --app portal casework retention`) and from the
relay's daily jobs, at the age RETENTION_DAYS sets."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from casework.models import Case, Citizen, Grievance, utcnow
from notifications.app_setup import RETENTION_EVERY_SECONDS, build_relay
from portal.config import ConfigError, load_config
from tests.casework.scenes import build_world
from tests.factories import lodge

PHONE = "+27825550009"


def closed_grievance(db, days_ago: int) -> int:
    grievance = lodge(db, phone=PHONE).grievance
    with db.transaction() as session:
        case = session.get(Case, grievance.id)
        case.status, case.closed_at = "closed", utcnow() - dt.timedelta(days=days_ago)
    return grievance.id


def description(db, case_id: int) -> str:
    with db.read() as session:
        return session.get(Grievance, case_id).description


def test_retention_command_dry_run_then_run_at_a_given_age(app):
    db = app.extensions["casework.db"]
    build_world(db)
    case_id = closed_grievance(db, days_ago=400)
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["casework", "retention", "--older-than-days", "365", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would anonymise 1 cases closed more than 365 days ago, 1 citizens" in dry.output
    assert description(db, case_id)

    default = runner.invoke(args=["casework", "retention"])  # RETENTION_DAYS: 1825
    assert default.exit_code == 0 and "Anonymised 0 cases" in default.output
    assert description(db, case_id)

    done = runner.invoke(args=["casework", "retention", "--older-than-days", "365"])
    assert done.exit_code == 0 and "Anonymised 1 cases" in done.output
    assert description(db, case_id) == ""
    with db.read() as session:
        assert session.scalar(select(Citizen.id).where(Citizen.phone == PHONE)) is None


def test_retention_command_refuses_a_nonsense_age(app):
    result = app.test_cli_runner().invoke(args=["casework", "retention", "--older-than-days", "0"])
    assert result.exit_code == 2 and "older-than-days" in result.output


def test_the_relay_runs_retention_daily_at_retention_days(make_app, database_url):
    app = make_app({"DATABASE_URL": database_url, "RETENTION_DAYS": "30"}, TESTING=True)
    db = app.extensions["casework.db"]
    build_world(db)
    old, recent = closed_grievance(db, days_ago=31), closed_grievance(db, days_ago=29)

    _sweep, (interval, retention), _dashboards = build_relay(app).periodic
    retention()

    assert interval == RETENTION_EVERY_SECONDS == 24 * 3600
    assert description(db, old) == "" and description(db, recent)


def test_retention_days_must_be_a_positive_number(tmp_path):
    with pytest.raises(ConfigError, match="RETENTION_DAYS"):
        load_config(str(tmp_path), {"RETENTION_DAYS": "-1"})
    assert load_config(str(tmp_path), {})["RETENTION_DAYS"] == 1825
