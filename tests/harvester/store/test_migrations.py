"""Schema migrations: a database made by the first release upgrades in place keeping every
record, run and checkpoint; the migrations build exactly the tables the code declares; a
database at another revision is refused with what to run. On SQLite and on PostgreSQL."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import Engine, text

from harvester.cli.main import main
from harvester.core.errors import SchemaVersionError
from harvester.ops.jobs import scheduled_runs
from harvester.store import FAILED, SUCCEEDED, Store
from harvester.store.engine import make_engine
from harvester.store.liveness import claim, lease_holder
from harvester.store.schema import metadata
from harvester.store.versions import (
    BASELINE,
    head_revision,
    read_state,
    run_migrations,
    upgrade_sql,
)
from tests.conftest import CliEnv
from tests.support import first_release


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    made = make_engine(database_url)
    yield made
    made.dispose()


def cli(env: CliEnv, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env.environ, catch_exceptions=False)
    return result.exit_code, result.output


def unordered(rows: first_release.Rows) -> dict[str, list[str]]:
    return {
        name: sorted(repr(sorted(row.items())) for row in table) for name, table in rows.items()
    }


def test_a_first_release_database_upgrades_keeping_every_row(
    cli_env_db: CliEnv, engine: Engine
) -> None:
    first_release.build(engine)
    recorded = first_release.recorded_rows()

    code, output = cli(cli_env_db, "runs")
    assert code == 1
    assert output.strip().splitlines() == [
        "csfinder: error: the database was made by csfinder 0.1, before schema migrations: "
        "run `csfinder db upgrade`"
    ]

    code, output = cli(cli_env_db, "db", "upgrade")
    assert code == 0, output
    assert f"upgraded from csfinder 0.1 (before migrations) to revision {head_revision()}" in output
    assert cli(cli_env_db, "db", "current")[1].endswith(f"revision {head_revision()} (head)\n")

    kept = first_release.read_rows(engine, list(recorded))
    assert unordered(kept) == unordered(recorded)
    assert {name: len(rows) for name, rows in kept.items()} == {
        "raw_records": 13,
        "harvest_runs": 2,
        "records": 11,
        "record_sets": 11,
        "source_leases": 1,
        "registered_sources": 1,
        "run_errors": 1,
        "scheduler_jobs": 1,
    }
    store = Store(cli_env_db.database_url)
    try:
        failed, succeeded = store.runs("sample")
        assert (succeeded.status, failed.status) == (SUCCEEDED, FAILED)
        assert failed.checkpoint.token == "token-page-2"
        assert claim(store, "sample", 600.0, lease_holder()) == failed, "resumes its checkpoint"
        assert store.error_samples(failed.id)[0].reason == "not well-formed XML"
        live = {str(r["id"]) for r in kept["records"] if not r["deleted"]}
        assert live and {q.record_id for q in store.vector_backlog(100)} == live  # to embed
        assert "sample" in scheduled_runs(store)
        new = store.start_run("sample", mode="full", from_date=None, pid=1, host="h")
        assert new.id == 3, "ids go on after the kept runs"
    finally:
        store.close()
    code, output = cli(cli_env_db, "runs", "sample")
    assert code == 0, output
    assert "connection reset by peer" in output


def test_a_first_release_database_without_the_schedulers_table_gets_it(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    first_release.build(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE scheduler_jobs"))
    env = CliEnv(tmp_path / "config", tmp_path / "var", f"sqlite:///{tmp_path / 'old.sqlite3'}")
    (env.config / "sources").mkdir(parents=True)
    assert cli(env, "db", "upgrade")[0] == 0
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM scheduler_jobs")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM raw_records")).scalar_one() == 13
    engine.dispose()


def test_the_migrations_build_exactly_the_declared_tables(engine: Engine) -> None:
    """Fails when schema.py changed without a migration: write one with
    `csfinder db revision MESSAGE` (docs/DEPLOY.md, "Changing the schema")."""
    run_migrations(engine, io.StringIO())
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
    assert read_state(engine).revisions == (head_revision(),)


def test_a_fresh_database_is_created_at_head_with_the_declared_tables(database_url: str) -> None:
    Store(database_url).close()
    engine = make_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
        assert context.get_current_heads() == (head_revision(),)
    engine.dispose()


def test_older_and_newer_schemas_are_refused_with_what_to_run(database_url: str) -> None:
    Store(database_url).close()
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": BASELINE})
    with pytest.raises(
        SchemaVersionError, match=r"revision 0001, older than .*csfinder db upgrade"
    ):
        Store(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaVersionError, match=r"revision 9999, newer .*run a newer csfinder"):
        Store(database_url)
    engine.dispose()


def test_the_upgrade_can_be_printed_as_sql_for_an_administrator(engine: Engine) -> None:
    first_release.build(engine)
    out = io.StringIO()
    assert upgrade_sql(engine, out) == BASELINE
    assert "CREATE TABLE scheduler_jobs" in out.getvalue()
    assert read_state(engine).first_release, "printing changed nothing"


def test_the_portal_refuses_to_start_on_an_older_schema(cli_env: CliEnv) -> None:
    cli_env.open_store().close()
    engine = make_engine(cli_env.database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": BASELINE})
    engine.dispose()
    code, output = cli(cli_env, "serve", "--port", "0")
    assert code == 1
    assert output.strip().splitlines() == [
        f"csfinder: error: the database schema is at revision {BASELINE}, older than "
        f"{head_revision()}: run `csfinder db upgrade`"
    ]
