"""Insights from the facet bitmaps: each value's count is one intersection cardinality
with the selection (or, over every live row, the bitmap's own size: bitmaps hold live rows
only), so a whole answer costs a few hundred bitmap operations however large the index.

Clusters count once (see :mod:`harvester.index.insights`). The rows of clusters that have
several live rows (:class:`SharedClusters`, found once per facet state) are the only ones
that can be counted twice: a count is the plain cardinality, less the shared rows it holds,
plus how many distinct clusters those rows belong to, found with bitmaps: the clusters'
first rows it holds, and the first rows of its other rows that it does not hold. A
selection holding at most one row of each cluster (no clusters, or a collapsed search: one
document per cluster) is counted as plain rows.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pyroaring import BitMap

from harvester.index.base import Insights
from harvester.index.dimensions import CLUSTER
from harvester.index.insights import DIMENSIONS, FAIR_FIELDS, buckets, fair_profile
from harvester.index.query import SearchQuery
from harvester.index.sqlite.facets import FacetState, bitmap_of


@dataclass(frozen=True)
class SharedClusters:
    """The live rows of clusters with several live rows: all of them, one row standing for
    each cluster (its first), and, by row id, the first row of each such row's cluster."""

    rows: BitMap
    first: BitMap
    first_of: npt.NDArray[np.uint32]  # meaningful for ``rows`` only

    def distinct(self, found: BitMap) -> int:
        """How many clusters some of ``found`` (shared rows only) belong to: the firsts it
        holds, and the clusters it holds other rows of but not their first."""
        heads = found & self.first
        others = found - heads
        if not others:
            return len(heads)
        rows = np.frombuffer(others.to_array(), dtype=np.uint32)
        their_heads = bitmap_of(self.first_of[rows])
        return len(heads) + len(their_heads - heads)


_FOUND: weakref.WeakKeyDictionary[FacetState, SharedClusters] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def shared_clusters(state: FacetState) -> SharedClusters:
    """The state's shared clusters (a state never changes once searched: computed once)."""
    with _LOCK:
        found = _FOUND.get(state)
    if found is not None:
        return found
    several = [bitmap for bitmap in state.values.get(CLUSTER, {}).values() if len(bitmap) > 1]
    rows = BitMap.union(BitMap(), *several) if several else BitMap()
    first_of = np.zeros(int(rows.max()) + 1 if rows else 0, dtype=np.uint32)
    firsts = []
    for bitmap in several:
        head = bitmap.min()
        first_of[np.asarray(bitmap.to_array(), dtype=np.int64)] = head
        firsts.append(head)
    found = SharedClusters(rows, BitMap(firsts), first_of)
    with _LOCK:
        _FOUND[state] = found
    return found


class ClusterCounter:
    """Counts clusters among the rows of one selection: a count of rows, less the shared
    rows among them, plus the clusters those belong to."""

    def __init__(self, state: FacetState, selection: BitMap) -> None:
        self.state, self.selection = state, selection
        self.clusters = shared_clusters(state)
        rows = self.clusters.rows
        shared = selection & rows if rows else BitMap()
        self._total = len(selection) - len(shared) + self.clusters.distinct(shared)
        # one row per cluster at most (no two rows to count once): every count is of rows
        self.shared = shared if self._total < len(selection) else BitMap()

    def total(self) -> int:
        """The clusters the selection holds."""
        return self._total

    def value_counts(self, field: str) -> list[tuple[str, int]]:
        """How many clusters of the selection carry each value of an index field."""
        by_value = self.state.values.get(field, {})
        selection = self.selection
        if not selection:
            return []
        if selection is self.state.live:
            counted = [(value, len(bitmap)) for value, bitmap in by_value.items()]
        else:
            counted = [
                (value, bitmap.intersection_cardinality(selection))
                for value, bitmap in by_value.items()
            ]
        if not self.shared:
            return counted
        return [
            (value, count - len(both) + self.clusters.distinct(both) if both else count)
            for (value, count), both in zip(
                counted, (bitmap & self.shared for bitmap in by_value.values()), strict=True
            )
        ]


def count_insights(state: FacetState, selection: BitMap, query: SearchQuery) -> Insights:
    """The selection's insights (see :mod:`harvester.index.insights`)."""
    counter = ClusterCounter(state, selection)
    dimensions = {
        dimension: buckets(dimension, counter.value_counts(dimension), query)
        for dimension in DIMENSIONS
    }
    applies, passed = (dict(counter.value_counts(name)) for name in FAIR_FIELDS)
    return Insights(
        counter.total(), dimensions, fair_profile(applies, passed), query, len(selection)
    )
