"""Insights count each cluster once, on every backend: records sharing a ``cluster_id``
count once in the total and under each value any of them carries; a record without one
counts as its own cluster; the search finds the same records."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from harvester.index.base import SearchIndex
from harvester.index.dimensions import FAIR_APPLIES, FAIR_PASSED
from harvester.index.documents import IndexDocument, document_from_record
from harvester.index.insights import DIMENSIONS
from harvester.index.query import build_query
from tests.harvester.index.insights_corpus import records

CLUSTERS = {
    "air-es": "cl-air",  # one project listed in Spain and in Portugal
    "air-pt": "cl-air",
    "litter-gr": "cl-air",  # a third listing: counted without the cluster's other rows
    "birds-de": "cl-birds",  # a project and its dataset, linked by the same cluster
    "birds-de-data": "cl-birds",
    "noise-it": "cl-noise",  # a cluster of one: counts as one
}
QUERIES: list[tuple[str, tuple[tuple[str, str], ...]]] = [
    ("", ()),
    ("air", ()),
    ("", (("country", "ES"),)),
    ("", (("country", "PT"),)),
    ("", (("country", "GR"),)),
    ("", (("country", "GR"), ("country", "PT"))),
    ("", (("sdg", "3"),)),
    ("", (("kind", "project"),)),
    ("", (("year_from", "2010"), ("year_to", "2016"))),
    ("birds OR counts", ()),
    ("nothing-matches-this", ()),
]


def clustered_records() -> list[dict[str, Any]]:
    """The insights corpus, some records in clusters."""
    found = records()
    for record in found:
        record["cluster_id"] = CLUSTERS.get(record["provenance"]["source_identifier"])
    return found


def documents() -> list[IndexDocument]:
    return [document_from_record(r) for r in clustered_records()]


@pytest.fixture
def clustered_index(index_backend: SearchIndex) -> SearchIndex:
    index_backend.upsert(documents())
    return index_backend


def cluster_oracle(ids: set[str]) -> tuple[int, dict[str, dict[str, int]]]:
    """Distinct clusters among these records, in total and per value of each field."""
    cluster_of = {r["id"]: r.get("cluster_id") or r["id"] for r in clustered_records()}
    per_value: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for document in documents():
        if document.id in ids:
            for name, values in document.facets.items():
                for value in values:
                    per_value[name][value].add(cluster_of[document.id])
    counted = {n: {v: len(c) for v, c in by.items()} for n, by in per_value.items()}
    return len({cluster_of[i] for i in ids}), counted


def test_the_corpus_has_clusters_of_several_and_of_one() -> None:
    shared = [r["cluster_id"] for r in clustered_records() if r["cluster_id"]]
    assert len(shared) == len(CLUSTERS) and len(set(shared)) == 3


@pytest.mark.parametrize(("text", "pairs"), QUERIES)
def test_each_cluster_counts_once(
    clustered_index: SearchIndex, text: str, pairs: tuple[tuple[str, str], ...]
) -> None:
    query = build_query(text, pairs, per_page=100)
    result, insights = clustered_index.search(query), clustered_index.insights(query)
    ids = {hit.id for hit in result.hits}
    assert len(ids) == result.total == insights.records
    total, expected = cluster_oracle(ids)
    assert insights.total == total
    for dimension in DIMENSIONS:
        counted = {c.value: c.count for c in insights.dimensions[dimension] if c.count}
        assert counted == expected.get(dimension, {}), dimension
    fair = {f.indicator: (f.applicable, f.passed) for f in insights.fair}
    applies, passed = expected.get(FAIR_APPLIES, {}), expected.get(FAIR_PASSED, {})
    assert fair == {i: (n, min(passed.get(i, 0), n)) for i, n in applies.items()}


def test_a_listing_on_two_platforms_counts_once_under_a_country_both_name(
    clustered_index: SearchIndex,
) -> None:
    insights = clustered_index.insights(build_query("", [("country", "ES")]))
    assert insights.records == 2 and insights.total == 1
    assert {c.value: c.count for c in insights.dimensions["country"]} == {"ES": 1, "PT": 1}


def test_without_clusters_records_count_as_the_search_counts(
    index_backend: SearchIndex,
) -> None:
    index_backend.upsert(document_from_record(r) for r in records())
    query = build_query("", ())
    result, insights = index_backend.search(query), index_backend.insights(query)
    assert insights.total == insights.records == result.total
