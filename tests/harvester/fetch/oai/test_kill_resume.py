"""A harvest killed with SIGKILL at any moment resumes with nothing lost and nothing doubled.

The harvester runs as a real ``python -m harvester`` child process against a provider on
loopback whose list pages are slow; the test kills it at a chosen moment, then harvests
again and checks the store against the provider's complete list.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

import psutil
import pytest

from harvester.core.errors import EXIT_CONFLICT
from harvester.sample_provider import OAIProvider, SyntheticRepository
from harvester.sample_provider.server import RunningServer
from harvester.store import STALLED, SUCCEEDED, Run, Store
from tests.conftest import CliEnv
from tests.support.misbehaving import Misbehaving
from tests.support.processes import harvest_process, wait_for

RECORDS = 240
PAGE = 10


def first_run(store: Store) -> Run | None:
    runs = store.runs("synthetic")
    return runs[-1] if runs else None


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kill_after_records", "parallel"),
    [(0, False), (PAGE, False), (7 * PAGE, False), (RECORDS - PAGE, False), (7 * PAGE, True)],
    ids=[
        "before-first-page",
        "after-first-page",
        "mid-list",
        "before-last-page",
        "mid-list-normalising-in-a-worker",
    ],
)
def test_killed_harvest_resumes_without_loss_or_doubles(
    cli_env: CliEnv,
    server_factory: Callable[..., RunningServer],
    kill_after_records: int,
    parallel: bool,
) -> None:
    if parallel:  # the normalising worker process starts with the first page
        settings = cli_env.config / "settings.toml"
        settings.write_text(settings.read_text(encoding="utf-8") + "parallel_after = 0\n")
    repository = SyntheticRepository(RECORDS, sets=1)
    slow = Misbehaving(OAIProvider(repository, page_size=PAGE), "slow_pages", delay=0.12)
    fast = Misbehaving(OAIProvider(repository, page_size=PAGE), "none")
    cli_env.add_source("synthetic", server_factory(slow).url)
    cli_env.home.mkdir(parents=True, exist_ok=True)
    store = Store(f"sqlite:///{(cli_env.home / 'csfinder.sqlite3').resolve()}")

    process = harvest_process(cli_env)

    def reached() -> bool:
        run = first_run(store)
        return run is not None and run.counts.seen >= kill_after_records

    wait_for(reached)
    workers = psutil.Process(process.pid).children()  # the worker, multiprocessing's tracker
    assert bool(workers) == parallel
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    psutil.wait_procs(workers, timeout=10)
    assert not [w for w in workers if w.is_running()], "no worker outlives the harvest"
    killed = first_run(store)
    assert killed is not None and killed.status == "running"
    assert killed.counts.seen < RECORDS, "the kill came too late to test anything"

    cli_env.add_source("synthetic", server_factory(fast).url)
    again = harvest_process(cli_env)
    _out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err

    older, newer = sorted(store.runs("synthetic"), key=lambda r: r.id)
    assert older.status == STALLED and "stopped reporting" in (older.error or "")
    assert newer.status == SUCCEEDED
    if killed.checkpoint.token:
        assert newer.resumed_run_id == older.id
        first_list = next(p for p, _ in fast.log if p.get("verb") == "ListRecords")
        assert first_list.get("resumptionToken") == killed.checkpoint.token

    stored = {s.record.identifier: s for s in store.iter_records("synthetic")}
    expected = {r.identifier for r in repository.slice(None, None, None, 0, RECORDS)}
    assert set(stored) == expected, "nothing lost"
    created = older.counts.added + newer.counts.added + older.counts.deleted + newer.counts.deleted
    assert created == RECORDS, "nothing doubled"
    deleted = {r.identifier for r in repository.slice(None, None, None, 0, RECORDS) if r.deleted}
    assert {i for i, s in stored.items() if s.record.deleted} == deleted
    # Every raw record changed by either run has its normalised record (same transaction).
    normalised = {row.source_identifier: row for row in store.iter_normalised("synthetic")}
    assert set(normalised) == set(expected) - deleted


def test_second_process_is_refused_while_the_first_is_live(
    cli_env: CliEnv, server_factory: Callable[..., RunningServer]
) -> None:
    repository = SyntheticRepository(60, sets=1)
    # Slow enough that the first harvest is still listing when the second process has
    # started (a page is stored while the next one is fetched, so only the delays count).
    slow = Misbehaving(OAIProvider(repository, page_size=PAGE), "slow_pages", delay=1.0)
    cli_env.add_source("synthetic", server_factory(slow).url)
    cli_env.home.mkdir(parents=True, exist_ok=True)
    store = Store(f"sqlite:///{(cli_env.home / 'csfinder.sqlite3').resolve()}")
    first = harvest_process(cli_env)
    try:
        wait_for(lambda: first_run(store) is not None)
        second = harvest_process(cli_env)
        _, err = second.communicate(timeout=30)
        assert second.returncode == EXIT_CONFLICT
        assert "is being harvested by run 1" in err
    finally:
        first.communicate(timeout=60)
    assert first.returncode == 0
    assert [r.status for r in store.runs("synthetic")] == [SUCCEEDED]
