"""What PostgreSQL does with the statements a casework function runs: each statement is
caught as the function sends it, then EXPLAINed with the same parameters.

A sequential scan of one of the big tables (the ones that grow with every citizen and
case) means a page whose time grows with the database, whatever it measures today.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event

from casework.database import Database

BIG_TABLES = frozenset(
    {"cases", "grievances", "applications", "referrals", "case_events", "citizens"}
)


@dataclass(frozen=True)
class Plan:
    statement: str
    scans: tuple[tuple[str, str], ...]  # (node type, relation), in plan order

    @property
    def seq_scans(self) -> list[str]:
        return [table for node, table in self.scans if node == "Seq Scan" and table in BIG_TABLES]


def plans_of(db: Database, call: Callable[[], Any]) -> list[Plan]:
    """The plans of every statement `call` sends (reads only: EXPLAIN, never ANALYZE)."""
    with _statements(db) as sent:
        call()
    plans = []
    with db.engine.connect() as connection:
        for statement, parameters in sent:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            explained = connection.exec_driver_sql(
                f"EXPLAIN (FORMAT JSON) {statement}", parameters
            ).scalar_one()
            plans.append(Plan(statement, tuple(_scans(explained[0]["Plan"]))))
    return plans


def describe(plans: list[Plan]) -> str:
    """`index scans only`, or which big tables are read whole."""
    seq = sorted({table for plan in plans for table in plan.seq_scans})
    if seq:
        return "Seq Scan on " + ", ".join(seq)
    used = sorted({node for plan in plans for node, table in plan.scans if table in BIG_TABLES})
    return "; ".join(used) if used else "no big table read"


@contextmanager
def _statements(db: Database) -> Iterator[list[tuple[str, Any]]]:
    sent: list[tuple[str, Any]] = []

    def catch(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", catch)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", catch)


def _scans(node: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if "Relation Name" in node:
        yield node["Node Type"], node["Relation Name"]
    for child in node.get("Plans", ()):
        yield from _scans(child)
