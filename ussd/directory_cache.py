"""The service directory as the USSD menus read it: kept in the process between hops.

Nearly every hop shows or answers a directory menu (categories, services, districts,
offices), and a hop reads the screen it answers as well as the one it shows, so reading
the directory from the database each time cost most of a hop. It changes rarely: a
copy is kept per database handle and dropped

- at once, when this process commits a change to an agency, office or service (any
  session: the seed command, a test, a future editing page), and
- after `TTL_SECONDS` in any case, for changes made by another process or by hand.

Everything returned is the same frozen data `casework.directory` returns.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from casework import directory
from casework.database import Database
from casework.models import Agency, Office, Service, ServiceText

TTL_SECONDS = 60.0
_DIRECTORY = (Agency, Office, Service, ServiceText)
_DIRECTORY_TABLES = frozenset(model.__tablename__ for model in _DIRECTORY)
T = TypeVar("T")


class _Generation:
    """Counts directory changes committed in this process; every cached copy older than
    the count is stale."""

    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def bump(self) -> None:
        with self._lock:
            self.value += 1


changes = _Generation()


@event.listens_for(Session, "after_flush")
def _note_directory_flush(session: Session, _context: Any) -> None:
    touched = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, _DIRECTORY) for obj in touched):
        session.info["directory_changed"] = True


@event.listens_for(Session, "do_orm_execute")
def _note_directory_statement(state: Any) -> None:
    # Bulk INSERT, UPDATE or DELETE statements change rows without any object flushed.
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if getattr(state.statement.table, "name", None) in _DIRECTORY_TABLES:
        state.session.info["directory_changed"] = True


@event.listens_for(Session, "after_commit")
def _bump_after_commit(session: Session) -> None:
    if session.info.pop("directory_changed", False):
        changes.bump()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop("directory_changed", None)


class DirectoryCache:
    def __init__(self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.clock = clock
        # Per database handle (a test's database lives and dies with its handle), then
        # per question: (generation, expires, answer).
        self._kept: weakref.WeakKeyDictionary[Database, dict[Hashable, tuple[int, float, Any]]]
        self._kept = weakref.WeakKeyDictionary()

    def _get(self, db: Database, key: Hashable, load: Callable[[], T]) -> T:
        kept = self._kept.get(db)
        if kept is None:
            kept = self._kept.setdefault(db, {})
        generation, now = changes.value, self.clock()
        entry = kept.get(key)
        if entry is not None and entry[0] == generation and entry[1] > now:
            return entry[2]  # type: ignore[no-any-return]
        value = load()
        kept[key] = (generation, now + self.ttl, value)
        return value

    def clear(self) -> None:
        self._kept = weakref.WeakKeyDictionary()

    # The questions the USSD screens ask, answered as `casework.directory` answers them.
    def list_services(self, db: Database, language: str) -> list[directory.ServiceSummary]:
        return self._get(db, ("services", language), lambda: directory.list_services(db, language))

    def categories(self, db: Database, channel: str | None = None) -> list[str]:
        services = self.list_services(db, "en")
        found = {s.category for s in services if channel is None or channel in s.channels}
        return [code for code in directory.CATEGORIES if code in found]

    def services_in_category(
        self, db: Database, category: str, language: str, channel: str | None = None
    ) -> list[directory.ServiceSummary]:
        return [
            s
            for s in self.list_services(db, language)
            if s.category == category and (channel is None or channel in s.channels)
        ]

    def service_detail(
        self, db: Database, service_id: int, language: str
    ) -> directory.ServiceDetail | None:
        return self._get(
            db,
            ("detail", service_id, language),
            lambda: directory.service_detail(db, service_id, language),
        )

    def districts(self, db: Database) -> list[str]:
        return self._get(db, ("districts",), lambda: directory.districts(db))

    def offices_in_district(self, db: Database, district: str) -> list[directory.OfficeSummary]:
        return self._get(
            db, ("offices", district), lambda: directory.offices_in_district(db, district)
        )

    def office(self, db: Database, office_id: int) -> directory.OfficeSummary | None:
        return self._get(db, ("office", office_id), lambda: directory.office(db, office_id))


cache = DirectoryCache()
