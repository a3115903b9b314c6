"""Writing many rows at once inside a transaction: COPY on PostgreSQL, batched INSERTs on
SQLite (the embedded default, for small sizes)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import JSON, func, select, text
from sqlalchemy.orm import Session

from casework.models import Base


class BulkInsert:
    def __init__(self, session: Session) -> None:
        self._connection = session.connection()
        self.postgresql = self._connection.dialect.name == "postgresql"

    def reserve_ids(self, table: str, count: int) -> list[int]:
        """`count` ids no other writer will use, so rows can point at each other before
        any is written."""
        if count == 0:
            return []
        if self.postgresql:
            # Each nextval is taken atomically: a concurrent insert gets other numbers.
            query = text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id'))"
                " FROM generate_series(1, :count)"
            )
            return list(self._connection.scalars(query, {"table": table, "count": count}))
        # SQLite: our transaction began IMMEDIATE, so nobody else writes until it ends.
        columns = Base.metadata.tables[table].c
        top = self._connection.scalar(select(func.coalesce(func.max(columns.id), 0)))
        return list(range(top + 1, top + 1 + count))

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Insert `rows` (tuples in `columns`' order); returns how many."""
        if self.postgresql:
            return self._copy(table, columns, rows)
        target = Base.metadata.tables[table]
        batch = [dict(zip(columns, row, strict=True)) for row in rows]
        if batch:
            self._connection.execute(target.insert(), batch)
        return len(batch)

    def _copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        target = Base.metadata.tables[table]
        as_json = [isinstance(target.c[name].type, JSON) for name in columns]
        driver = self._connection.connection.driver_connection
        count = 0
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"  # names from our models
        with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for row in rows:
                if any(as_json):
                    row = [
                        json.dumps(value) if is_json else value
                        for value, is_json in zip(row, as_json, strict=True)
                    ]
                copy.write_row(row)
                count += 1
        return count

    def all_values(self, column: Any) -> set[str]:
        """Every value `column` holds now. Read once up front: checking each batch against
        the table instead would ask a planner whose statistics still say the table is
        empty (no ANALYZE yet), and it scans the whole growing table every time."""
        return set(self._connection.scalars(select(column).where(column.is_not(None))))
