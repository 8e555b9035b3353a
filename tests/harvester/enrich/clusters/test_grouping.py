"""From pairs to clusters: closure, checked against chaining, sources listed twice and
curators' decisions; ids that last and a representative that is the richest listing."""

from __future__ import annotations

from harvester.enrich.clusters.grouping import (
    MAX_SIZE,
    REFUSED_CHAIN,
    REFUSED_SAME_SOURCE,
    Edge,
    group,
    pair,
)
from harvester.enrich.clusters.identity import assign_ids, default_cluster_id, representative
from harvester.enrich.clusters.scoring import Score, Signal
from tests.harvester.enrich.clusters.records import features


def scored(points: float) -> Score:
    return Score((Signal("test", points),))


def test_strong_pairs_close_transitively() -> None:
    found = group(
        ["a", "b", "c", "d"],
        [Edge("a", "b", scored(10)), Edge("b", "c", scored(9))],
        {"a": "s1", "b": "s2", "c": "s3", "d": "s4"},
        lambda x, y: scored(9),
    )
    assert sorted(found.groups) == [["a", "b", "c"], ["d"]]
    assert all(link.refused is None for link in found.links)


def test_a_chain_through_one_record_is_refused() -> None:
    # b is like a and like c, but a and c have nothing in common: no cluster of three.
    lonely = {pair("a", "c"): scored(-5)}
    found = group(
        ["a", "b", "c"],
        [Edge("a", "b", scored(12)), Edge("b", "c", scored(9))],
        {"a": "s1", "b": "s2", "c": "s3"},
        lambda x, y: lonely.get(pair(x, y), scored(12)),
    )
    assert sorted(found.groups) == [["a", "b"], ["c"]]
    refused = [link for link in found.links if link.refused]
    assert len(refused) == 1 and refused[0].refused == REFUSED_CHAIN


def test_two_listings_of_one_source_need_their_own_pair() -> None:
    found = group(
        ["a", "b", "c"],
        [Edge("a", "b", scored(12)), Edge("b", "c", scored(12))],
        {"a": "jrc", "b": "eucs", "c": "jrc"},
        lambda x, y: scored(12),
    )
    assert sorted(found.groups) == [["a", "b"], ["c"]]
    assert found.links[-1].refused == REFUSED_SAME_SOURCE


def test_clusters_have_a_size_cap() -> None:
    ids = [f"r{n:02d}" for n in range(MAX_SIZE + 3)]
    edges = [Edge(ids[0], other, scored(20)) for other in ids[1:]]
    found = group(ids, edges, {r: r for r in ids}, lambda x, y: scored(20))
    assert max(len(g) for g in found.groups) == MAX_SIZE


def test_curators_decisions_win_over_scores() -> None:
    found = group(
        ["a", "b", "c", "d"],
        [Edge("a", "b", scored(15))],
        {"a": "s1", "b": "s2", "c": "s3", "d": "s4"},
        lambda x, y: scored(-10),
        {pair("a", "b"): False, pair("c", "d"): True},
    )
    assert sorted(found.groups) == [["a"], ["b"], ["c", "d"]]


def test_ids_last_while_most_members_stay() -> None:
    before = {"a": "cl-old", "b": "cl-old", "c": "cl-old"}
    after = assign_ids([["a", "b"], ["c"]], before)
    assert after["a"] == after["b"] == "cl-old"
    assert after["c"] == default_cluster_id("c")
    grown = assign_ids([["a", "b", "c", "d"]], {**before, "d": default_cluster_id("d")})
    assert set(grown.values()) == {"cl-old"}
    assert assign_ids([["x", "y"]], {}) == assign_ids([["x", "y"]], {})  # same input, same ids


def test_a_fresh_id_never_takes_one_in_use() -> None:
    # b's old cluster keeps its id (with c); a left it and would take its own default id,
    # which a cluster outside this pass holds: it gets the next one.
    taken = default_cluster_id("a")
    found = assign_ids([["b", "c"], ["a"]], {"b": "cl-bc", "c": "cl-bc"}, lambda cid: cid == taken)
    assert found["b"] == found["c"] == "cl-bc"
    assert found["a"] == default_cluster_id("a", 1)


def test_the_representative_is_the_richest_most_fair_listing() -> None:
    poor = features("jrc", "1", "Fresh Water Watch", score=30)
    rich = features("eucs", "2", "Fresh Water Watch", score=80, description="Tests of water.")
    tied = features("zoo", "3", "Fresh Water Watch", score=80)
    found = {f.record_id: f for f in (poor, rich, tied)}
    assert representative(list(found), found) == rich.record_id
