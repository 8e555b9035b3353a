"""The store's database connection: the engine (with SQLite's pragmas, or PostgreSQL through
psycopg 3) and the schema made sure of, held by the base class that every table family of
:class:`~harvester.store.Store` builds on; with the keyset paging that raw and normalised
records share.

SQLite by default (WAL, so readers never wait for a harvest); PostgreSQL for several
machines (``postgresql+psycopg://user@host/db``; ``postgresql://`` means the same, and the
password comes from ``PGPASSWORD`` or ``~/.pgpass`` rather than the URL).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table, and_, create_engine, event, select
from sqlalchemy.engine import URL, Row, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import ConnectionPoolEntry

from harvester.core.errors import StoreError
from harvester.core.sqlite_wal import enable_wal
from harvester.store.versions import prepare_schema, short_reason

LOOKUP_CHUNK = 500  # identifiers per IN (...) query, well under every database's limit
POSTGRES_DRIVER = "postgresql+psycopg"
"""The driver every PostgreSQL URL is opened with (psycopg 3, a dependency)."""


def database_url(url: str) -> URL:
    """The URL to open: ``postgresql://`` and ``postgres://`` mean psycopg 3.

    Raises:
        StoreError: not a database URL SQLAlchemy can read.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            "CSFINDER_DATABASE_URL is not a database URL (sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST/DB)"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername=POSTGRES_DRIVER)
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"the store runs on SQLite or PostgreSQL, not {parsed.get_backend_name()} "
            f"({safe_url(parsed)})"
        )
    return parsed


def make_engine(url: str) -> Engine:
    """An engine for the store's database: SQLite with WAL, foreign keys and a busy
    timeout on every connection; PostgreSQL with connections checked before use, so a
    connection the server dropped is replaced rather than failing the next statement.

    Raises:
        StoreError: a URL SQLAlchemy cannot read, or a driver that is not installed.
    """
    parsed = database_url(url)
    options: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        options["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **options)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StoreError(f"cannot open {safe_url(url)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def safe_url(url: str | URL) -> str:
    """The URL as it may be shown: any password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a URL)"


def database_problem(exc: BaseException) -> str | None:
    """One line for an error the database driver raised (None for any other error): a lost
    connection says so, with the server's reason."""
    if not isinstance(exc, DBAPIError):
        return None
    if exc.connection_invalidated:
        return f"lost the connection to the database: {short_reason(exc)}"
    return f"the database failed: {short_reason(exc)}"


class StoreBase:
    """The engine, and what every table family needs of it."""

    def __init__(self, url: str, *, error_samples: int = 50) -> None:
        """Open the database at ``url``; an empty one gets the schema at the newest
        revision.

        Raises:
            StoreError: the database cannot be opened or does not answer.
            SchemaVersionError: its schema is older or newer than this csfinder's (the
                message says what to run).
        """
        self.url = url
        self.max_error_samples = error_samples
        self.engine: Engine = make_engine(url)
        try:
            prepare_schema(self.engine)
        except BaseException:
            self.engine.dispose()
            raise

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
    cursor.execute("PRAGMA busy_timeout=30000")
    enable_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
