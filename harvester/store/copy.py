"""Copy a whole store into another, empty database: how a SQLite deployment moves onto
PostgreSQL (``csfinder db copy``).

Both databases must be at this csfinder's schema revision (an empty target is created at
it). Every table is copied in key order, a batch at a time, in one transaction of the
target: a copy that fails leaves the target as empty as it was. Times that SQLite gives
back without a timezone are written as UTC; PostgreSQL's id sequences are moved past the
copied ids; each table's row count is compared at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import DateTime, Engine, Table, func, insert, select, text
from sqlalchemy.engine import Connection

from harvester.core.errors import StoreError
from harvester.store.schema import metadata
from harvester.store.values import aware
from harvester.store.versions import prepare_schema

COPY_BATCH = 1000

TableProgress = Callable[[str, int], None]
"""Told each table's name and the rows copied so far."""


@dataclass
class CopyReport:
    """Rows copied per table, in the order they were copied."""

    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Rows copied in all."""
        return sum(self.rows.values())


def copy_store(source: Engine, target: Engine, progress: TableProgress | None = None) -> CopyReport:
    """Copy every table of the store at ``source`` into the empty store at ``target``.

    Raises:
        SchemaVersionError: either database is at another revision than this csfinder.
        StoreError: the target holds rows already, or a table's count differs afterwards.
    """
    if source.url == target.url:
        raise StoreError("the source and the target are the same database")
    prepare_schema(source)
    prepare_schema(target)
    report = CopyReport()
    with source.connect() as reading, target.begin() as writing:
        held = {t.name: n for t in metadata.sorted_tables if (n := _count(writing, t))}
        if held:
            shown = ", ".join(f"{n:,} in {name}" for name, n in held.items())
            raise StoreError(f"the target database is not empty ({shown}): copy into an empty one")
        for table in metadata.sorted_tables:
            report.rows[table.name] = _copy_table(reading, writing, table, progress)
        if target.dialect.name == "postgresql":
            _move_sequences(writing)
        for table in metadata.sorted_tables:
            copied = _count(writing, table)
            if copied != report.rows[table.name]:
                raise StoreError(
                    f"{table.name}: {report.rows[table.name]:,} rows read but {copied:,} written"
                )
    return report


def _copy_table(
    reading: Connection, writing: Connection, table: Table, progress: TableProgress | None
) -> int:
    """Copy one table in primary-key order; return its rows."""
    times = [c.name for c in table.columns if isinstance(c.type, DateTime)]
    stmt = select(table).order_by(*table.primary_key.columns)
    copied = 0
    result = reading.execution_options(stream_results=True, yield_per=COPY_BATCH).execute(stmt)
    for rows in result.partitions():
        batch: list[dict[str, Any]] = []
        for row in rows:
            values = dict(row._mapping)
            for name in times:
                values[name] = aware(values[name])
            batch.append(values)
        writing.execute(insert(table), batch)
        copied += len(batch)
        if progress is not None:
            progress(table.name, copied)
    return copied


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _move_sequences(conn: Connection) -> None:
    """Point PostgreSQL's id sequences past the copied ids, so new runs get new ids."""
    for table in metadata.sorted_tables:
        for column in table.primary_key.columns:
            if column.autoincrement is not True:
                continue
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "  # noqa: S608 (names from the schema)
                    f"COALESCE(MAX({column.name}), 1), MAX({column.name}) IS NOT NULL) "
                    f"FROM {table.name}"
                )
            )
