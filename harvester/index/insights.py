"""Insights: a search's selection counted by dimension, by year, and by FAIR indicator.

One aggregation model, answered by every backend (:meth:`SearchIndex.insights
<harvester.index.base.SearchIndex.insights>`): the embedded index counts with its facet
bitmaps, Elasticsearch with aggregations. What is counted:

* **the selection is the search's**: the same text (by words and, where the search also
  matches by meaning, by meaning), filters, ranges and view (``collapse``) select the same
  documents;
* **the unit is a cluster** (one project listed on several platforms,
  :mod:`harvester.index.collapse`): it counts once, in the total and under each value any
  of its documents in the selection carries; a record alone in its cluster counts as
  itself. Collapsed (the default), the selection holds one document per cluster, so
  ``total`` is the search's total and a facet's counts are the search's for the same
  query; with ``collapse=false`` the listings are matched one by one and the documents of
  one cluster (the facet ``cluster``) count once;
* **a dimension** (:data:`DIMENSIONS`: every search facet and the year series) counts how
  many of the selection carry each value; a cluster with two countries counts once in each.
  For a facet the query does not filter, these are the search's facet counts. For a facet
  it filters, the selected values count as on the search page; the other values count
  the selected records that also carry them (the search page counts instead what adding
  the value would find). Values with no records are left out, selected ones kept; at most
  :data:`MAX_BUCKETS` per dimension, the most common first (ties by value), years in
  order;
* **the FAIR profile**: per FAIRsFAIR indicator, how many of the selection it applies to
  and how many of those passed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from harvester.index.base import FacetCount, FairCount
from harvester.index.dimensions import FAIR_APPLIES, FAIR_PASSED, YEAR_SERIES
from harvester.index.query import FACETS, SearchQuery

DIMENSIONS: tuple[str, ...] = FACETS + YEAR_SERIES
"""Every dimension insights count: the search facets, then the year series."""
TIMELINES: frozenset[str] = frozenset(("year", *YEAR_SERIES))
"""Dimensions whose values are years, listed in order rather than by count."""
MAX_BUCKETS = 500
"""Values listed per dimension at most (countries, sources, years: all fit)."""


def buckets(
    dimension: str, counted: Iterable[tuple[str, int]], query: SearchQuery
) -> list[FacetCount]:
    """A dimension's listed values: as :data:`DIMENSIONS` says, from ``(value, count)``."""
    chosen = query.selected(dimension) if dimension in FACETS else frozenset()
    found = {value: count for value, count in counted if count or value in chosen}
    found |= {value: 0 for value in chosen if value not in found}
    shown = sorted(found.items(), key=lambda item: (-item[1], item[0]))[:MAX_BUCKETS]
    if dimension in TIMELINES:
        shown.sort(key=lambda item: (_year_key(item[0]), item[0]))
    return [FacetCount(value, count, value in chosen) for value, count in shown]


def fair_profile(applies: Mapping[str, int], passed: Mapping[str, int]) -> list[FairCount]:
    """The FAIR profile from per-indicator counts, by indicator id."""
    return [
        FairCount(indicator, applies[indicator], min(passed.get(indicator, 0), applies[indicator]))
        for indicator in sorted(applies)
        if applies[indicator]
    ]


FAIR_FIELDS: tuple[str, str] = (FAIR_APPLIES, FAIR_PASSED)
"""The index fields the FAIR profile is counted from."""


def _year_key(value: str) -> int:
    return int(value) if value.isdigit() else 0
