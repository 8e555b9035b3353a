"""Clustering as a pipeline step: one process at a time, a dead holder's lease freed, and
the index brought in step with what the run changed."""

from __future__ import annotations

from pathlib import Path

from harvester.index.query import build_query
from harvester.index.sqlite import SqliteIndex
from harvester.pipeline.clustering import CLUSTER_LEASE, cluster_changes, rebuild_all
from harvester.store import Store
from harvester.store.liveness import this_host
from tests.harvester.enrich.clusters.records import listing
from tests.harvester.enrich.clusters.test_runs import write

EU = listing("eucs", "13", "Fresh Water Watch", url="https://freshwaterwatch.thewaterhub.org/")
JRC = listing("jrc", "164", "FreshWater Watch", url="https://freshwaterwatch.thewaterhub.org/")


def test_a_run_updates_the_index_and_waits_for_no_one(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path}/store.sqlite3")
    index = SqliteIndex(tmp_path / "index")
    write(store, EU, JRC)
    first = rebuild_all(store, index)
    assert first is not None and first.formed == 1
    assert index.search(build_query("")).total == 1
    assert index.search(build_query("", collapse=False)).total == 2
    assert store.leases(CLUSTER_LEASE) == []  # released when done
    store.acquire_lease(CLUSTER_LEASE, "someone", host="elsewhere", pid=1, ttl=600)
    assert cluster_changes(store, index) is None  # another machine is clustering
    store.release_lease(CLUSTER_LEASE, "someone")
    store.acquire_lease(CLUSTER_LEASE, "dead", host=this_host(), pid=2**22 + 7, ttl=600)
    assert cluster_changes(store, index) is not None  # a dead holder does not block
    index.close()
    store.close()
