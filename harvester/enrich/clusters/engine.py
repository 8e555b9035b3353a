"""One clustering pass: scored candidate pairs to groups, lasting ids, representatives, and
the evidence to keep.

Both the full rebuild and the incremental update call :func:`cluster_pairs`; they differ in
which records they hand it and where key counts come from. Most records pair with nothing:
they stay clusters of one under the id they had (a new one gets its default id) and are not
held in memory here; :meth:`Clustering.member` answers for them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from harvester.enrich.clusters.blocking import key_hash
from harvester.enrich.clusters.features import Features
from harvester.enrich.clusters.grouping import Edge, Pair, group, pair
from harvester.enrich.clusters.identity import assign_ids, default_cluster_id, representative
from harvester.enrich.clusters.scoring import Common, Score, score
from harvester.store.clusters import Member, StoredLink

COMMON_LIMIT = 12
"""Records sharing a landing page, a host or a site name beyond which it is no evidence
(the platform's own host, a portal many projects link to)."""


@dataclass
class Clustering:
    """The outcome of a pass: memberships of the records in clusters of several (and of
    those whose cluster changed), and the links behind clusters."""

    assigned: dict[str, Member] = field(default_factory=dict)
    links: list[StoredLink] = field(default_factory=list)
    previous: Mapping[str, str] = field(default_factory=dict)
    pairs_scored: int = 0

    def member(self, record_id: str, source_id: str) -> Member:
        """The membership of any record of the pass."""
        found = self.assigned.get(record_id)
        if found is not None:
            return found
        cluster_id = self.previous.get(record_id) or default_cluster_id(record_id)
        return Member(record_id, cluster_id, source_id, True)


def common_values(key_count: Callable[[int], int], limit: int = COMMON_LIMIT) -> Common:
    """A :data:`~harvester.enrich.clusters.scoring.Common` from counts of hashed keys."""
    return lambda kind, value: key_count(key_hash(f"{kind}:{value}")) > limit


def cluster_pairs(
    ids: Sequence[str],
    pairs: npt.NDArray[np.int64],
    features: Mapping[str, Features],
    common: Common,
    previous: Mapping[str, str],
    decisions: Mapping[Pair, bool],
    taken: Callable[[str], bool] = lambda _id: False,
) -> Clustering:
    """Cluster the records ``ids`` from their candidate ``pairs`` (rows of two positions
    in ``ids``).

    ``features`` holds every record of a pair or a decision; ``previous`` the stored
    cluster id of every record whose id is not its default, or whose cluster held others;
    ``decisions`` the curators' word on pairs; ``taken`` says a cluster id is held by a
    record outside this pass.
    """

    def rescore(a: str, b: str) -> Score:
        return score(features[a], features[b], common)

    edges = []
    for x, y in pairs.tolist():
        found = rescore(ids[x], ids[y])
        if found.joins:  # weaker pairs join nothing: not kept (a million pairs would weigh)
            edges.append(Edge(ids[x], ids[y], found))
    wanted = {p: same for p, same in decisions.items() if p[0] in features and p[1] in features}
    joined = {r for e in edges for r in (e.a, e.b)} | {r for p in wanted for r in p}
    involved = joined | set(previous)
    sources = {r: features[r].source_id for r in joined}
    grouping = group(sorted(joined), edges, sources, rescore, wanted)
    groups = [g for g in grouping.groups if len(g) > 1]
    grouped = {r for g in groups for r in g}
    groups += [[r] for r in sorted(involved - grouped)]
    votes = {r: previous.get(r) or default_cluster_id(r) for g in groups for r in g}
    cluster_of = assign_ids(groups, votes, taken)
    outcome = Clustering(previous=previous, pairs_scored=len(pairs))
    for members in groups:
        best = representative(members, features)
        for record_id in members:
            known = features.get(record_id)
            source = known.source_id if known is not None else _source_of(record_id)
            outcome.assigned[record_id] = Member(
                record_id, cluster_of[record_id], source, record_id == best
            )
    for link in grouping.links:
        a, b = pair(link.a, link.b)
        signals = tuple((s.name, s.points, s.detail) for s in link.score.signals)
        outcome.links.append(
            StoredLink(a, b, cluster_of[a], link.score.total, signals, link.refused)
        )
    return outcome


def _source_of(record_id: str) -> str:
    """The source id a record id starts with."""
    return record_id.rsplit(":", 1)[0]
