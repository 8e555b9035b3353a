"""Insights on Elasticsearch: one ``size: 0`` request whose query is the search's whole
selection (text, bounding box and every facet filter) and whose aggregations count each
dimension and the FAIR indicators (see :mod:`harvester.index.insights`). Pure functions: a
request body, and the :class:`~harvester.index.base.Insights` read from the response.

Clusters count once: the selection and each bucket also count the documents that carry a
cluster and, with a ``cardinality`` aggregation, how many distinct clusters those are; a
count is the documents, less those with a cluster, plus their clusters. Documents without
a cluster (a record alone in its cluster; a collapsed search holds one document per
cluster) leave the plain count.
Elasticsearch's cardinality is exact below its precision threshold (:data:`EXACT_BELOW`
distinct clusters per bucket) and an estimate within a few per cent above it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harvester.index.base import Insights
from harvester.index.dimensions import CLUSTER
from harvester.index.elastic.query import Body, facet_filters, main_query
from harvester.index.insights import DIMENSIONS, FAIR_FIELDS, MAX_BUCKETS, buckets, fair_profile
from harvester.index.query import SearchQuery

FAIR_SIZE = 100  # indicators counted (FAIRsFAIR has 16)
EXACT_BELOW = 40_000  # the largest precision threshold Elasticsearch accepts
CLUSTERED = "clustered"


def insights_body(query: SearchQuery, *, stemming: bool = True, near: Body | None = None) -> Body:
    """The request that counts a query's selection: in the view the query asks for (the
    search's ``must_not``: listings of clusters when collapsed, cluster documents when
    not); ``near``: the kNN clause of a search by meaning too (its hybrid union, or the
    nearest records alone in semantic mode), as the search's total counts them."""
    filters = list(facet_filters(query).values())
    main = main_query(query, stemming=stemming)
    if near is not None:
        should = [near] if query.mode == "semantic" else [main, near]
        main = {"bool": {"should": should, "minimum_should_match": 1}}
    selection: Body = {"bool": {"must": [main]}}
    if filters:
        selection["bool"]["filter"] = filters
    aggs: Body = {name: _terms(name, MAX_BUCKETS) for name in DIMENSIONS}
    aggs |= {name: _terms(name, FAIR_SIZE) for name in FAIR_FIELDS}
    aggs[CLUSTERED] = _clustered()
    return {"query": selection, "aggs": aggs, "size": 0, "track_total_hits": True}


def _terms(field: str, size: int) -> Body:
    return {
        "terms": {
            "field": f"facets.{field}",
            "size": size,
            "order": [{"_count": "desc"}, {"_key": "asc"}],
        },
        "aggs": {CLUSTERED: _clustered()},
    }


def _clustered() -> Body:
    """The documents that carry a cluster, and how many distinct clusters they hold."""
    field = f"facets.{CLUSTER}"
    return {
        "filter": {"exists": {"field": field}},
        "aggs": {"clusters": {"cardinality": {"field": field, "precision_threshold": EXACT_BELOW}}},
    }


def _once_per_cluster(documents: int, found: Mapping[str, Any]) -> int:
    """A count of documents made a count of clusters, from a :func:`_clustered` answer."""
    clustered = found.get(CLUSTERED) or {}
    with_cluster = int(clustered.get("doc_count") or 0)
    if not with_cluster:
        return documents
    clusters = int((clustered.get("clusters") or {}).get("value") or 0)
    return documents - with_cluster + min(max(clusters, 1), with_cluster)


def insights_from_response(response: Mapping[str, Any], query: SearchQuery) -> Insights:
    """The :class:`Insights` of an :func:`insights_body` response."""
    total = response.get("hits", {}).get("total", {})
    count = int(total.get("value", 0)) if isinstance(total, Mapping) else int(total or 0)
    aggregations = response.get("aggregations", {})

    def counted(name: str) -> list[tuple[str, int]]:
        found = aggregations.get(name, {}).get("buckets", [])
        return [(str(b["key"]), _once_per_cluster(int(b["doc_count"]), b)) for b in found]

    dimensions = {name: buckets(name, counted(name), query) for name in DIMENSIONS}
    applies, passed = (dict(counted(name)) for name in FAIR_FIELDS)
    total = _once_per_cluster(count, aggregations)
    return Insights(total, dimensions, fair_profile(applies, passed), query, count)
