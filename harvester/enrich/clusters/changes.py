"""What a clustering pass changed: the memberships to write (streamed, so a million records
never sit in memory at once), which clusters were touched (a member came, went or the
representative changed), what the search index must redo, and a summary a person reads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from harvester.store.clusters import Member, MemberChange

REINDEX_LIMIT = 200_000
"""Records to re-index one by one at most; past this the index is rebuilt instead."""


@dataclass
class ClusterReport:
    """What a run did, for the command line and the run's summary."""

    mode: str
    records: int = 0
    pairs_scored: int = 0
    clusters: int = 0  # clusters of two listings or more after the run (among those seen)
    listings_in_clusters: int = 0
    formed: int = 0
    dissolved: int = 0
    moved: int = 0  # records whose cluster id changed
    representatives: int = 0  # new representatives of clusters of several
    reindex: set[str] = field(default_factory=set)  # record ids whose index documents change
    reindex_all: bool = False  # too many to patch: rebuild the index
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
            "reindexed": "all" if self.reindex_all else len(self.reindex),
            "seconds": round(self.seconds, 2),
        }


@dataclass
class Tally:
    """Clusters touched while the changes stream by."""

    touched: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    overflow: bool = False


def changes(
    old: Iterable[Member],
    new_ids: Iterable[str],
    member: Callable[[str], Member],
    keys: Callable[[str], tuple[int, ...]],
    report: ClusterReport,
    tally: Tally,
) -> Iterator[MemberChange]:
    """The changes that turn ``old`` memberships (by record id) into the new ones of
    ``new_ids`` (by record id; ``member`` and ``keys`` give each one's), counting as they
    go. Records in ``old`` only are gone."""
    before_iter = iter(old)
    before = next(before_iter, None)
    for record_id in new_ids:
        while before is not None and before.record_id < record_id:
            yield _gone(before, report, tally)
            before = next(before_iter, None)
        report.records += 1
        after = replace(member(record_id), keys=keys(record_id))
        if before is not None and before.record_id == record_id:
            change = _compare(before, after, report, tally)
            before = next(before_iter, None)
        else:
            change = MemberChange(record_id, None, after)
            _touch(tally, record_id, after.cluster_id)
        if change is not None:
            yield change
    while before is not None:
        yield _gone(before, report, tally)
        before = next(before_iter, None)


def _compare(
    before: Member, after: Member, report: ClusterReport, tally: Tally
) -> MemberChange | None:
    moved = after.cluster_id != before.cluster_id
    if moved or after.representative != before.representative:
        report.moved += moved
        report.representatives += after.representative and not before.representative
        _touch(tally, after.record_id, before.cluster_id, after.cluster_id)
        return MemberChange(after.record_id, before, after)
    if set(after.keys) != set(before.keys):
        return MemberChange(after.record_id, before, after)
    return None


def _gone(before: Member, report: ClusterReport, tally: Tally) -> MemberChange:
    _touch(tally, before.record_id, before.cluster_id)
    return MemberChange(before.record_id, before, None)


def _touch(tally: Tally, record_id: str, *cluster_ids: str) -> None:
    if tally.overflow:
        return
    tally.touched.update(cluster_ids)
    tally.changed.add(record_id)
    if len(tally.changed) > REINDEX_LIMIT:
        tally.overflow = True
        tally.touched.clear()
        tally.changed.clear()


def settle(
    report: ClusterReport,
    tally: Tally,
    old_sizes: Mapping[str, int],
    assigned: Mapping[str, Member],
    old_members: Iterable[Member] = (),
) -> None:
    """Finish the report once the changes are written: clusters formed and dissolved, the
    records whose index documents change, the cluster documents to drop."""
    sizes = Counter(m.cluster_id for m in assigned.values())
    report.clusters = sum(1 for n in sizes.values() if n > 1)
    report.listings_in_clusters = sum(n for n in sizes.values() if n > 1)
    report.formed = sum(1 for c, n in sizes.items() if n > 1 and old_sizes.get(c, 0) < 2)
    report.dissolved = sum(1 for c, n in old_sizes.items() if n > 1 and sizes.get(c, 0) < 2)
    if tally.overflow:
        report.reindex_all = True
        return
    touched = tally.touched
    report.reindex = set(tally.changed)
    report.reindex |= {r for r, m in assigned.items() if m.cluster_id in touched}
    report.reindex |= {m.record_id for m in old_members if m.cluster_id in touched}
    report.dropped = {c for c in touched if sizes.get(c, 0) < 2}
