"""Feeding the index with clusters from a real store: a changed listing updates its
cluster's document at once, a deleted one leaves no duplicate behind, and a rebuild of the
index writes every cluster once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from harvester.enrich.clusters.runs import rebuild_clusters
from harvester.index.query import build_query
from harvester.index.service import apply_rows, reindex
from harvester.index.sqlite import SqliteIndex
from harvester.store import Store
from tests.harvester.enrich.clusters.records import dark_sky_eu, dark_sky_jrc, listing
from tests.harvester.enrich.clusters.test_runs import row, write

SKY_EU = dark_sky_eu()
SKY_JRC = dark_sky_jrc(score=50)
BIRDS = listing("eucs", "7", "Garden Birds", url="https://birds.example.org")


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[tuple[Store, SqliteIndex]]:
    store = Store(f"sqlite:///{tmp_path}/store.sqlite3")
    write(store, SKY_EU, SKY_JRC, BIRDS)
    rebuild_clusters(store)
    index = SqliteIndex(tmp_path / "index")
    yield store, index
    index.close()
    store.close()


def ids(index: SqliteIndex, text: str = "", collapse: bool = True) -> list[str]:
    return [h.id for h in index.search(build_query(text, collapse=collapse)).hits]


def test_a_rebuild_writes_each_cluster_once(stored: tuple[Store, SqliteIndex]) -> None:
    store, index = stored
    assert reindex(store, index) == 3  # records, not documents
    assert sorted(ids(index)) == sorted([SKY_EU["id"], BIRDS["id"]])
    assert sorted(ids(index, collapse=False)) == sorted([SKY_EU["id"], SKY_JRC["id"], BIRDS["id"]])


def test_a_changed_listing_updates_its_cluster_at_once(stored: tuple[Store, SqliteIndex]) -> None:
    store, index = stored
    reindex(store, index)
    changed = {**SKY_JRC, "description": "Zodiacal light is counted too."}
    write(store, changed)
    apply_rows(index, [row(changed)], store=store)
    assert ids(index, "zodiacal") == [SKY_EU["id"]]  # found through its cluster
    assert ids(index, "zodiacal", collapse=False) == [SKY_JRC["id"]]
    hit = index.search(build_query("zodiacal")).hits[0]
    assert [x["id"] for x in hit.summary["listings"]] == [SKY_JRC["id"]]


def test_a_deleted_listing_leaves_no_duplicate(stored: tuple[Store, SqliteIndex]) -> None:
    store, index = stored
    reindex(store, index)
    write(store, SKY_JRC, deleted=True)
    apply_rows(index, [row(SKY_JRC, deleted=True)], store=store)
    assert sorted(ids(index)) == sorted([SKY_EU["id"], BIRDS["id"]])
    assert sorted(ids(index, collapse=False)) == sorted([SKY_EU["id"], BIRDS["id"]])
    summary = index.search(build_query("dark")).hits[0].summary
    assert "listings" not in summary and json.dumps(summary)
