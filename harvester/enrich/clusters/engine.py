"""One clustering pass over a set of records: candidate pairs from shared keys, their
scores, the groups, lasting ids and representatives, and the evidence to keep.

Both the full rebuild and the incremental update call :func:`cluster_records`; they differ
in which records they hand it (all, or those a change touches with everything clustered
with them) and in where key counts come from (the arrays of a full pass, or the store).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from harvester.enrich.clusters.blocking import MAX_BLOCK, candidate_pairs, key_hash
from harvester.enrich.clusters.features import Features
from harvester.enrich.clusters.grouping import Edge, Pair, group, pair
from harvester.enrich.clusters.identity import assign_ids, representative
from harvester.enrich.clusters.scoring import Common, Score, score
from harvester.store.clusters import Member, StoredLink

COMMON_LIMIT = 4
"""Records sharing a landing page, a host or a site name beyond which it is no evidence
(the platform's own host, a portal many projects link to)."""


@dataclass
class Clustering:
    """The outcome of a pass: every record's membership, and the links behind clusters."""

    members: dict[str, Member] = field(default_factory=dict)
    links: list[StoredLink] = field(default_factory=list)
    pairs_scored: int = 0


def common_values(key_count: Callable[[int], int], limit: int = COMMON_LIMIT) -> Common:
    """A :data:`~harvester.enrich.clusters.scoring.Common` from counts of hashed keys."""
    return lambda kind, value: key_count(key_hash(f"{kind}:{value}")) > limit


def cluster_records(
    features: Mapping[str, Features],
    keys: Mapping[str, tuple[int, ...]],
    key_count: Callable[[int], int],
    previous: Mapping[str, str],
    decisions: Mapping[Pair, bool],
    taken: Callable[[str], bool] = lambda _id: False,
) -> Clustering:
    """Cluster ``features`` (record id → features, with their hashed ``keys``).

    ``key_count`` gives how many records hold a key across the whole store; ``previous``
    the clusters the records were in; ``decisions`` the curators' word on pairs; ``taken``
    says a cluster id is in use by records outside this pass.
    """
    ids = sorted(features)
    number = {record_id: n for n, record_id in enumerate(ids)}
    common = common_values(key_count)
    key_column: list[int] = []
    member_column: list[int] = []
    for record_id in ids:
        for key in keys.get(record_id, ()):
            key_column.append(key)
            member_column.append(number[record_id])
    key_array = np.array(key_column, dtype=np.int64)
    too_common = {int(k) for k in np.unique(key_array) if key_count(int(k)) > MAX_BLOCK}
    pairs = candidate_pairs(key_array, np.array(member_column, dtype=np.int64), too_common)

    def rescore(a: str, b: str) -> Score:
        return score(features[a], features[b], common)

    edges = [Edge(ids[x], ids[y], rescore(ids[x], ids[y])) for x, y in pairs.tolist()]
    wanted = {p: same for p, same in decisions.items() if p[0] in number and p[1] in number}
    grouping = group(ids, edges, {r: features[r].source_id for r in ids}, rescore, wanted)
    cluster_of = assign_ids(grouping.groups, previous, taken)
    outcome = Clustering(pairs_scored=len(edges))
    for members in grouping.groups:
        best = representative(members, features)
        for record_id in members:
            outcome.members[record_id] = Member(
                record_id, cluster_of[record_id], features[record_id].source_id, record_id == best
            )
    for link in grouping.links:
        a, b = pair(link.a, link.b)
        outcome.links.append(
            StoredLink(
                a,
                b,
                cluster_of[a],
                link.score.total,
                tuple((s.name, s.points) for s in link.score.signals),
                link.refused,
            )
        )
    return outcome
