"""From scored pairs to clusters: joined strongest pair first, each join checked.

Transitive closure alone chains: A is like B, B like C, and A ends with C although the two
have nothing in common (a national chapter between the project and another chapter). So
two groups are joined only when

* a curator has not said that any record of one differs from any record of the other;
* together they stay within :data:`MAX_SIZE` listings;
* they hold no two listings of one source that are not themselves a joined pair (a
  platform rarely lists one project twice);
* on average, every record of one is like every record of the other
  (:data:`MEAN_FLOOR` points; pairs never scored count as scored now).

A curator's "same" decision joins two records whatever the scores say. Each join keeps its
evidence (the pair's signals); each refusal keeps its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from harvester.enrich.clusters.scoring import JOIN, Score, Signal

MAX_SIZE = 12
"""Listings of one project at most (more means something chained)."""
MEAN_FLOOR = 4.0
"""The mean score between two groups below which they are not joined."""
CURATOR_JOINED = "joined by a curator"
REFUSED_BY_CURATOR = "a curator said these are different projects"
REFUSED_TOO_LARGE = "the cluster would hold too many listings"
REFUSED_SAME_SOURCE = "two listings of one source that are not alike"
REFUSED_CHAIN = "the records of the two groups are not alike on average"

Pair = tuple[str, str]


def pair(a: str, b: str) -> Pair:
    """A pair of record ids in a fixed order."""
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class Edge:
    """A scored pair of records."""

    a: str
    b: str
    score: Score


@dataclass(frozen=True)
class Link:
    """Why two records are in one cluster (or why they are not): the pair, its evidence,
    and whether it joined them (``refused`` says why not)."""

    a: str
    b: str
    score: Score
    refused: str | None = None


@dataclass
class Grouping:
    """Clusters of record ids, with the links that made (or refused) them."""

    groups: list[list[str]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


class _Groups:
    """Union-find over record ids, each root knowing its members."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {i: i for i in ids}
        self.members = {i: [i] for i in self.parent}

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)


def group(
    ids: Iterable[str],
    edges: Iterable[Edge],
    source_of: Mapping[str, str],
    rescore: Callable[[str, str], Score],
    decisions: Mapping[Pair, bool] | None = None,
) -> Grouping:
    """Cluster ``ids`` from their scored pairs (``rescore`` scores a pair not given), with
    the curators' ``decisions`` (True: same project, False: different)."""
    decisions = decisions or {}
    groups = _Groups(ids)
    links: list[Link] = []
    scores: dict[Pair, Score] = {}
    for (a, b), same in sorted(decisions.items()):
        if same and a in groups.parent and b in groups.parent:
            groups.union(a, b)
            links.append(Link(a, b, Score((Signal(CURATOR_JOINED, 100.0),))))
    apart = {p for p, same in decisions.items() if not same}
    strong = sorted(
        (e for e in edges if e.score.joins), key=lambda e: (-e.score.total, pair(e.a, e.b))
    )
    for edge in strong:
        scores[pair(edge.a, edge.b)] = edge.score
    joined: set[Pair] = {pair(e.a, e.b) for e in strong}

    def known(a: str, b: str) -> Score:
        key = pair(a, b)
        if key not in scores:
            scores[key] = rescore(*key)
        return scores[key]

    for edge in strong:
        ra, rb = groups.find(edge.a), groups.find(edge.b)
        if ra == rb:
            continue
        reason = _refusal(groups.members[ra], groups.members[rb], source_of, joined, apart, known)
        links.append(Link(edge.a, edge.b, edge.score, reason))
        if reason is None:
            groups.union(ra, rb)
    return Grouping([sorted(m) for m in groups.members.values()], links)


def _refusal(
    left: list[str],
    right: list[str],
    source_of: Mapping[str, str],
    joined: set[Pair],
    apart: set[Pair],
    known: Callable[[str, str], Score],
) -> str | None:
    """Why two groups may not be joined, or None when they may."""
    if any(pair(x, y) in apart for x in left for y in right):
        return REFUSED_BY_CURATOR
    if len(left) + len(right) > MAX_SIZE:
        return REFUSED_TOO_LARGE
    for x in left:
        for y in right:
            if source_of.get(x) == source_of.get(y) and pair(x, y) not in joined:
                return REFUSED_SAME_SOURCE
    if len(left) * len(right) > 1:
        mean = sum(known(x, y).total for x in left for y in right) / (len(left) * len(right))
        if mean < MEAN_FLOOR:
            return REFUSED_CHAIN
    return None


__all__ = ["JOIN", "Edge", "Grouping", "Link", "group", "pair"]
