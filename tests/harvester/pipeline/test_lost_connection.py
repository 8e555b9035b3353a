"""A harvest whose database connection is cut in the middle of storing a page (PostgreSQL's
``pg_terminate_backend``, as a failover or a network cut would) fails with a clear reason,
keeps the checkpoint of the last page it stored, and the next run resumes from it."""

from __future__ import annotations

import time
from collections.abc import Callable

import psycopg
import pytest

from harvester.sample_provider import OAIProvider, SyntheticRepository
from harvester.sample_provider.server import RunningServer
from harvester.store import FAILED, SUCCEEDED
from tests.conftest import CliEnv
from tests.support.engines import PostgresServer
from tests.support.misbehaving import Misbehaving
from tests.support.processes import harvest_process, wait_for

RECORDS = 100
PAGE = 10


def waiting_backends(server: PostgresServer, database: str) -> list[int]:
    """Backends of the database waiting for a lock."""
    with server.admin() as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            (database,),
        ).fetchall()
    return [int(str(row[0])) for row in rows]


@pytest.mark.slow
def test_a_connection_lost_mid_page_fails_the_run_and_the_next_run_resumes(
    cli_env_pg: CliEnv,
    postgres_server: PostgresServer,
    postgres_database: str,
    server_factory: Callable[..., RunningServer],
) -> None:
    repository = SyntheticRepository(RECORDS, sets=1)
    slow = Misbehaving(OAIProvider(repository, page_size=PAGE), "slow_pages", delay=0.1)
    cli_env_pg.add_source("synthetic", server_factory(slow).url)
    store = cli_env_pg.open_store()
    process = harvest_process(cli_env_pg)
    wait_for(lambda: any(run.counts.seen >= 3 * PAGE for run in store.runs("synthetic")))

    # Hold the records table so the harvest's next page waits inside its transaction,
    # then cut the harvest's connection there.
    with psycopg.connect(postgres_server.url(postgres_database).replace("+psycopg", "")) as lock:
        lock.execute("LOCK TABLE raw_records IN ACCESS EXCLUSIVE MODE")
        deadline = time.monotonic() + 30
        while not (stuck := waiting_backends(postgres_server, postgres_database)):
            assert time.monotonic() < deadline, "the harvest never waited for the table"
            time.sleep(0.02)
        (run,) = store.runs("synthetic")
        stored_before = run.counts.seen
        with postgres_server.admin() as admin:
            for pid in stuck:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        lock.rollback()
    _out, err = process.communicate(timeout=60)

    assert process.returncode == 1
    (failed,) = store.runs("synthetic")
    assert failed.status == FAILED
    assert failed.error is not None
    assert failed.error.startswith("lost the connection to the database: terminating connection")
    assert err.strip().splitlines()[-1].startswith("csfinder: error: synthetic: run 1 failed: lost")
    assert failed.counts.seen == stored_before, "the page being stored was rolled back whole"
    assert failed.checkpoint.token, "the checkpoint of the last page stored is kept"

    again = harvest_process(cli_env_pg)
    _out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    resumed, _ = store.runs("synthetic")
    assert resumed.status == SUCCEEDED and resumed.resumed_run_id == failed.id
    listed = [p for p, _ in slow.log if p.get("verb") == "ListRecords"]
    starts = [p for p in listed if not p.get("resumptionToken")]
    assert len(starts) == 1, "the second run went on from the checkpoint, not from the start"
    stored = {s.record.identifier for s in store.iter_records("synthetic")}
    assert stored == {r.identifier for r in repository.slice(None, None, None, 0, RECORDS)}
    created = sum(r.counts.added + r.counts.deleted for r in store.runs("synthetic"))
    assert created == RECORDS, "nothing lost, nothing doubled"
    store.close()
