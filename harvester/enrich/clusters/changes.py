"""What a clustering pass changed: which memberships to write, which clusters were touched
(a member came, went or the representative changed), what the search index must redo, and
a summary a person can read.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from harvester.store.clusters import ClusterWrite, Member


@dataclass
class ClusterReport:
    """What a run did, for the command line and the run's summary."""

    mode: str
    records: int = 0
    pairs_scored: int = 0
    clusters: int = 0  # clusters of two listings or more, among the records seen
    listings_in_clusters: int = 0
    formed: int = 0
    dissolved: int = 0
    moved: int = 0  # records whose cluster id changed
    representatives: int = 0  # representatives changed
    reindex: set[str] = field(default_factory=set)  # record ids whose index document changes
    dropped: set[str] = field(default_factory=set)  # cluster ids no longer holding 2+ listings
    seconds: float = 0.0

    def summary(self) -> dict[str, object]:
        """The report as JSON-ready numbers."""
        return {
            "mode": self.mode,
            "records": self.records,
            "pairs_scored": self.pairs_scored,
            "clusters": self.clusters,
            "listings_in_clusters": self.listings_in_clusters,
            "formed": self.formed,
            "dissolved": self.dissolved,
            "moved": self.moved,
            "representatives": self.representatives,
            "reindexed": len(self.reindex),
            "seconds": round(self.seconds, 2),
        }


def diff(
    old: Iterable[Member],
    new: Mapping[str, Member],
    new_keys: Mapping[str, tuple[int, ...]],
    report: ClusterReport,
) -> ClusterWrite:
    """The writes that turn ``old`` memberships (those of the records seen, and of records
    now gone, in any order) into ``new`` ones, and the report's counts."""
    write = ClusterWrite()
    seen: set[str] = set()
    old_sizes: Counter[str] = Counter()
    for before in old:
        seen.add(before.record_id)
        old_sizes[before.cluster_id] += 1
        after = new.get(before.record_id)
        if after is None:
            write.gone.append(before.record_id)
            write.old_keys[before.record_id] = before.keys
            write.touched_clusters.add(before.cluster_id)
            continue
        keys = new_keys.get(before.record_id, before.keys)
        if set(keys) != set(before.keys):
            write.old_keys[before.record_id] = before.keys
            write.new_keys[before.record_id] = keys
        after = dataclasses.replace(after, keys=keys)
        if (after.cluster_id, after.representative) != (before.cluster_id, before.representative):
            write.members.append(after)
            write.touched_clusters |= {before.cluster_id, after.cluster_id}
            report.moved += after.cluster_id != before.cluster_id
            report.representatives += after.representative and not before.representative
        elif before.record_id in write.new_keys:
            write.members.append(after)
    for record_id in sorted(set(new) - seen):
        keys = new_keys.get(record_id, ())
        write.members.append(dataclasses.replace(new[record_id], keys=keys))
        write.new_keys[record_id] = keys
        write.touched_clusters.add(new[record_id].cluster_id)
    _count(new, old_sizes, write, report)
    return write


def _count(
    new: Mapping[str, Member], old_sizes: Counter[str], write: ClusterWrite, report: ClusterReport
) -> None:
    sizes = Counter(m.cluster_id for m in new.values())
    report.records = len(new)
    report.clusters = sum(1 for n in sizes.values() if n > 1)
    report.listings_in_clusters = sum(n for n in sizes.values() if n > 1)
    report.formed = sum(1 for c, n in sizes.items() if n > 1 and old_sizes.get(c, 0) < 2)
    report.dissolved = sum(1 for c, n in old_sizes.items() if n > 1 and sizes.get(c, 0) < 2)
    touched = write.touched_clusters
    report.reindex |= {m.record_id for m in new.values() if m.cluster_id in touched}
    report.dropped |= {c for c in touched if sizes.get(c, 0) < 2}


def members_in_order(members: Mapping[str, Member]) -> Iterator[Member]:
    """Memberships by record id (as the store lists them)."""
    for record_id in sorted(members):
        yield members[record_id]
