"""The cluster space counts the clusters any set of shared rows touches, as a Python
count of distinct cluster ids does, for clusters of every size."""

from __future__ import annotations

import random

from pyroaring import BitMap

from harvester.index.dimensions import CLUSTER
from harvester.index.sqlite.cluster_space import cluster_space
from harvester.index.sqlite.facets import FacetState, RowFacts


def state_of(cluster_of: dict[int, str], colour_of: dict[int, str]) -> FacetState:
    state = FacetState()
    rows = [
        RowFacts(
            rowid=row,
            deleted=False,
            facets={CLUSTER: [cluster_of[row]], "colour": [colour_of[row]]},
            year=None,
            newest=0,
            boost=0,
            title_key=0,
            title_words=1,
            bbox=None,
        )
        for row in cluster_of
    ]
    state.apply(rows, 1, fresh=True)
    return state


def test_clusters_touched_by_any_rows_are_counted_once() -> None:
    rng = random.Random(5)
    rows = rng.sample(range(1, 5000), 600)  # row ids in no order of their clusters
    sizes = [1, 2, 2, 3, 5, 9]
    cluster_of: dict[int, str] = {}
    position = 0
    while position < len(rows):
        size = rng.choice(sizes)
        for row in rows[position : position + size]:
            cluster_of[row] = f"c{position}"
        position += size
    colour_of = {row: rng.choice(("red", "green", "blue")) for row in rows}
    state = state_of(cluster_of, colour_of)
    space = cluster_space(state)
    assert space is cluster_space(state)  # built once per state
    shared = {r for r in rows if sum(c == cluster_of[r] for c in cluster_of.values()) > 1}
    assert set(space.rows) == shared
    for _ in range(50):
        picked = BitMap(r for r in shared if rng.random() < 0.3)
        assert space.clusters(space.places(picked)) == len({cluster_of[r] for r in picked})
    for colour in ("red", "green", "blue"):
        of_colour = {r for r in shared if colour_of[r] == colour}
        clusters = len({cluster_of[r] for r in of_colour})
        kept = space.values["colour"].get(colour)  # kept when two rows of a cluster have it
        assert (space.clusters(kept) if kept is not None else len(of_colour)) == clusters
    assert CLUSTER not in space.values
    lone = state_of({1: "a", 2: "a", 3: "b", 4: "b"}, {1: "red", 2: "blue", 3: "red", 4: "red"})
    assert set(cluster_space(lone).values["colour"]) == {"red"}  # blue: one row per cluster


def test_without_clusters_of_several_nothing_is_shared() -> None:
    state = state_of({1: "a", 2: "b"}, {1: "red", 2: "red"})
    space = cluster_space(state)
    assert not space.rows and space.clusters(space.places(BitMap())) == 0
