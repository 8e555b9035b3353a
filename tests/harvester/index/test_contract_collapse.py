"""The search contract for clusters: collapsed results count and show each project once,
``collapse=false`` lists every listing, on every backend alike."""

from __future__ import annotations

from typing import Any

import pytest

from harvester.index.base import SearchIndex, SearchResult
from harvester.index.collapse import cluster_document, listing_document
from harvester.index.documents import IndexDocument
from harvester.index.query import build_query
from tests.harvester.index.corpus import record, rid


def search(
    index: SearchIndex, text: str = "", *pairs: tuple[str, str], **options: Any
) -> SearchResult:
    return index.search(build_query(text, pairs, **{"per_page": 50, **options}))


def counts(result: SearchResult, facet: str) -> dict[str, int]:
    return {c.value: c.count for c in result.facets[facet]}


def listings() -> dict[str, dict[str, Any]]:
    """Seven listings of four projects: two clusters (three and two listings), two alone."""
    return {
        "sky-eu": record(
            "sky",
            "Dark Sky Meter",
            source="eucs",
            platform="EU-Citizen.Science",
            url="https://www.darkskymeter.com",
            description="Measure the darkness of the night sky with a phone.",
            countries=["NL"],
            topics=["1.5"],
            keywords=["light pollution"],
            start_date="2017",
            score=80,
        ),
        "sky-jrc": record(
            "116",
            "Dark sky meter / Waarnemen",
            source="jrc",
            platform="JRC inventory",
            url="http://www.darkskymeter.com/",
            description="App voor waarnemen van de nachtelijke hemel.",
            countries=["US"],
            start_date="2017",
            score=40,
        ),
        "water-eu": record(
            "13",
            "Fresh Water Watch",
            source="eucs",
            platform="EU-Citizen.Science",
            countries=["GB"],
            description="Citizens test freshwater quality.",
            start_date="2013",
            score=70,
        ),
        "water-jrc": record(
            "164",
            "FreshWater Watch",
            source="jrc",
            platform="JRC inventory",
            countries=["GB"],
            description="Water quality data from volunteers.",
            start_date="2013",
            score=50,
        ),
        "water-ppsr": record(
            "164",
            "FreshWater Watch",
            source="ppsr",
            platform="PPSR Core",
            description="Water quality data from volunteers.",
            start_date="2013",
            score=30,
        ),
        "hedgehogs": record(
            "hedgehogs", "Hedgehog Street", countries=["GB"], start_date="2011", score=60
        ),
        "plankton": record("plankton", "Plankton Portal", start_date="2013", score=55),
    }


def documents() -> list[IndexDocument]:
    """The index documents a harvest writes for :func:`listings` once clustered."""
    found = listings()
    sky = [found["sky-eu"], found["sky-jrc"]]
    water = [found["water-eu"], found["water-jrc"], found["water-ppsr"]]
    made: list[IndexDocument] = []
    for cluster_id, members in (("cl-sky", sky), ("cl-water", water)):
        for member in members:
            made.append(
                listing_document(member, cluster_id, [m for m in members if m is not member])
            )
        made.append(cluster_document(cluster_id, members[0], members[1:]))
    made.append(listing_document(found["hedgehogs"], "cl-hedgehogs"))
    made.append(listing_document(found["plankton"], "cl-plankton"))
    return made


@pytest.fixture
def clustered(index_backend: SearchIndex) -> SearchIndex:
    index_backend.upsert(documents())
    return index_backend


def test_collapsed_results_count_each_project_once(clustered: SearchIndex) -> None:
    collapsed = search(clustered)
    assert collapsed.total == 4
    assert len(collapsed.hits) == 4
    assert search(clustered, collapse=False).total == 7


def test_a_collapsed_hit_is_the_representative_with_its_other_listings(
    clustered: SearchIndex,
) -> None:
    hits = {h.id: h for h in search(clustered).hits}
    sky = hits[rid("sky", "eucs")]
    assert sky.summary["cluster_id"] == "cl-sky"
    assert [x["platform"] for x in sky.summary["listings"]] == ["JRC inventory"]
    assert sky.summary["listings"][0]["id"] == rid("116", "jrc")
    assert rid("116", "jrc") not in hits  # shown under the representative only
    water = hits[rid("13", "eucs")]
    assert {x["platform"] for x in water.summary["listings"]} == {"JRC inventory", "PPSR Core"}
    assert hits[rid("hedgehogs")].summary["cluster_id"] == "cl-hedgehogs"
    assert "listings" not in hits[rid("hedgehogs")].summary


def test_uncollapsed_results_list_every_listing_and_no_cluster(clustered: SearchIndex) -> None:
    ids = {h.id for h in search(clustered, collapse=False).hits}
    assert ids == {
        rid("sky", "eucs"),
        rid("116", "jrc"),
        rid("13", "eucs"),
        rid("164", "jrc"),
        rid("164", "ppsr"),
        rid("hedgehogs"),
        rid("plankton"),
    }


def test_facet_counts_count_clusters_when_collapsed(clustered: SearchIndex) -> None:
    collapsed, listed = search(clustered), search(clustered, collapse=False)
    assert counts(collapsed, "country") == {"GB": 2, "NL": 1, "US": 1}
    assert counts(listed, "country") == {"GB": 3, "NL": 1, "US": 1}
    assert counts(collapsed, "platform") == {
        "EU-Citizen.Science": 2,
        "JRC inventory": 2,
        "PPSR Core": 1,
        "testplatform": 2,
    }
    assert counts(collapsed, "year") == {"2017": 1, "2013": 2, "2011": 1}
    assert counts(listed, "year") == {"2017": 2, "2013": 4, "2011": 1}


def test_a_cluster_matches_words_of_any_listing(clustered: SearchIndex) -> None:
    found = search(clustered, "waarnemen")
    assert [h.id for h in found.hits] == [rid("sky", "eucs")]  # shown as its representative
    assert [h.id for h in search(clustered, "waarnemen", collapse=False).hits] == [
        rid("116", "jrc")
    ]
    assert search(clustered, "volunteers").total == 1
    assert search(clustered, "volunteers", collapse=False).total == 2


def test_filters_apply_to_the_cluster_as_a_whole(clustered: SearchIndex) -> None:
    pairs = (("country", "US"), ("topic", "1.5"))
    assert [h.id for h in search(clustered, "", *pairs).hits] == [rid("sky", "eucs")]
    assert search(clustered, "", *pairs, collapse=False).total == 0
    selected = search(clustered, "", ("country", "GB"))
    assert selected.total == 2
    assert counts(selected, "country") == {"GB": 2, "NL": 1, "US": 1}  # own facet not narrowed


def test_paging_and_sorting_stay_whole_clusters(clustered: SearchIndex) -> None:
    first = search(clustered, sort="title", per_page=2)
    assert first.total == 4
    titles = [h.summary["title"] for h in first.hits]
    assert titles == ["Dark Sky Meter", "Fresh Water Watch"]
    second = clustered.search(build_query("", (), sort="title", page=2, per_page=2))
    assert [h.summary["title"] for h in second.hits] == ["Hedgehog Street", "Plankton Portal"]


def test_suggestions_never_offer_a_cluster_document(clustered: SearchIndex) -> None:
    found = clustered.suggest("fresh")
    assert found
    assert all(not s.id.startswith("cluster:") for s in found)
