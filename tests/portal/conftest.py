from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from portal import create_app


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
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["casework.db"].dispose()
        if "redis" in app.extensions:
            app.extensions["redis"].close()


@pytest.fixture
def app(make_app: Callable[..., Flask], database_url: str) -> Flask:
    return make_app({"DATABASE_URL": database_url}, TESTING=True)


@pytest.fixture
def client(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_client()
