"""Clustering runs over the store: everything (:func:`rebuild_clusters`, ``csfinder
cluster``) or only what changed since the last run (:func:`update_clusters`, after each
harvest).

An update takes the records changed since the last run's high-water mark, the records
sharing a blocking key with them, and everything clustered with either (a record that
leaves a cluster changes what is left of it), and clusters that set again. A full rebuild
reads every live record once. Either way the store gets one transaction, and the report
says which records the search index must redo.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

import numpy as np
import orjson

from harvester.enrich.clusters.blocking import MAX_BLOCK, hashed_keys
from harvester.enrich.clusters.changes import ClusterReport, diff
from harvester.enrich.clusters.engine import cluster_records
from harvester.enrich.clusters.features import Features, features_of
from harvester.enrich.clusters.identity import default_cluster_id
from harvester.store import Store, utcnow
from harvester.store.clusters import Member

log = logging.getLogger(__name__)
Progress = Callable[[str, int], None]


class _Previous(Mapping[str, str]):
    """The cluster id each record had: stored, else the one a cluster of it alone gets."""

    def __init__(self, stored: Mapping[str, str]) -> None:
        self._stored = stored

    def __getitem__(self, record_id: str) -> str:
        return self._stored.get(record_id) or default_cluster_id(record_id)

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, str)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._stored)

    def __len__(self) -> int:
        return len(self._stored)


def rebuild_clusters(store: Store, progress: Progress | None = None) -> ClusterReport:
    """Cluster every live record from scratch (ids kept where clusters persist)."""
    started, report = time.monotonic(), ClusterReport("full")
    run_id = store.start_cluster_run("full")
    high_water = utcnow()
    features: dict[str, Features] = {}
    keys: dict[str, tuple[int, ...]] = {}
    for row in store.iter_normalised():
        try:
            found = features_of(orjson.loads(row.document))
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("record %s not clustered: %s", row.id, exc)
            continue
        features[found.record_id] = found
        keys[found.record_id] = tuple(hashed_keys(found))
        if progress is not None and len(features) % 50_000 == 0:
            progress("read", len(features))
    counts = _key_counts(keys.values())
    stored = {m.record_id: m.cluster_id for m in store.iter_members()}
    outcome = cluster_records(
        features, keys, lambda k: counts.get(k, 0), _Previous(stored), store.decisions()
    )
    del stored
    report.pairs_scored = outcome.pairs_scored
    write = diff(store.iter_members(), outcome.members, keys, report)
    write.links = outcome.links
    write.replace_links = True
    store.write_clusters(write)
    report.seconds = time.monotonic() - started
    store.finish_cluster_run(run_id, high_water, report.summary())
    return report


def update_clusters(store: Store) -> ClusterReport:
    """Cluster the records changed since the last run (a full rebuild the first time)."""
    since = store.cluster_high_water()
    if since is None:
        return rebuild_clusters(store)
    started, report = time.monotonic(), ClusterReport("incremental")
    run_id = store.start_cluster_run("incremental")
    high_water = utcnow()
    changed: dict[str, Features] = {}
    gone: set[str] = set()
    for row in store.iter_normalised(include_deleted=True, changed_since=since):
        if row.deleted:
            gone.add(row.id)
            continue
        try:
            changed[row.id] = features_of(orjson.loads(row.document))
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("record %s not clustered: %s", row.id, exc)
            gone.add(row.id)
    if not changed and not gone:
        report.seconds = time.monotonic() - started
        store.finish_cluster_run(run_id, high_water, report.summary())
        return report
    new_keys = {r: tuple(hashed_keys(f)) for r, f in changed.items()}
    holders = store.records_by_keys({k for ks in new_keys.values() for k in ks}, MAX_BLOCK)
    candidates = {r for found in holders.values() if len(found) <= MAX_BLOCK for r in found}
    old = store.members_of(set(changed) | gone | candidates)
    clusters = store.cluster_members({m.cluster_id for m in old.values()})
    affected = set(changed) | candidates | {m.record_id for ms in clusters.values() for m in ms}
    affected -= gone
    documents = store.documents(affected - set(changed))
    features = dict(changed)
    for record_id, document in documents.items():
        features[record_id] = features_of(orjson.loads(document))
    keys = {r: new_keys.get(r) or tuple(hashed_keys(f)) for r, f in features.items()}
    all_old = {**old, **store.members_of(set(features) - set(old))}
    counts = _holder_counts(store, keys, set(changed), holders)
    outcome = cluster_records(
        features,
        keys,
        lambda k: counts.get(k, 0),
        _Previous({r: m.cluster_id for r, m in all_old.items()}),
        store.decisions(features),
        _taken_outside(store, set(features) | gone),
    )
    report.pairs_scored = outcome.pairs_scored
    befores = [all_old[r] for r in sorted(all_old) if r in features or r in gone]
    write = diff(befores, outcome.members, keys, report)
    touched_links = write.touched_clusters | {m.cluster_id for m in befores}
    write.links = [x for x in outcome.links if x.cluster_id in touched_links or x.refused]
    write.touched_clusters = touched_links
    store.write_clusters(write)
    report.seconds = time.monotonic() - started
    store.finish_cluster_run(run_id, high_water, report.summary())
    return report


def _key_counts(keys: Iterable[tuple[int, ...]]) -> dict[int, int]:
    """How many records hold each key."""
    flat = np.fromiter((k for ks in keys for k in ks), dtype=np.int64)
    values, counts = np.unique(flat, return_counts=True)
    return dict(zip(values.tolist(), counts.tolist(), strict=True))


def _holder_counts(
    store: Store,
    keys: Mapping[str, tuple[int, ...]],
    changed: set[str],
    holders: Mapping[int, list[str]],
) -> dict[int, int]:
    """How many records hold each key of the records being clustered: the store's holders
    (at most one past :data:`MAX_BLOCK`) with the changed records' new keys in place of
    their old ones."""
    wanted = {k for ks in keys.values() for k in ks} - set(holders)
    found = {**holders, **store.records_by_keys(wanted, MAX_BLOCK)}
    with_new = Counter(k for r in changed for k in keys.get(r, ()))
    counts: dict[int, int] = {}
    for key, records in found.items():
        if len(records) > MAX_BLOCK:
            counts[key] = len(records)
            continue
        counts[key] = len(set(records) - changed) + with_new.get(key, 0)
    return counts


def _taken_outside(store: Store, inside: set[str]) -> Callable[[str], bool]:
    """Says whether a cluster id is held by a record outside ``inside``."""
    return lambda cluster_id: bool(store.cluster_ids_in_use([cluster_id], inside))


__all__ = ["ClusterReport", "Member", "rebuild_clusters", "update_clusters"]
