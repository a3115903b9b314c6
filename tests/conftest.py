"""Real services for the suite: SQLite files, the PostgreSQL and Redis test servers.

Every database test runs twice, on SQLite (the embedded default) and on PostgreSQL
(production). Without CI=true a missing PostgreSQL or Redis skips those tests with the
reason; with CI=true it fails them, because a CI run that silently skipped half the
suite would prove nothing.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from casework.database import Database
from casework.migrate import upgrade
from casework.models import Base
from portal import create_app
from tests.fake_africastalking import FakeAfricasTalking
from tests.page_checks import CheckedClient

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def service_missing(what: str, error: Exception) -> None:
    message = f"{what} is not answering ({type(error).__name__}: {error})"
    if IN_CI:
        pytest.fail(f"{message}; CI=true needs it running", pytrace=False)
    pytest.skip(f"{message}; start it, or run with CI=true to make this a failure")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (much faster than migrating each time)."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url(test_worker: str) -> Iterator[str]:
    """A database of this test run's own on the PostgreSQL server, migrated once."""
    admin_url = make_url(POSTGRES_ADMIN_URL)
    # One database per run (and per xdist worker): two runs on one server never meet.
    name = f"thusa_test_{test_worker}_{os.getpid()}"
    try:
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as error:
        service_missing(f"PostgreSQL at {admin_url.render_as_string(hide_password=True)}", error)
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="session")
def test_worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(
    params=[
        pytest.param("sqlite", marks=pytest.mark.sqlite),
        pytest.param("postgresql", marks=pytest.mark.postgresql),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty, migrated database on each backend in turn."""
    if request.param == "sqlite":
        path = tmp_path / "thusa.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    truncate_all(url)
    return url


def truncate_all(url: str) -> None:
    """Empty every table of the shared PostgreSQL test database before a test."""
    engine = sa.create_engine(url)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    engine.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The suite's own Redis database number, flushed before and after each test."""
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        client.flushdb()
    except redis.RedisError as error:
        service_missing(f"Redis at {REDIS_TEST_URL}", error)
    yield REDIS_TEST_URL
    client.flushdb()
    client.close()


@pytest.fixture
def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Flask]]:
    """An app built the way production builds it: from the environment."""
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "PORTAL_ENV", "PORTAL_LANGUAGES"):
        monkeypatch.delenv(name, raising=False)
    made: list[Flask] = []

    def make(environ: dict[str, str] | None = None, **config: Any) -> Flask:
        for name, value in (environ or {}).items():
            monkeypatch.setenv(name, value)
        app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), **config})
        app.test_client_class = CheckedClient  # every page a test renders is checked
        made.append(app)
        return app

    yield make
    for app in made:
        if "sms.relay" in app.extensions:
            app.extensions["sms.relay"].stop()
            app.extensions["sms.relay.thread"].join(timeout=10)
        app.extensions["casework.db"].dispose()
        if "redis" in app.extensions:
            app.extensions["redis"].close()


@pytest.fixture
def app(make_app: Callable[..., Flask], database_url: str) -> Flask:
    return make_app({"DATABASE_URL": database_url}, TESTING=True)


@pytest.fixture
def client(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture(autouse=True)
def no_proxy_for_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    # requests obeys HTTP(S)_PROXY; the fake gateway is on loopback.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def fake() -> Iterator[FakeAfricasTalking]:
    with FakeAfricasTalking() as server:
        yield server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "redis_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.redis)


_outcomes: Counter[tuple[str, str]] = Counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call" and not (report.when == "setup" and report.outcome != "passed"):
        return
    for backend in ("sqlite", "postgresql", "redis"):
        if backend in report.keywords:
            _outcomes[(backend, report.outcome)] += 1


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """Say which real services the run exercised, so a skipped backend is never silent."""
    lines = []
    for backend in ("sqlite", "postgresql", "redis"):
        counts = {
            outcome: _outcomes[(backend, outcome)] for outcome in ("passed", "failed", "skipped")
        }
        lines.append(f"{backend}: " + ", ".join(f"{n} {o}" for o, n in counts.items()))
    terminalreporter.write_sep("-", "tests per backend")
    for line in lines:
        terminalreporter.write_line(line)
