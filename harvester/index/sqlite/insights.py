"""Insights from the facet bitmaps: each value's count is one intersection cardinality
with the selection (or, over every live row, the bitmap's own size: bitmaps hold live rows
only), so a whole answer costs a few hundred bitmap operations however large the index."""

from __future__ import annotations

from pyroaring import BitMap

from harvester.index.base import Insights
from harvester.index.insights import DIMENSIONS, FAIR_FIELDS, buckets, fair_profile
from harvester.index.query import SearchQuery
from harvester.index.sqlite.facets import FacetState


def count_insights(state: FacetState, selection: BitMap, query: SearchQuery) -> Insights:
    """The selection's insights (see :mod:`harvester.index.insights`)."""
    dimensions = {
        dimension: buckets(dimension, value_counts(state, dimension, selection), query)
        for dimension in DIMENSIONS
    }
    applies, passed = (dict(value_counts(state, name, selection)) for name in FAIR_FIELDS)
    return Insights(len(selection), dimensions, fair_profile(applies, passed), query)


def value_counts(state: FacetState, field: str, selection: BitMap) -> list[tuple[str, int]]:
    """How many rows of the selection carry each value of an index field."""
    by_value = state.values.get(field, {})
    if not selection:
        return []
    if selection is state.live:
        return [(value, len(bitmap)) for value, bitmap in by_value.items()]
    return [
        (value, bitmap.intersection_cardinality(selection)) for value, bitmap in by_value.items()
    ]
