"""The kNN clauses sent to Elasticsearch: pure request bodies, checked without a cluster."""

from __future__ import annotations

from harvester.index.collapse import CLUSTER, LISTING
from harvester.index.elastic.semantic import knn_query
from harvester.index.query import build_query


def _left_out(collapse: bool) -> list[dict[str, object]]:
    query = build_query("bees", [("country", "DE")], collapse=collapse)
    filters = knn_query([0.0, 1.0], query, 0.5)["knn"]["filter"]
    return [f["bool"]["must_not"][0] for f in filters if "bool" in f and "must_not" in f["bool"]]


def test_a_collapsed_search_by_meaning_leaves_out_the_listings_its_clusters_stand_for() -> None:
    assert {"term": {"view": LISTING}} in _left_out(True)


def test_every_listing_by_meaning_leaves_out_the_clusters_own_documents() -> None:
    assert {"term": {"view": CLUSTER}} in _left_out(False)
