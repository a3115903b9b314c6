"""The fault suite: tests that break real services on purpose (`pytest -m faults`).

Redis and PostgreSQL faults use servers of the test's own (`private_servers`), never the
shared ones; the SMS gateway is the fake Africa's Talking driven through the real SDK.
Like the rest of the suite, a missing server skips locally and fails with CI=true.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from casework.migrate import upgrade
from notifications.gateways import AfricasTalkingGateway
from tests.conftest import service_missing
from tests.fake_africastalking import FakeAfricasTalking
from tests.faults.private_servers import PrivatePostgres, PrivateRedis

HERE = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "faults: breaks a real service on purpose (tests/faults)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.faults)
            if "private_redis" in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.redis)
            if "private_postgres" in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.postgresql)


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    """A running redis-server of this test's own; kill() and start() it at will."""
    try:
        server = PrivateRedis()
        server.start()
    except (RuntimeError, OSError) as error:
        service_missing("a private redis-server", error)
    yield server
    server.kill()


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    """A PostgreSQL cluster of this module's own, started, with a migrated `thusa`
    database; stop() and start() it at will (each test gets it running)."""
    try:
        server = PrivatePostgres()
        server.init()
        server.start()
    except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
        service_missing("a private PostgreSQL (initdb, pg_ctl)", error)
    try:
        admin = sa.create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql("CREATE DATABASE thusa")
        admin.dispose()
        upgrade(server.url("thusa"))
        yield server
    finally:
        server.remove()


@pytest.fixture
def gateway(fake: FakeAfricasTalking) -> AfricasTalkingGateway:
    """Our Africa's Talking gateway (the real SDK) pointed at the fake."""
    return AfricasTalkingGateway(fake.username, fake.api_key, api_url=fake.url, timeout=2)
