"""``csfinder db``: the store's schema revision, its upgrade, and copying a store into
another database (a SQLite deployment moving onto PostgreSQL)."""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

import click
from alembic import command

from harvester.cli.app import App, fail, pass_app
from harvester.core.errors import CsfinderError
from harvester.store.copy import copy_store
from harvester.store.engine import make_engine, safe_url
from harvester.store.versions import (
    alembic_config,
    head_revision,
    locked,
    read_state,
    run_migrations,
    upgrade,
    upgrade_sql,
)

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "store" / "migrations" / "versions"


@click.group("db")
def db_group() -> None:
    """The store's database: which schema revision it is at, upgrading it, copying it.

    The database is CSFINDER_DATABASE_URL (default: the SQLite file in CSFINDER_HOME).
    """


@db_group.command("current")
@pass_app
def db_current(app: App) -> None:
    """Say which schema revision the database is at, and whether it needs an upgrade."""
    try:
        engine = make_engine(app.settings.database_url)
        state = read_state(engine)
    except CsfinderError as exc:
        fail(str(exc))
    head = head_revision()
    where = safe_url(app.settings.database_url)
    if state.empty:
        click.echo(f"{where}: empty (created at revision {head} on first use)")
    elif state.revisions == (head,):
        click.echo(f"{where}: revision {head} (head)")
    else:
        click.echo(f"{where}: {state.problem(head)}")


@db_group.command("upgrade")
@click.option("--sql", is_flag=True, help="Print the SQL instead of running it (for a DBA).")
@pass_app
def db_upgrade(app: App, sql: bool) -> None:
    """Bring the database's schema to this csfinder's revision, keeping every record, run
    and checkpoint (a database of csfinder 0.1, before migrations, included)."""
    try:
        engine = make_engine(app.settings.database_url)
        if sql:
            upgrade_sql(engine, sys.stdout)
            return
        before, head = upgrade(engine, io.StringIO())
    except CsfinderError as exc:
        fail(str(exc))
    where = safe_url(app.settings.database_url)
    if before.revisions == (head,):
        click.echo(f"{where}: already at revision {head}")
    elif before.empty:
        click.echo(f"{where}: created at revision {head}")
    else:
        start = before.revision or "csfinder 0.1 (before migrations)"
        click.echo(f"{where}: upgraded from {start} to revision {head}")


@db_group.command("copy")
@click.argument("target_url", metavar="TARGET_URL")
@pass_app
def db_copy(app: App, target_url: str) -> None:
    """Copy the whole store into TARGET_URL, an empty database (e.g. PostgreSQL:
    postgresql+psycopg://csfinder@db.example/csfinder, its password from PGPASSWORD or
    ~/.pgpass, never in the URL). Then point CSFINDER_DATABASE_URL at it and run
    `csfinder reindex` for the search index it will use."""
    try:
        source = make_engine(app.settings.database_url)
        target = make_engine(target_url)
        report = copy_store(source, target)
    except CsfinderError as exc:
        fail(str(exc))
    for table, rows in report.rows.items():
        click.echo(f"{table}: {rows:,} rows")
    click.echo(
        f"copied {report.total:,} rows from {safe_url(app.settings.database_url)} to "
        f"{safe_url(target_url)}; next: CSFINDER_DATABASE_URL={safe_url(target_url)} "
        "csfinder reindex"
    )


@db_group.command("revision", hidden=True)
@click.argument("message")
def db_revision(message: str) -> None:
    """For developers: write the migration from the schema's tables as they are now
    (``harvester/store/schema.py``) against the newest revision, into
    harvester/store/migrations/versions/; review it before committing."""
    number = f"{int(head_revision()) + 1:04d}"
    slug = "_".join(message.lower().split())[:40]
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/head.sqlite3")
        run_migrations(engine, io.StringIO())
        with locked(engine) as conn:
            config = alembic_config(conn)
            config.set_main_option("file_template", f"%%(rev)s_{slug}")
            command.revision(config, message, autogenerate=True, rev_id=number)
        engine.dispose()
    click.echo(f"wrote {MIGRATIONS_DIR / f'{number}_{slug}.py'}")
