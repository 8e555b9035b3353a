"""Insights on Elasticsearch: one ``size: 0`` request whose query is the search's whole
selection (text, bounding box and every facet filter) and whose aggregations count each
dimension and the FAIR indicators (see :mod:`harvester.index.insights`). Pure functions: a
request body, and the :class:`~harvester.index.base.Insights` read from the response."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harvester.index.base import Insights
from harvester.index.elastic.query import Body, facet_filters, main_query
from harvester.index.insights import DIMENSIONS, FAIR_FIELDS, MAX_BUCKETS, buckets, fair_profile
from harvester.index.query import SearchQuery

FAIR_SIZE = 100  # indicators counted (FAIRsFAIR has 16)


def insights_body(query: SearchQuery, *, stemming: bool = False) -> Body:
    """The request that counts a query's selection."""
    filters = list(facet_filters(query).values())
    selection: Body = {"bool": {"must": [main_query(query, stemming=stemming)]}}
    if filters:
        selection["bool"]["filter"] = filters
    aggs: Body = {name: _terms(name, MAX_BUCKETS) for name in DIMENSIONS}
    aggs |= {name: _terms(name, FAIR_SIZE) for name in FAIR_FIELDS}
    return {"query": selection, "aggs": aggs, "size": 0, "track_total_hits": True}


def _terms(field: str, size: int) -> Body:
    return {
        "terms": {
            "field": f"facets.{field}",
            "size": size,
            "order": [{"_count": "desc"}, {"_key": "asc"}],
        }
    }


def insights_from_response(response: Mapping[str, Any], query: SearchQuery) -> Insights:
    """The :class:`Insights` of an :func:`insights_body` response."""
    total = response.get("hits", {}).get("total", {})
    count = int(total.get("value", 0)) if isinstance(total, Mapping) else int(total or 0)
    aggregations = response.get("aggregations", {})

    def counted(name: str) -> list[tuple[str, int]]:
        found = aggregations.get(name, {}).get("buckets", [])
        return [(str(b["key"]), int(b["doc_count"])) for b in found]

    dimensions = {name: buckets(name, counted(name), query) for name in DIMENSIONS}
    applies, passed = (dict(counted(name)) for name in FAIR_FIELDS)
    return Insights(count, dimensions, fair_profile(applies, passed), query)
