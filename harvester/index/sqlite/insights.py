"""Insights from the facet bitmaps: each value's count is one intersection cardinality
with the selection (or, over every live row, the bitmap's own size: bitmaps hold live rows
only), so a whole answer costs a few hundred bitmap operations however large the index.

Clusters count once (see :mod:`harvester.index.insights`). The rows of clusters that have
several live rows are the only ones that can be counted twice: a count is the plain
cardinality, less the shared rows it holds, plus how many clusters those rows belong to,
counted in the :mod:`~harvester.index.sqlite.cluster_space` with bitmaps. A selection
holding at most one row of each cluster (no clusters, or a collapsed search: one document
per cluster) is counted as plain rows.
"""

from __future__ import annotations

from pyroaring import BitMap

from harvester.index.base import Insights
from harvester.index.insights import DIMENSIONS, FAIR_FIELDS, buckets, fair_profile
from harvester.index.query import SearchQuery
from harvester.index.sqlite.cluster_space import cluster_space
from harvester.index.sqlite.facets import FacetState


class ClusterCounter:
    """Counts clusters among the rows of one selection."""

    def __init__(self, state: FacetState, selection: BitMap) -> None:
        self.state, self.selection = state, selection
        self.space = cluster_space(state)
        rows = self.space.rows
        shared = selection & rows if rows else BitMap()
        self.places = self.space.places(shared)
        self._total = len(selection) - len(shared) + self.space.clusters(self.places)
        if self._total == len(selection):  # one row per cluster at most: counts are of rows
            self.places = BitMap()

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
        if not self.places:
            return counted
        shared = self.space.values.get(field, {})
        return [(value, self._of_clusters(count, shared.get(value))) for value, count in counted]

    def _of_clusters(self, count: int, places: BitMap | None) -> int:
        """A value's count of rows made a count of clusters."""
        if places is None:
            return count
        selected = places & self.places
        return count - len(selected) + self.space.clusters(selected) if selected else count


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
