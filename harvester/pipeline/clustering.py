"""Clustering as part of the pipeline: after a harvest, the records it changed are
clustered (a follow-up step, never in the harvest's page loop) and the index brought in
step; ``csfinder cluster`` rebuilds every cluster.

One process clusters at a time, on any machine sharing the database: the step takes the
lease :data:`CLUSTER_LEASE`; a process that finds it held leaves the changes to the holder
or to the next run (the high-water mark only moves past what was clustered).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable

from harvester.enrich.clusters.changes import ClusterReport
from harvester.enrich.clusters.runs import Progress, rebuild_clusters, update_clusters
from harvester.index.base import SearchIndex
from harvester.index.service import index_clusters, reindex
from harvester.store import Store
from harvester.store.liveness import lease_holder, lease_is_live, this_host

log = logging.getLogger(__name__)

CLUSTER_LEASE = "_clusters"
"""The lease of the clustering step (no source id can start with ``_``)."""
LEASE_SECONDS = 3600.0
REINDEX_SHARE = 0.5
"""When a run changes the documents of more than this share of the records, the index is
rebuilt rather than patched."""


def cluster_changes(
    store: Store, index: SearchIndex | None, records: Iterable[str] = ()
) -> ClusterReport | None:
    """Cluster what changed since the last clustering run (and ``records``: those a curator
    decided about) and update the index; None when another process is clustering."""
    return _leased(store, index, lambda: update_clusters(store, records))


def rebuild_all(
    store: Store, index: SearchIndex | None, progress: Progress | None = None
) -> ClusterReport | None:
    """Cluster every record again and update the index; None when another process is
    clustering."""
    return _leased(store, index, lambda: rebuild_clusters(store, progress))


def _leased(
    store: Store, index: SearchIndex | None, run: Callable[[], ClusterReport]
) -> ClusterReport | None:
    holder = lease_holder()
    for stale in store.leases(CLUSTER_LEASE):  # its process died (on this host): free it
        if not lease_is_live(stale):
            store.release_lease(CLUSTER_LEASE, stale.holder)
    taken = store.acquire_lease(
        CLUSTER_LEASE, holder, host=this_host(), pid=os.getpid(), ttl=LEASE_SECONDS
    )
    if not taken:
        log.info("another process is clustering; the changes wait for it or the next run")
        return None
    try:
        report = run()
        if index is not None:
            update_index(store, index, report)
        return report
    finally:
        store.release_lease(CLUSTER_LEASE, holder)


def update_index(store: Store, index: SearchIndex, report: ClusterReport) -> None:
    """Write what a clustering run changed to the index: patched, or rebuilt when most
    records changed (the first run)."""
    if report.reindex_all or (
        report.records and len(report.reindex) > REINDEX_SHARE * report.records
    ):
        reindex(store, index)
        return
    if not report.reindex and not report.dropped:
        return
    stats = index_clusters(store, index, report.reindex, report.dropped)
    for error in stats.errors:
        log.warning("search index: %s", error)
