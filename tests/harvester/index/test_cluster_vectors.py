"""A collapsed search finds a cluster by meaning as it finds it by words: the cluster's
document carries every listing's vectors, however they reach the index (a rebuild, the
embedding worker's sink, a clustering run rewriting the cluster), on both backends. The
vectors are the real encoder's (USE multilingual, from the test extra)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harvester.enrich.clusters.runs import rebuild_clusters
from harvester.enrich.encoders import Encoder, load_encoder
from harvester.enrich.vectors import drain
from harvester.index.base import SearchIndex
from harvester.index.cluster_vectors import cluster_vector_items, clusters_of
from harvester.index.collapse import cluster_document_id
from harvester.index.query import build_query
from harvester.index.service import index_clusters, reindex
from harvester.pipeline.clustering import cluster_changes
from harvester.pipeline.embedding import sink_of
from harvester.store import Store
from tests.harvester.enrich.clusters.records import dark_sky_eu, dark_sky_jrc, listing
from tests.harvester.enrich.clusters.test_runs import write

SKY_EU = dark_sky_eu(
    countries=["NL"],
    description="Citizens measure light pollution: how dark the night sky is, with a phone.",
)
SKY_JRC = dark_sky_jrc(
    countries=["NL"],
    description="Waarnemen van lichtvervuiling en de duisternis van de nachtelijke hemel.",
)
BEES = listing(
    "eucs",
    "7",
    "Garden pollinator watch",
    url="https://bees.example.org",
    countries=["BE"],
    description="Volunteers count the bees and hoverflies visiting their garden flowers.",
    score=60,
)
SKY_QUERY = "pollution lumineuse du ciel nocturne"  # French; the records are not
BEES_QUERY = "abeilles dans les fleurs du jardin"


@pytest.fixture
def encoder() -> Encoder:
    found = load_encoder("use")
    assert found is not None, "the test extra installs the multilingual encoder"
    return found


@pytest.fixture
def store(tmp_path: Path, encoder: Encoder) -> Store:
    """The three listings, the two sky listings clustered, every vector computed."""
    made = Store(f"sqlite:///{tmp_path}/store.sqlite3")
    write(made, SKY_EU, SKY_JRC, BEES)
    rebuild_clusters(made)
    assert clusters_of(made, [SKY_EU["id"]]) == clusters_of(made, [SKY_JRC["id"]]) != set()
    return made


def by_meaning(index: SearchIndex, text: str, collapse: bool = True) -> list[str]:
    """The ids of the hits of a search by meaning alone."""
    query = build_query(text, mode="semantic", collapse=collapse)
    return [hit.id for hit in index.search(query).hits]


def listed_with(index: SearchIndex, text: str) -> set[str]:
    """The other listings of the first hit by meaning, collapsed."""
    hits = index.search(build_query(text, mode="semantic")).hits
    assert hits, f"nothing found by meaning for {text!r}"
    return {str(x["id"]) for x in hits[0].summary.get("listings") or []}


def test_a_cluster_of_several_listings_is_found_by_meaning_after_a_rebuild(
    store: Store, encoder: Encoder, index_backend: SearchIndex
) -> None:
    drain(store, encoder)
    index_backend.encoder = encoder  # type: ignore[attr-defined]
    reindex(store, index_backend, encoder="use")
    collapsed = by_meaning(index_backend, SKY_QUERY)
    assert collapsed[0] == SKY_EU["id"]  # the cluster, shown as its representative
    assert SKY_JRC["id"] not in collapsed  # its other listing is not a hit of its own
    assert listed_with(index_backend, SKY_QUERY) == {SKY_JRC["id"]}
    every = by_meaning(index_backend, SKY_QUERY, collapse=False)
    assert {SKY_EU["id"], SKY_JRC["id"]} <= set(every[:2])


def test_vectors_computed_after_indexing_reach_the_cluster_document(
    store: Store, encoder: Encoder, index_backend: SearchIndex
) -> None:
    reindex(store, index_backend)  # words only: no vectors yet
    index_backend.encoder = encoder  # type: ignore[attr-defined]
    drain(store, encoder, sink_of(index_backend, store))  # the embedding worker's way
    assert by_meaning(index_backend, SKY_QUERY)[0] == SKY_EU["id"]
    assert by_meaning(index_backend, BEES_QUERY)[0] == BEES["id"]


def test_a_cluster_rewritten_by_clustering_keeps_its_vectors(
    store: Store, encoder: Encoder, index_backend: SearchIndex
) -> None:
    drain(store, encoder)
    index_backend.encoder = encoder  # type: ignore[attr-defined]
    reindex(store, index_backend, encoder="use")
    store.add_decision(SKY_JRC["id"], BEES["id"], True, "curator")
    assert cluster_changes(store, index_backend, [SKY_JRC["id"], BEES["id"]]) is not None
    joined = {SKY_JRC["id"], BEES["id"]}  # Dark Sky Meter's other listing is left alone:
    assert len(clusters_of(store, joined)) == 1  # it comes from the bees' own source
    found = by_meaning(index_backend, BEES_QUERY)
    assert found[0] in joined and not joined & set(found[1:])  # one hit: the new cluster
    assert listed_with(index_backend, BEES_QUERY) | {found[0]} == joined
    sky = by_meaning(index_backend, SKY_QUERY)[:2]  # the sky, alone, and the new cluster
    assert SKY_EU["id"] in sky and joined & set(sky)


def test_a_cluster_gets_every_listings_versions_and_none_without_vectors(
    store: Store, encoder: Encoder
) -> None:
    (cluster,) = clusters_of(store, [SKY_EU["id"]])
    assert cluster_vector_items(store, [cluster]) == []  # no listing has vectors yet
    drain(store, encoder)
    ((document_id, languages, matrix),) = cluster_vector_items(store, [cluster])
    assert document_id == cluster_document_id(cluster)
    kept = store.stored_vectors([SKY_EU["id"], SKY_JRC["id"]])
    assert len(languages) == matrix.shape[0] == sum(len(v.languages) for v in kept.values())
    assert matrix.shape[1] == encoder.dims
    assert clusters_of(store, [BEES["id"]]) == set()  # alone: no cluster document


def test_documents_a_clustering_run_writes_again_keep_their_vectors(
    store: Store, encoder: Encoder, index_backend: SearchIndex
) -> None:
    drain(store, encoder)
    index_backend.encoder = encoder  # type: ignore[attr-defined]
    reindex(store, index_backend)  # the store's encoder, by default
    everyone = [SKY_EU["id"], SKY_JRC["id"], BEES["id"]]
    assert index_clusters(store, index_backend, everyone, ()).indexed == 4  # 3 + 1 cluster
    assert by_meaning(index_backend, SKY_QUERY)[0] == SKY_EU["id"]
    assert by_meaning(index_backend, BEES_QUERY)[0] == BEES["id"]
    assert set(by_meaning(index_backend, SKY_QUERY, collapse=False)[:2]) == set(everyone[:2])
