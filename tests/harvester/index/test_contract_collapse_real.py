"""Both backends give the same collapsed results on real records: the EU-Citizen.Science,
JRC inventory and Zooniverse fixtures normalised by their crosswalks, clustered, and indexed
into SQLite and into Elasticsearch alike; every query compares the two backends' totals,
facet counts and hits, collapsed and not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harvester.bench.cluster_pairs import INVENTORIES, harvest_inventory
from harvester.core import paths
from harvester.enrich.clusters.runs import rebuild_clusters
from harvester.index.base import SearchIndex, SearchResult
from harvester.index.documents import title_sort_key
from harvester.index.query import build_query
from harvester.index.service import reindex
from harvester.index.sqlite import SqliteIndex
from harvester.store import Store
from tests.harvester.index.conftest import elastic_index
from tests.support.elastic_gaps import EsCluster
from tests.support.fixture_provider import SHARED_FIXTURES

SOURCES = ("eu_citizen_science", "jrc_citsci", "zooniverse")
QUERIES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("", ()),
    ("water", ()),
    ("sky", ()),
    ("observation", ()),
    ("plankton", ()),
    ("", (("country", "NL"),)),
    ("", (("country", "ES"),)),
    ("bird", (("country", "GB"),)),
)
FACETS = ("country", "platform", "source", "year")
PER_PAGE = 50
pytestmark = pytest.mark.skipif(SHARED_FIXTURES is None, reason="shared/fixtures is absent")


@pytest.fixture
def indexes(tmp_path: Path, es_cluster: EsCluster) -> Iterator[tuple[SearchIndex, SearchIndex]]:
    store = Store(f"sqlite:///{tmp_path}/store.sqlite3")
    for inventory in INVENTORIES:
        if inventory.key in SOURCES:
            harvest_inventory(store, inventory, paths.SHARED_FIXTURES_DIR)
    report = rebuild_clusters(store)
    assert report.clusters > 5  # the fixtures do list projects twice
    lite, elastic = SqliteIndex(tmp_path / "index"), elastic_index(es_cluster)
    reindex(store, lite)
    reindex(store, elastic)
    store.close()
    yield lite, elastic
    elastic.drop()
    elastic.close()
    lite.close()


Hit = tuple[str, object, list[str]]
Outcome = tuple[int, dict[str, list[tuple[str, int]]], list[Hit], list[str]]


def outcome(
    index: SearchIndex, text: str, pairs: tuple[tuple[str, str], ...], collapse: bool
) -> Outcome:
    """What a reader sees on every page: the total, facet counts, the hits with their
    clusters and listings, and the titles' sort keys in order (sorted by title: relevance
    scores differ between engines, and so does the order of listings with equal titles)."""
    hits: list[Hit] = []
    titles: list[str] = []
    page, first = 1, None
    while True:
        query = build_query(
            text, pairs, sort="title", page=page, per_page=PER_PAGE, collapse=collapse
        )
        found: SearchResult = index.search(query)
        first = first or found
        hits += [
            (
                h.id,
                h.summary.get("cluster_id"),
                sorted(x["id"] for x in h.summary.get("listings") or ()),
            )
            for h in found.hits
        ]
        titles += [title_sort_key(str(h.summary["title"])) for h in found.hits]
        if page * PER_PAGE >= found.total:
            break
        page += 1
    facets = {f: sorted((c.value, c.count) for c in first.facets[f]) for f in FACETS}
    return first.total, facets, sorted(hits), titles


@pytest.mark.parametrize("collapse", [True, False], ids=["collapsed", "every-listing"])
def test_both_backends_show_the_same_clusters(
    indexes: tuple[SearchIndex, SearchIndex], collapse: bool
) -> None:
    lite, elastic = indexes
    for text, pairs in QUERIES:
        expected = outcome(lite, text, pairs, collapse)
        assert expected[2], (text, pairs)  # every query finds something
        assert outcome(elastic, text, pairs, collapse) == expected, (text, pairs)


def test_collapsed_results_count_each_project_once(
    indexes: tuple[SearchIndex, SearchIndex],
) -> None:
    lite, _ = indexes
    collapsed, listed = outcome(lite, "", (), True), outcome(lite, "", (), False)
    assert collapsed[0] < listed[0] == 493
    shown = {listing for _, _, listings in collapsed[2] for listing in listings}
    assert not shown & {hit for hit, _, _ in collapsed[2]}  # a listing shows once
