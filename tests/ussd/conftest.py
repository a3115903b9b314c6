from __future__ import annotations

import pytest

from casework.seed_demo import seed_demo
from tests.ussd.phone import Phone
from ussd.session_store import MemorySessionStore


@pytest.fixture
def directory(db):  # type: ignore[no-untyped-def]
    seed_demo(db, with_staff=False)
    return db


@pytest.fixture
def store() -> MemorySessionStore:
    return MemorySessionStore()


@pytest.fixture
def phone(directory, store) -> Phone:  # type: ignore[no-untyped-def]
    return Phone(directory, store)
