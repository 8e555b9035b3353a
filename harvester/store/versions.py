"""Schema versions: the database's Alembic revision against the migrations' head.

The migrations live in :mod:`harvester.store.migrations` and run from the installed package
(no ``alembic.ini``). An empty database is created at the head revision on first use (under
a lock, so that processes starting together create it once); a database at another
revision is refused with one line saying what to run; a database made by the first release,
before migrations existed, is recognised by its tables and upgraded from the baseline.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TextIO

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from harvester.core.errors import SchemaVersionError, StoreError
from harvester.store.schema import metadata

MIGRATIONS = "harvester.store:migrations"
"""Where Alembic finds ``env.py`` and ``versions/``: a package resource."""
BASELINE = "0001"
"""The revision of the first release's schema (migration zero)."""
FIRST_RELEASE_TABLES = frozenset(
    {
        "raw_records",
        "harvest_runs",
        "run_errors",
        "records",
        "record_sets",
        "source_leases",
        "registered_sources",
    }
)
"""The tables every database the first release made has: how one is recognised."""
LOCK_KEY = 7_310_593_858_020_290_917
"""PostgreSQL advisory lock taken while the schema is created or migrated."""
UPGRADE = "run `csfinder db upgrade`"


@dataclass(frozen=True)
class SchemaState:
    """What a database holds: its revisions (none before migrations) and, when it has
    none, which of the store's tables it has."""

    revisions: tuple[str, ...]
    tables: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        """No revision and none of the store's tables: created at head on first use."""
        return not self.revisions and not (self.tables & FIRST_RELEASE_TABLES)

    @property
    def first_release(self) -> bool:
        """Made by the first release, before schema migrations: no revision, its tables."""
        return not self.revisions and self.tables >= FIRST_RELEASE_TABLES

    @property
    def revision(self) -> str | None:
        """The one revision the database is at (None when it has none)."""
        return self.revisions[0] if len(self.revisions) == 1 else None

    def upgradable(self, head: str) -> bool:
        """Whether ``csfinder db upgrade`` brings the database to ``head``: made by the first
        release, or at one known, older revision."""
        if self.first_release:
            return True
        found = self.revision
        return found is not None and found != head and known_revision(found)

    def problem(self, head: str) -> str | None:
        """Why this csfinder cannot use the database, with what to run; None when it can."""
        if self.revisions == (head,) or self.empty:
            return None
        if self.first_release:
            return f"the database was made by csfinder 0.1, before schema migrations: {UPGRADE}"
        if not self.revisions:
            missing = ", ".join(sorted(FIRST_RELEASE_TABLES - self.tables))
            return f"the database has some of csfinder's tables but not {missing}: restore it"
        if len(self.revisions) > 1 or not all(map(known_revision, self.revisions)):
            shown = ", ".join(self.revisions)
            return (
                f"the database schema is at revision {shown}, newer than this csfinder knows "
                f"(its newest is {head}): run a newer csfinder"
            )
        return (
            f"the database schema is at revision {self.revisions[0]}, older than {head}: {UPGRADE}"
        )


def alembic_config(connection: Connection | None = None, output: TextIO | None = None) -> Config:
    """Alembic's configuration, built in code: the migrations package and, for running
    them, the connection to use."""
    config = Config(stdout=output or sys.stdout, output_buffer=output)
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["connection"] = connection
    return config


@cache
def script_directory() -> ScriptDirectory:
    """The migrations, read once."""
    return ScriptDirectory.from_config(alembic_config())


def known_revision(revision: str) -> bool:
    """Whether the revision is one of this csfinder's migrations."""
    try:
        return script_directory().get_revision(revision) is not None
    except CommandError:
        return False


def head_revision() -> str:
    """The newest revision: the schema this csfinder works with."""
    head = script_directory().get_current_head()
    assert head is not None, "the migrations have no head"
    return head


def schema_state(conn: Connection) -> SchemaState:
    """Read which revision the database is at (and, without one, which tables it has)."""
    revisions = MigrationContext.configure(conn).get_current_heads()
    if revisions:
        return SchemaState(tuple(revisions))
    return SchemaState((), frozenset(inspect(conn).get_table_names()))


def read_state(engine: Engine) -> SchemaState:
    """:func:`schema_state` on a connection of its own.

    Raises:
        StoreError: the database does not answer.
    """
    try:
        with engine.connect() as conn:
            return schema_state(conn)
    except OperationalError as exc:
        raise StoreError(f"the database does not answer: {short_reason(exc)}") from None


def prepare_schema(engine: Engine) -> None:
    """Make sure the database can be used: create an empty one at the head revision,
    accept one at the head revision, refuse any other.

    Raises:
        SchemaVersionError: older or newer than this csfinder (the message says what to run).
        StoreError: the database does not answer.
    """
    head = head_revision()
    state = read_state(engine)
    if state.revisions != (head,):
        # Read again under the lock: the first reading is two statements, and a process
        # creating the schema meanwhile can make it look half made.
        with locked(engine) as conn:
            state = schema_state(conn)
            if state.empty:
                create_at_head(conn)
                return
    problem = state.problem(head)
    if problem is not None:
        raise SchemaVersionError(problem)


def create_at_head(conn: Connection) -> None:
    """Create every table and record the head revision (in the caller's transaction)."""
    metadata.create_all(conn)
    MigrationContext.configure(conn).stamp(script_directory(), "head")


def upgrade(engine: Engine, output: TextIO | None = None) -> tuple[SchemaState, str]:
    """Bring the database to the head revision, under the schema lock; a database of the
    first release is recorded at the baseline first. Return the state found and the head.

    Raises:
        SchemaVersionError: the database is newer than this csfinder, or not csfinder's.
    """
    head = head_revision()
    with locked(engine, migrating=True) as conn:
        state = schema_state(conn)
        problem = state.problem(head)
        if state.empty:
            create_at_head(conn)
        elif problem is not None and not state.upgradable(head):
            raise SchemaVersionError(problem)
        elif state.upgradable(head):
            if state.first_release:
                MigrationContext.configure(conn).stamp(script_directory(), BASELINE)
            command.upgrade(alembic_config(conn, output), "head")
    return state, head


def run_migrations(engine: Engine, output: TextIO | None = None) -> None:
    """Build the schema by running every migration from the start (not from the tables):
    what a new migration is written against, and what tests compare with the tables."""
    with locked(engine, migrating=True) as conn:
        command.upgrade(alembic_config(conn, output or sys.stderr), "head")


def upgrade_sql(engine: Engine, output: TextIO) -> str:
    """Write the SQL that would bring the database to head (for a database administrator
    to run), without changing it; return the revision it starts from.

    Raises:
        SchemaVersionError: the database is newer than this csfinder, or not csfinder's.
    """
    state = read_state(engine)
    head = head_revision()
    problem = state.problem(head)
    if problem is not None and not state.upgradable(head):
        raise SchemaVersionError(problem)
    config = alembic_config(output=output)
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string().replace("%", "%%"))
    if state.first_release:  # record it at the baseline first, as an online upgrade does
        command.stamp(config, BASELINE, sql=True)
    start = state.revision or (BASELINE if state.first_release else "base")
    command.upgrade(config, f"{start}:head", sql=True)
    return start


@contextmanager
def locked(engine: Engine, migrating: bool = False) -> Iterator[Connection]:
    """A connection in a transaction that holds the schema lock: an advisory lock on
    PostgreSQL, the write lock (``BEGIN IMMEDIATE``) on SQLite. ``migrating`` turns SQLite's
    foreign keys off meanwhile (tables are rebuilt) and checks them before committing."""
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            yield conn
        return
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if migrating:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
            if migrating and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise StoreError("the migration left rows whose foreign keys point nowhere")
        except BaseException:
            conn.exec_driver_sql("ROLLBACK")
            raise
        else:
            conn.exec_driver_sql("COMMIT")
        finally:
            if migrating:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")


def short_reason(exc: BaseException) -> str:
    """The driver's own message, first line only (without SQLAlchemy's background link)."""
    original = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
