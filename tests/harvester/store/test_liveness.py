"""Source leases: one harvest of a source at a time, across processes and machines.

The lease is a row in the store taken with one conditional statement; these tests race real
threads and real ``python -m harvester`` processes on one SQLite database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from harvester.core.errors import EXIT_CONFLICT, RunConflictError
from harvester.sample_provider import OAIProvider, SyntheticRepository
from harvester.sample_provider.server import RunningServer
from harvester.store import STALLED, SUCCEEDED, Store
from harvester.store.liveness import claim, lease_holder, mark_stalled, this_host
from tests.conftest import CliEnv
from tests.support.misbehaving import Misbehaving
from tests.support.processes import harvest_process

T0 = datetime(2031, 3, 1, 12, 0, tzinfo=UTC)


def acquire(store: Store, holder: str, now: datetime = T0, ttl: float = 60.0) -> bool:
    return store.acquire_lease("src", holder, host="elsewhere", pid=42, ttl=ttl, now=now)


def test_a_free_source_is_leased_and_a_held_one_refused(store: Store) -> None:
    assert acquire(store, "a")
    assert not acquire(store, "b", T0 + timedelta(seconds=59))
    (lease,) = store.leases()
    assert (lease.source_id, lease.holder) == ("src", "a")
    assert lease.expires_at == T0 + timedelta(seconds=60)


def test_the_holder_may_take_it_again_and_renew_it(store: Store) -> None:
    assert acquire(store, "a")
    assert acquire(store, "a", T0 + timedelta(seconds=10))
    assert store.renew_lease("src", "a", 60.0, run_id=7, now=T0 + timedelta(seconds=30))
    (lease,) = store.leases()
    assert lease.run_id == 7
    assert lease.expires_at == T0 + timedelta(seconds=90)
    assert not store.renew_lease("src", "b", 60.0)


def test_an_expired_lease_is_taken_over_and_the_old_holder_cannot_renew(store: Store) -> None:
    assert acquire(store, "a")
    assert acquire(store, "b", T0 + timedelta(seconds=61))
    assert not store.renew_lease("src", "a", 60.0, now=T0 + timedelta(seconds=62))
    assert not store.release_lease("src", "a")
    assert store.release_lease("src", "b")
    assert store.leases() == []


def race(workers: int, task: Callable[[int], object]) -> tuple[list[object], list[BaseException]]:
    """Run ``task(n)`` in ``workers`` threads released together; what they returned and
    what they raised (a thread that fails never leaves the others waiting)."""
    barrier = threading.Barrier(workers, timeout=60)
    results: list[object] = []
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            barrier.wait()
            results.append(task(number))
        except BaseException as exc:  # reported by the test, not lost in the thread
            barrier.abort()
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a racing thread never ended"
    return results, errors


def test_racing_processes_on_one_database_one_wins(database_url: str) -> None:
    def contend(number: int) -> bool:
        store = Store(database_url)  # a connection pool of its own, like another process
        try:
            return store.acquire_lease(
                "src", f"holder-{number}", host=f"host-{number}", pid=number, ttl=60.0
            )
        finally:
            store.close()

    results, errors = race(8, contend)
    assert errors == []
    assert sorted(results, key=bool) == [False] * 7 + [True]


def test_processes_opening_a_new_database_together_all_open_it(tmp_path: Path) -> None:
    """The first start of several processes: each makes sure of the schema at once, and
    none may find it half made or fail to turn on the write-ahead log."""
    for attempt in range(15):
        url = f"sqlite:///{tmp_path / f'new-{attempt}.sqlite3'}"

        def open_and_count(_number: int, url: str = url) -> int:
            store = Store(url)
            try:
                return len(store.leases())
            finally:
                store.close()

        results, errors = race(8, open_and_count)
        assert errors == [], f"attempt {attempt}"
        assert results == [0] * 8


def test_claim_refuses_a_source_leased_on_another_machine(store: Store) -> None:
    store.acquire_lease("src", "elsewhere:42:x", host="elsewhere", pid=42, ttl=600.0)
    with pytest.raises(RunConflictError, match="lease held by process 42 on elsewhere"):
        claim(store, "src", 600.0, lease_holder())


def test_a_stalled_run_is_detected_and_its_lease_released(store: Store) -> None:
    run = store.start_run("src", mode="full", from_date=None, pid=42, host="elsewhere")
    holder = "elsewhere:42:x"
    assert store.acquire_lease("src", holder, host="elsewhere", pid=42, ttl=600.0)
    assert store.renew_lease("src", holder, 600.0, run_id=run.id)
    with pytest.raises(RunConflictError, match=f"by run {run.id}"):
        claim(store, "src", 600.0, lease_holder())

    later = datetime.now(UTC) + timedelta(seconds=601)
    (stalled,) = mark_stalled(store, 600.0, now=later)
    assert stalled.id == run.id
    assert stalled.status == STALLED
    assert "stopped reporting" in (stalled.error or "")
    assert store.leases() == []


def test_the_lease_of_a_dead_process_on_this_host_is_released_at_once(store: Store) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(dead.stdout)
    store.acquire_lease("src", f"{this_host()}:{pid}:x", host=this_host(), pid=pid, ttl=600.0)
    assert claim(store, "src", 600.0, lease_holder()) is None
    (lease,) = store.leases()
    assert lease.pid == os.getpid()


@pytest.mark.slow
def test_two_harvest_processes_racing_for_one_source_exactly_one_runs(
    cli_env_db: CliEnv, server_factory: Callable[..., RunningServer]
) -> None:
    cli_env = cli_env_db
    slow = Misbehaving(
        OAIProvider(SyntheticRepository(40, sets=1), page_size=10), "slow_pages", delay=0.4
    )
    cli_env.add_source("synthetic", server_factory(slow).url)
    store = cli_env.open_store()

    racers = [harvest_process(cli_env) for _ in range(2)]
    outcomes = sorted((racer.wait(timeout=60), racer.communicate()[1]) for racer in racers)

    (ok_code, _), (busy_code, busy_err) = outcomes
    assert (ok_code, busy_code) == (0, EXIT_CONFLICT)
    assert "is being harvested" in busy_err
    assert [run.status for run in store.runs("synthetic")] == [SUCCEEDED]
    assert store.leases() == [], "released at the end of the run"
