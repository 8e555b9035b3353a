"""Clustering runs over the store: everything (:func:`rebuild_clusters`, ``csfinder
cluster``) or only what changed since the last run (:func:`update_clusters`, after each
harvest).

A full rebuild reads the live records twice, to stay small at a million records: first
their blocking keys only (numbers in arrays), then the features of just the records that
share a key with another. An update takes the records changed since the last run's
high-water mark, the records sharing a key with them, and everything clustered with either
(a record that leaves a cluster changes what is left of it), and clusters that set again.
Either way the store gets one transaction, and the report says which records the search
index must redo.
"""

from __future__ import annotations

import logging
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np
import orjson

from harvester.enrich.clusters.blocking import MAX_BLOCK, candidate_pairs, hashed_keys
from harvester.enrich.clusters.changes import ClusterReport, diff
from harvester.enrich.clusters.engine import Clustering, cluster_pairs, common_values
from harvester.enrich.clusters.features import Features, features_of
from harvester.enrich.clusters.identity import default_cluster_id
from harvester.store import Store, utcnow
from harvester.store.clusters import Member

log = logging.getLogger(__name__)
Progress = Callable[[str, int], None]


def _features(record_id: str, document: str) -> Features | None:
    try:
        return features_of(orjson.loads(document))
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        log.warning("record %s not clustered: %s", record_id, exc)
        return None


def rebuild_clusters(store: Store, progress: Progress | None = None) -> ClusterReport:
    """Cluster every live record from scratch (ids kept where clusters persist)."""
    started, report = time.monotonic(), ClusterReport("full")
    run_id = store.start_cluster_run("full")
    high_water = utcnow()
    ids: list[str] = []
    sources: list[str] = []
    keys, holders = array("q"), array("q")
    record_keys: dict[str, tuple[int, ...]] = {}
    for row in store.iter_normalised():
        found = _features(row.id, row.document)
        if found is None:
            continue
        hashed = hashed_keys(found)
        keys.extend(hashed)
        holders.extend([len(ids)] * len(hashed))
        record_keys[found.record_id] = tuple(hashed)
        ids.append(found.record_id)
        sources.append(found.source_id)
        if progress is not None and len(ids) % 100_000 == 0:
            progress("read", len(ids))
    key_array = np.frombuffer(keys, dtype=np.int64)
    values, counts = np.unique(key_array, return_counts=True)
    key_count = dict(zip(values.tolist(), counts.tolist(), strict=True))
    pairs = candidate_pairs(key_array, np.frombuffer(holders, dtype=np.int64))
    del keys, holders, key_array, values, counts
    if progress is not None:
        progress("pairs", len(pairs))
    previous = _previous(store)
    decisions = store.decisions()
    wanted = {ids[i] for i in np.unique(pairs).tolist()} | {r for p in decisions for r in p}
    features = {
        row.id: found
        for row in store.iter_normalised()
        if row.id in wanted and (found := _features(row.id, row.document)) is not None
    }
    outcome = cluster_pairs(
        ids,
        pairs,
        features,
        common_values(lambda k: key_count.get(k, 0)),
        previous,
        decisions,
    )
    report.pairs_scored = outcome.pairs_scored
    order = sorted(range(len(ids)), key=ids.__getitem__)
    new = _NewMembers(outcome, [ids[i] for i in order], [sources[i] for i in order])
    write = diff(store.iter_members(), new, record_keys, report)
    write.links, write.replace_links = outcome.links, True
    store.write_clusters(write)
    report.seconds = time.monotonic() - started
    store.finish_cluster_run(run_id, high_water, report.summary())
    return report


def update_clusters(store: Store, records: Iterable[str] = ()) -> ClusterReport:
    """Cluster the records changed since the last run, and ``records`` (say, those a
    curator just decided about); a full rebuild the first time."""
    since = store.cluster_high_water()
    if since is None:
        return rebuild_clusters(store)
    started, report = time.monotonic(), ClusterReport("incremental")
    run_id = store.start_cluster_run("incremental")
    high_water = utcnow()
    changed: dict[str, Features] = {}
    gone: set[str] = set()
    for row in store.iter_normalised(include_deleted=True, changed_since=since):
        found = None if row.deleted else _features(row.id, row.document)
        if found is None:
            gone.add(row.id)
        else:
            changed[row.id] = found
    asked = set(records) - set(changed) - gone
    for record_id, document in store.documents(asked).items():
        found = _features(record_id, document)
        if found is not None:
            changed[record_id] = found
    if changed or gone:
        _update(store, changed, gone, report)
    report.seconds = time.monotonic() - started
    store.finish_cluster_run(run_id, high_water, report.summary())
    return report


def _update(
    store: Store, changed: dict[str, Features], gone: set[str], report: ClusterReport
) -> None:
    new_keys = {r: tuple(hashed_keys(f)) for r, f in changed.items()}
    holders = store.records_by_keys({k for ks in new_keys.values() for k in ks}, MAX_BLOCK)
    candidates = {r for found in holders.values() if len(found) <= MAX_BLOCK for r in found}
    decided = store.decisions(set(changed) | gone)
    candidates |= {r for p in decided for r in p} - gone
    old = store.members_of(set(changed) | gone | candidates)
    clusters = store.cluster_members({m.cluster_id for m in old.values()})
    affected = set(changed) | candidates | {m.record_id for ms in clusters.values() for m in ms}
    affected -= gone
    old.update(store.members_of(affected - set(old)))
    features = dict(changed)
    for record_id, document in store.documents(affected - set(changed)).items():
        found = _features(record_id, document)
        if found is not None:
            features[record_id] = found
    keys = {r: new_keys.get(r) or tuple(hashed_keys(f)) for r, f in features.items()}
    counts = _holder_counts(store, keys, set(changed), holders)
    ids = sorted(features)
    position = {r: n for n, r in enumerate(ids)}
    flat = [(k, position[r]) for r in ids for k in keys[r]]
    too_common = {k for k, n in counts.items() if n > MAX_BLOCK}
    pairs = candidate_pairs(
        np.array([k for k, _ in flat], dtype=np.int64),
        np.array([p for _, p in flat], dtype=np.int64),
        too_common,
    )
    outcome = cluster_pairs(
        ids,
        pairs,
        features,
        common_values(lambda k: counts.get(k, 0)),
        {r: m.cluster_id for r, m in old.items()},
        store.decisions(features),
        _taken_outside(store, set(features) | gone),
    )
    report.pairs_scored = outcome.pairs_scored
    befores = [old[r] for r in sorted(old) if r in features or r in gone]
    new = {r: outcome.member(r, features[r].source_id) for r in ids}
    write = diff(befores, new, keys, report)
    write.touched_clusters |= {m.cluster_id for m in befores}
    write.links = [x for x in outcome.links if x.cluster_id in write.touched_clusters]
    store.write_clusters(write)


class _NewMembers(Mapping[str, Member]):
    """Every record's new membership, computed when asked (most are clusters of one)."""

    def __init__(self, outcome: Clustering, ids: list[str], sources: list[str]) -> None:
        self._outcome = outcome
        self._ids = ids
        self._source_list = sources

    def __getitem__(self, record_id: str) -> Member:
        index = self._index(record_id)
        if index is None:
            raise KeyError(record_id)
        return self._outcome.member(record_id, self._source_list[index])

    def _index(self, record_id: str) -> int | None:
        low, high = 0, len(self._ids)
        while low < high:
            middle = (low + high) // 2
            if self._ids[middle] < record_id:
                low = middle + 1
            else:
                high = middle
        return low if low < len(self._ids) and self._ids[low] == record_id else None

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, str) and self._index(record_id) is not None


def _previous(store: Store) -> dict[str, str]:
    """The stored cluster ids that :func:`cluster_pairs` must see: members of clusters of
    several, and records whose id is not their default."""
    found = store.multi_members()
    for member in store.iter_members():
        if member.record_id not in found and member.cluster_id != default_cluster_id(
            member.record_id
        ):
            found[member.record_id] = member.cluster_id
    return found


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


def summary_line(report: ClusterReport) -> str:
    """One line a person reads: what the run found and changed."""
    found: dict[str, Any] = report.summary()
    return (
        f"{found['mode']}: {found['records']:,} records, {found['clusters']:,} clusters of "
        f"several listings ({found['listings_in_clusters']:,} listings); "
        f"{found['formed']:,} formed, {found['dissolved']:,} dissolved, {found['moved']:,} "
        f"records moved, {found['representatives']:,} new representatives; "
        f"{found['pairs_scored']:,} pairs scored in {found['seconds']} s"
    )
