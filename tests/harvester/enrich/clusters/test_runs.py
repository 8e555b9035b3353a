"""Clustering runs over a real store: from scratch, again (nothing changes), and only what
changed (a record leaves, joins, goes), with curators' decisions respected."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest

from harvester.enrich.clusters.runs import rebuild_clusters, update_clusters
from harvester.store import NormalisedRow, Store
from tests.harvester.enrich.clusters.records import dark_sky_eu, dark_sky_jrc, listing


def row(record: dict[str, Any], deleted: bool = False) -> NormalisedRow:
    document = json.dumps(record)
    provenance = record["provenance"]
    return NormalisedRow(
        provenance["source_id"],
        provenance["source_identifier"],
        record["id"],
        record["kind"],
        document,
        hashlib.sha256(document.encode()).hexdigest() if not deleted else "deleted",
        50,
        deleted,
    )


def write(store: Store, *records: dict[str, Any], deleted: bool = False) -> None:
    for record in records:
        store.write_normalised([row(record, deleted)])


SKY_EU = dark_sky_eu(countries=["NL"])
SKY_JRC = dark_sky_jrc(countries=["US"], start_date="2017")
SKY_PPSR = listing(
    "ppsr",
    "116",
    "Dark sky meter / Waarnemen",
    start_date="2017",
    description="Measuring the quality of the night sky with a phone app.",
    score=30,
)
SKY_JRC_TEXT = {**SKY_JRC, "description": SKY_PPSR["description"]}
WATER_EU = listing(
    "eucs", "13", "Fresh Water Watch", url="https://freshwaterwatch.thewaterhub.org/", score=70
)
WATER_JRC = listing(
    "jrc", "164", "FreshWater Watch", url="https://freshwaterwatch.thewaterhub.org/", score=50
)
HEDGEHOGS = listing("eucs", "9", "Hedgehog Street", url="https://hedgehogstreet.example.org")


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A store on SQLite, then on PostgreSQL."""
    opened = Store(database_url)
    write(opened, SKY_EU, SKY_JRC_TEXT, SKY_PPSR, WATER_EU, WATER_JRC, HEDGEHOGS)
    yield opened
    opened.close()


def clusters(store: Store) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for member in store.iter_members():
        found.setdefault(member.cluster_id, set()).add(member.record_id)
    return found


def cluster_of(store: Store, record: dict[str, Any]) -> str:
    return store.members_of([record["id"]])[record["id"]].cluster_id


def test_a_rebuild_clusters_every_record_and_keeps_the_evidence(store: Store) -> None:
    report = rebuild_clusters(store)
    groups = sorted(sorted(g) for g in clusters(store).values())
    assert groups == sorted(
        [
            sorted([SKY_EU["id"], SKY_JRC["id"], SKY_PPSR["id"]]),
            sorted([WATER_EU["id"], WATER_JRC["id"]]),
            [HEDGEHOGS["id"]],
        ]
    )
    assert (report.clusters, report.listings_in_clusters, report.formed) == (2, 5, 2)
    sky = cluster_of(store, SKY_EU)
    links = store.cluster_links_of(sky)
    assert links and all(link.refused is None for link in links)
    assert ("same landing page", 6.0, "darkskymeter.com") in links[0].signals
    members = store.cluster_members([sky])[sky]
    assert members[0].record_id == SKY_EU["id"] and members[0].representative  # richest


def test_clustering_again_changes_nothing(store: Store) -> None:
    rebuild_clusters(store)
    before = clusters(store)
    again = rebuild_clusters(store)
    assert clusters(store) == before
    assert (again.formed, again.dissolved, again.moved) == (0, 0, 0)
    assert not again.reindex and not again.dropped
    nothing = update_clusters(store)
    assert nothing.records == 0 and clusters(store) == before


def test_a_record_that_changes_leaves_and_the_cluster_keeps_its_id(store: Store) -> None:
    rebuild_clusters(store)
    sky = cluster_of(store, SKY_EU)
    moved = {
        **SKY_JRC_TEXT,
        "title": "Noise maps",
        "url": "https://noise.example.org",
        "description": "Volunteers map noise.",
    }
    write(store, moved)
    report = update_clusters(store)
    assert cluster_of(store, SKY_EU) == sky  # the richest listing stays, and the id with it
    assert cluster_of(store, SKY_JRC) != sky
    assert report.moved >= 1
    assert SKY_JRC["id"] in report.reindex and SKY_EU["id"] in report.reindex


def test_a_new_listing_joins_an_existing_cluster_under_its_id(store: Store) -> None:
    rebuild_clusters(store)
    water = cluster_of(store, WATER_EU)
    zoo = listing("zoo", "77", "FreshWater Watch", url="http://freshwaterwatch.thewaterhub.org")
    write(store, zoo)
    report = update_clusters(store)
    assert cluster_of(store, zoo) == water
    assert report.formed == 0 and zoo["id"] in report.reindex
    assert {WATER_EU["id"], WATER_JRC["id"]} <= report.reindex  # their "also listed on" grew


def test_a_deleted_listing_leaves_and_a_pair_dissolves(store: Store) -> None:
    rebuild_clusters(store)
    water = cluster_of(store, WATER_EU)
    write(store, WATER_JRC, deleted=True)
    report = update_clusters(store)
    assert WATER_JRC["id"] not in store.members_of([WATER_JRC["id"]])
    assert report.dissolved == 1 and water in report.dropped
    assert cluster_of(store, WATER_EU) == water  # what is left keeps the id


def test_curators_decisions_hold_in_every_later_run(store: Store) -> None:
    rebuild_clusters(store)
    store.add_decision(WATER_EU["id"], WATER_JRC["id"], False, "curator", "two projects")
    store.add_decision(HEDGEHOGS["id"], SKY_EU["id"], True, "curator", None)
    update_clusters(store, [WATER_EU["id"], WATER_JRC["id"], HEDGEHOGS["id"]])
    assert cluster_of(store, WATER_EU) != cluster_of(store, WATER_JRC)
    assert cluster_of(store, HEDGEHOGS) == cluster_of(store, SKY_EU)
    rebuild_clusters(store)
    assert cluster_of(store, WATER_EU) != cluster_of(store, WATER_JRC)
    assert cluster_of(store, HEDGEHOGS) == cluster_of(store, SKY_EU)
    log = store.decision_log()
    assert [(d.same, d.curator, d.note) for d in log] == [
        (False, "curator", "two projects"),
        (True, "curator", None),
    ]
    store.add_decision(WATER_JRC["id"], WATER_EU["id"], True, "curator", "after all")
    assert store.decisions()[tuple(sorted((WATER_EU["id"], WATER_JRC["id"])))] is True
    update_clusters(store, [WATER_EU["id"]])
    assert cluster_of(store, WATER_EU) == cluster_of(store, WATER_JRC)


def test_members_replace_keys_without_leaving_old_ones(store: Store) -> None:
    rebuild_clusters(store)
    renamed = {**HEDGEHOGS, "title": "Urban Foxes", "url": "https://foxes.example.org"}
    write(store, renamed)
    update_clusters(store)
    member = store.members_of([HEDGEHOGS["id"]])[HEDGEHOGS["id"]]
    holders = store.records_by_keys(member.keys, 40)
    assert all(HEDGEHOGS["id"] in found for found in holders.values())
    rebuild_clusters(store)  # the stored keys agree with a fresh count: nothing to write twice
    assert dataclasses.replace(store.members_of([HEDGEHOGS["id"]])[HEDGEHOGS["id"]]) == member
