"""The store's database connection: the engine (with SQLite's pragmas) and the schema made
sure of, held by the base class that every table family of :class:`~harvester.store.Store`
builds on; with the keyset paging that raw and normalised records share.

SQLite by default (WAL, so readers never wait for a harvest); a PostgreSQL URL works too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table, and_, create_engine, event, select
from sqlalchemy.engine import Row
from sqlalchemy.pool import ConnectionPoolEntry

from harvester.store.schema import metadata

LOOKUP_CHUNK = 500  # identifiers per IN (...) query, well under every database's limit


class StoreBase:
    """The engine, and what every table family needs of it."""

    def __init__(self, url: str, *, error_samples: int = 50) -> None:
        self.url = url
        self.max_error_samples = error_samples
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    def _keyset(
        self,
        table: Table,
        second_key: str,
        source_id: str | None,
        include_deleted: bool,
        batch: int,
        changed_since: datetime | None = None,
    ) -> Iterator[Row[Any]]:
        """Rows of a table keyed by (source_id, ``second_key``), one keyset page at a time."""
        first, second = table.c.source_id, table.c[second_key]
        last: tuple[str, str] = ("", "")
        while True:
            stmt = select(table).order_by(first, second)
            if source_id is not None:
                stmt = stmt.where(first == source_id)
            if changed_since is not None:
                stmt = stmt.where(table.c.changed_at >= changed_since)
            if not include_deleted:
                stmt = stmt.where(table.c.deleted.is_(False))
            stmt = stmt.where((first > last[0]) | and_(first == last[0], second > last[1]))
            with self.engine.connect() as conn:
                rows = conn.execute(stmt.limit(batch)).all()
            if not rows:
                return
            yield from rows
            last = (rows[-1]._mapping["source_id"], rows[-1]._mapping[second_key])


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    """Set up each new SQLite connection: WAL, waiting on locks, foreign keys enforced."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
