"""The database handle every casework function takes: an engine and its sessions.

Casework owns transactions. A service function opens one with `db.transaction()`, and
the change, its case event, its audit row and its outbox message commit together or not
at all. Channels never hold a session of their own; they read through `db.read()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

# What a request meets while the database is restarting, failing over or unreachable (and
# SQLite's "database is locked" past its busy timeout): worth answering "try again soon"
# rather than 500. The pool replaces dead connections by itself once the server is back.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


class Database:
    def __init__(self, url: str, **engine_options: Any) -> None:
        self.url = make_url(url)
        self.engine = make_engine(url, **engine_options)
        # expire_on_commit=False: the objects a service function returns stay readable
        # after its transaction has ended (the caller shows the new reference, say).
        # Reads on PostgreSQL run without BEGIN and ROLLBACK: two round trips fewer for each
        # (a USSD hop waits for several). Nothing is lost: under READ COMMITTED every
        # statement takes its own snapshot inside a transaction too, and reads write nothing.
        reads = self.engine
        if self.is_postgresql:
            reads = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._sessions = sessionmaker(reads, expire_on_commit=False)
        # Writes on SQLite take the write lock at BEGIN, so two writers queue on
        # busy_timeout rather than one failing half-way with "database is locked".
        self._write_sessions = sessionmaker(
            self.engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )

    @property
    def is_postgresql(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls back if it raises."""
        with self._write_sessions.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries. Closing it ends its transaction without committing, and
        leaves what it loaded readable (but detached) for the caller."""
        with self._sessions() as session:
            yield session

    def listen(self, identifier: str, fn: Callable[..., Any]) -> None:
        """Subscribe to a session event of every write transaction (e.g. "after_commit")."""
        event.listen(self._write_sessions, identifier, fn)

    def ping(self) -> None:
        """Raise unless the database answers a trivial query."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


def make_engine(url: str, **options: Any) -> Engine:
    # Statement parameters hold phone numbers, ID numbers and grievance text; an error
    # message or log line must never carry them.
    options.setdefault("hide_parameters", True)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        options.setdefault("connect_args", {}).setdefault("timeout", 15)
        engine = create_engine(parsed, **options)
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        # A dead connection (the server restarted) is replaced instead of failing a request;
        # a short connect timeout lets /healthz answer 503 quickly when the server is down.
        options.setdefault("pool_pre_ping", True)
        options.setdefault("connect_args", {}).setdefault("connect_timeout", 3)
    return create_engine(parsed, **options)


def _configure_sqlite(engine: Engine) -> None:
    """Real transactions on SQLite: foreign keys on, WAL, and BEGIN issued by us.

    pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT, which the
    reference allocator relies on; this is SQLAlchemy's documented recipe.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 15000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")
