"""Insights count each cluster once, on every backend, in both views of the search: the
index holds the documents clusters make (:mod:`harvester.index.collapse`: each listing, and
a cluster document for each cluster of several); collapsed (the default), a cluster is its
one document and insights count what the search counts; with ``collapse=false`` the
listings are matched one by one and a cluster still counts once, in the total and under
each value any matching listing carries."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from harvester.index.base import SearchIndex
from harvester.index.collapse import (
    LISTING,
    VIEW,
    cluster_document,
    cluster_document_id,
    listing_document,
    with_cluster,
)
from harvester.index.dimensions import CLUSTER, FAIR_APPLIES, FAIR_PASSED
from harvester.index.documents import IndexDocument, document_from_record
from harvester.index.insights import DIMENSIONS
from harvester.index.query import FACETS, build_query
from tests.harvester.index.insights_corpus import records

CLUSTERS = {
    "air-es": "cl-air",  # one project listed in Spain and in Portugal
    "air-pt": "cl-air",
    "litter-gr": "cl-air",  # a third listing
    "birds-de": "cl-birds",  # a project and its dataset, linked by the same cluster
    "birds-de-data": "cl-birds",
}
QUERIES: list[tuple[str, tuple[tuple[str, str], ...]]] = [
    ("", ()),
    ("air", ()),
    ("", (("country", "ES"),)),
    ("", (("country", "PT"),)),
    ("", (("country", "GR"),)),
    ("", (("country", "GR"), ("country", "PT"))),
    ("", (("country", "ES"), ("sdg", "14"))),  # across listings: only collapsed
    ("", (("sdg", "3"),)),
    ("", (("kind", "project"),)),
    ("", (("year_from", "2010"), ("year_to", "2016"))),
    ("birds OR counts", ()),
    ("nothing-matches-this", ()),
]


def documents() -> list[IndexDocument]:
    """The corpus as the index holds it with its clusters (as :mod:`cluster_feed` writes)."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    made = []
    for record in records():
        cluster_id = CLUSTERS.get(record["provenance"]["source_identifier"])
        if cluster_id is None:
            made.append(with_cluster(document_from_record(record), f"cl-{record['id']}"))
        else:
            grouped[cluster_id].append(record)
    for cluster_id, listed in grouped.items():
        for record in listed:
            others = [o for o in listed if o is not record]
            made.append(listing_document(record, cluster_id, others))
        made.append(cluster_document(cluster_id, listed[0], listed[1:]))
    return made


@pytest.fixture
def clustered_index(index_backend: SearchIndex) -> SearchIndex:
    index_backend.upsert(documents())
    return index_backend


def cluster_oracle(ids: set[str], collapse: bool) -> tuple[int, dict[str, dict[str, int]]]:
    """Distinct clusters among the documents of these hits, in total and per value of each
    field (collapsed, a cluster's hit is its representative's id: its document is the
    cluster's)."""
    by_id = {d.id: d for d in documents()}
    if collapse:
        by_id |= {
            d.id: by_id[cluster_document_id(d.facets[CLUSTER][0])]
            for d in documents()
            if d.facets.get(VIEW) == (LISTING,)
        }
    cluster_of = {i: (by_id[i].facets.get(CLUSTER) or (i,))[0] for i in ids}
    per_value: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for document_id in ids:
        for name, values in by_id[document_id].facets.items():
            for value in values:
                per_value[name][value].add(cluster_of[document_id])
    counted = {n: {v: len(c) for v, c in by.items()} for n, by in per_value.items()}
    return len(set(cluster_of.values())), counted


def test_clusters_of_several_carry_their_id_and_clusters_of_one_none() -> None:
    made = documents()
    carrying = [d for d in made if CLUSTER in d.facets]
    assert len(carrying) == len(CLUSTERS) + 2  # every listing, and two cluster documents
    assert {d.facets[CLUSTER] for d in carrying} == {("cl-air",), ("cl-birds",)}
    assert all(VIEW in d.facets for d in carrying)
    assert len(made) - len(carrying) == len(records()) - len(CLUSTERS)


@pytest.mark.parametrize("collapse", [True, False], ids=["collapsed", "every-listing"])
@pytest.mark.parametrize(("text", "pairs"), QUERIES)
def test_each_cluster_counts_once(
    clustered_index: SearchIndex, text: str, pairs: tuple[tuple[str, str], ...], collapse: bool
) -> None:
    query = build_query(text, pairs, per_page=100, collapse=collapse)
    result, insights = clustered_index.search(query), clustered_index.insights(query)
    ids = {hit.id for hit in result.hits}
    assert len(ids) == result.total == insights.records
    total, expected = cluster_oracle(ids, collapse)
    assert insights.total == total
    if collapse:  # one document per cluster: the search's own total
        assert insights.total == result.total
    for dimension in DIMENSIONS:
        counted = {c.value: c.count for c in insights.dimensions[dimension] if c.count}
        assert counted == expected.get(dimension, {}), dimension
    fair = {f.indicator: (f.applicable, f.passed) for f in insights.fair}
    applies, passed = expected.get(FAIR_APPLIES, {}), expected.get(FAIR_PASSED, {})
    assert fair == {i: (n, min(passed.get(i, 0), n)) for i, n in applies.items()}


@pytest.mark.parametrize(("text", "pairs"), QUERIES)
def test_collapsed_counts_are_the_search_facet_counts(
    clustered_index: SearchIndex, text: str, pairs: tuple[tuple[str, str], ...]
) -> None:
    query = build_query(text, pairs, per_page=1)
    result, insights = clustered_index.search(query), clustered_index.insights(query)
    assert insights.total == result.total
    chosen = {"year" if name.startswith("year_") else name for name, _value in pairs}
    for facet in FACETS:
        if facet in DIMENSIONS and facet not in chosen:  # a filtered facet counts its others
            searched = {c.value: c.count for c in result.facets[facet] if c.count}
            counted = {c.value: c.count for c in insights.dimensions[facet] if c.count}
            assert counted == searched, facet


def test_a_project_on_three_platforms_counts_once_under_each_country_named(
    clustered_index: SearchIndex,
) -> None:
    collapsed = clustered_index.insights(build_query("", [("country", "ES")]))
    assert (collapsed.total, collapsed.records) == (1, 1)  # the cluster, as one document
    countries = {c.value: c.count for c in collapsed.dimensions["country"] if c.count}
    assert countries == {"ES": 1, "PT": 1, "GR": 1, "CY": 1}  # what any listing names
    listed = clustered_index.insights(build_query("", [("country", "ES")], collapse=False))
    assert (listed.total, listed.records) == (1, 2)  # the two listings naming Spain
    countries = {c.value: c.count for c in listed.dimensions["country"] if c.count}
    assert countries == {"ES": 1, "PT": 1}  # what those two name
    everything = clustered_index.insights(build_query("", [], collapse=False))
    assert everything.records - everything.total == len(CLUSTERS) - 2


def test_without_clusters_records_count_as_the_search_counts(
    index_backend: SearchIndex,
) -> None:
    index_backend.upsert(document_from_record(r) for r in records())
    query = build_query("", ())
    result, insights = index_backend.search(query), index_backend.insights(query)
    assert insights.total == insights.records == result.total
