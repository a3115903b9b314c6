"""The scale benchmark's database: made once at the size asked for, then reused.

Generating three million cases takes minutes, so a database already holding the size
asked for is reused. It knows by a comment on the database, written only after the
generator finished (`thusa-scale citizens=... cases=... seed=... seconds=... rows=...`):
a run cut off half-way leaves no comment, and the next run starts again from scratch.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from casework.database import Database
from casework.generate_data import generate
from casework.migrate import upgrade
from casework.seed_demo import seed_demo

SERVER_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SEED = 1
MARK = "thusa-scale"


@dataclass(frozen=True)
class Prepared:
    url: str
    reused: bool
    generate_seconds: float  # when it was generated, in this run or an earlier one
    rows: int  # rows the generator wrote (citizens, cases and their kind rows, events)


def prepare(name: str, citizens: int, cases: int) -> Prepared:
    """The URL of database `name` on the benchmark server, holding `citizens` and `cases`
    generated with the benchmark's seed, migrated to the newest schema and analysed."""
    server = make_url(SERVER_URL)
    url = server.set(database=name).render_as_string(hide_password=False)
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            mark = _mark(connection, name)
            wanted = f"{MARK} citizens={citizens} cases={cases} seed={SEED}"
            if mark is not None and mark.startswith(wanted + " "):
                upgrade(url)  # an index added since it was made is built now
                _analyse(url)
                fields = dict(part.split("=") for part in mark.split()[1:])
                return Prepared(url, True, float(fields["seconds"]), int(fields["rows"]))
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        upgrade(url)
        db = Database(url)
        try:
            seed_demo(db, with_staff=False)
            print(
                f"generating {citizens:,} citizens and {cases:,} cases in {name}...",
                file=sys.stderr,
                flush=True,
            )
            result = generate(db, citizens=citizens, cases=cases, seed=SEED)
        finally:
            db.dispose()
        rows = result.citizens + 2 * result.cases + result.events
        with admin.connect() as connection:
            comment = f"{wanted} seconds={result.seconds:.0f} rows={rows}"
            connection.exec_driver_sql(f"COMMENT ON DATABASE \"{name}\" IS '{comment}'")
        _analyse(url)
        return Prepared(url, False, result.seconds, rows)
    finally:
        admin.dispose()


def _mark(connection: sa.Connection, name: str) -> str | None:
    return connection.scalar(
        sa.text(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :name"
        ),
        {"name": name},
    )


def _analyse(url: str) -> None:
    """Fresh planner statistics, and the visibility map that lets index-only scans skip
    the table (VACUUM), as a database that has been running for a while would have."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    started = time.monotonic()
    with engine.connect() as connection:
        connection.exec_driver_sql("VACUUM (ANALYZE)")
    engine.dispose()
    print(f"vacuum analyze: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
