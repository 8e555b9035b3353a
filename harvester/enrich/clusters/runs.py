"""Clustering runs over the store: everything (:func:`rebuild_clusters`, ``csfinder
cluster``) or only what changed since the last run (:func:`update_clusters`, after each
harvest).

A full rebuild reads the live records twice, to stay small at a million records: first
their blocking keys only (numbers in arrays), then the features of just the records that
share a key with another. An update takes the records changed since the last run's
high-water mark, the records sharing a key with them, those a curator decided about with
them, and everything clustered with any of these (a record that leaves a cluster changes
what is left of it), and clusters that set again. Either way the store gets one
transaction, and the report says which records the search index must redo.
"""

from __future__ import annotations

import bisect
import logging
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from harvester.enrich.clusters.blocking import (
    MAX_BLOCK,
    block_limit,
    candidate_pairs,
    hashed_keys,
)
from harvester.enrich.clusters.changes import ClusterReport, Tally, changes, settle
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


class _Keys:
    """Every record's blocking keys in two arrays (record after record), with counts."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.sources: list[str] = []
        self.keys = array("q")
        self.holders = array("i")
        self.offsets = array("q", [0])

    def add(self, found: Features) -> None:
        hashed = hashed_keys(found)
        self.keys.extend(hashed)
        self.holders.extend([len(self.ids)] * len(hashed))
        self.offsets.append(len(self.keys))
        self.ids.append(found.record_id)
        self.sources.append(found.source_id)

    def of(self, position: int) -> tuple[int, ...]:
        return tuple(self.keys[self.offsets[position] : self.offsets[position + 1]])

    def counter(self) -> Callable[[int], int]:
        """How many records hold a key (looked up in sorted arrays: little memory)."""
        values, counts = np.unique(np.frombuffer(self.keys, dtype=np.int64), return_counts=True)

        def count(key: int) -> int:
            at = int(np.searchsorted(values, key))
            return int(counts[at]) if at < len(values) and values[at] == key else 0

        return count

    def pairs(self) -> npt.NDArray[np.int64]:
        keys = np.frombuffer(self.keys, dtype=np.int64)
        holders = np.frombuffer(self.holders, dtype=np.int32).astype(np.int64)
        return candidate_pairs(keys, holders)


def rebuild_clusters(store: Store, progress: Progress | None = None) -> ClusterReport:
    """Cluster every live record from scratch (ids kept where clusters persist)."""
    started, report = time.monotonic(), ClusterReport("full")
    run_id = store.start_cluster_run("full")
    high_water = utcnow()
    table = _Keys()
    for row in store.iter_normalised():
        found = _features(row.id, row.document)
        if found is not None:
            table.add(found)
            if progress is not None and len(table.ids) % 100_000 == 0:
                progress("read", len(table.ids))
    pairs = table.pairs()
    if progress is not None:
        progress("pairs", len(pairs))
    previous, old_sizes = _previous(store)
    decisions = store.decisions()
    wanted = {table.ids[i] for i in np.unique(pairs).tolist()} | {r for p in decisions for r in p}
    features = {
        found.record_id: found
        for row in store.iter_normalised()
        if row.id in wanted and (found := _features(row.id, row.document)) is not None
    }
    outcome = cluster_pairs(
        table.ids, pairs, features, common_values(table.counter()), previous, decisions
    )
    del features, pairs
    if progress is not None:
        progress("scored", outcome.pairs_scored)
    report.pairs_scored = outcome.pairs_scored
    order = sorted(range(len(table.ids)), key=table.ids.__getitem__)
    new_ids = [table.ids[i] for i in order]

    def member(record_id: str) -> Member:
        at = order[bisect.bisect_left(new_ids, record_id)]
        return outcome.member(record_id, table.sources[at])

    def keys(record_id: str) -> tuple[int, ...]:
        return table.of(order[bisect.bisect_left(new_ids, record_id)])

    tally = Tally()
    stream = changes(store.iter_members(), new_ids, member, keys, report, tally)
    store.write_clusters(stream, lambda: (outcome.links, None))
    old_members = [Member(r, c, "", False) for r, c in previous.items()]
    settle(report, tally, old_sizes, outcome.assigned, old_members)
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
    candidates = {
        r for key, found in holders.items() if len(found) <= block_limit(key) for r in found
    }
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
    pairs = candidate_pairs(
        np.array([k for k, _ in flat], dtype=np.int64),
        np.array([p for _, p in flat], dtype=np.int64),
        {k for k, n in counts.items() if n > block_limit(k)},
    )
    outcome: Clustering = cluster_pairs(
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
    tally = Tally()
    stream = changes(
        befores,
        ids,
        lambda r: outcome.member(r, features[r].source_id),
        lambda r: keys[r],
        report,
        tally,
    )

    def links() -> tuple[list[Any], set[str]]:
        touched = tally.touched | {m.cluster_id for m in befores}
        return [x for x in outcome.links if x.cluster_id in touched], touched

    store.write_clusters(stream, links)
    old_sizes = Counter(m.cluster_id for m in old.values())
    settle(report, tally, old_sizes, outcome.assigned, befores)


def _previous(store: Store) -> tuple[dict[str, str], dict[str, int]]:
    """The stored cluster ids that :func:`cluster_pairs` must see (members of clusters of
    several, and records whose id is not their default), and the sizes of the stored
    clusters of several."""
    found = store.multi_members()
    sizes = Counter(found.values())
    for member in store.iter_members():
        if member.record_id not in found and member.cluster_id != default_cluster_id(
            member.record_id
        ):
            found[member.record_id] = member.cluster_id
    return found, dict(sizes)


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
