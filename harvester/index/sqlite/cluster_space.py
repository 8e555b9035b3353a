"""Clusters with several live rows, laid out so that counting them takes bitmaps only.

Each such cluster gets a block of consecutive *places*, one per row, its first row (lowest
row id) first: the row of rank ``r`` in a cluster starting at place ``p`` sits at ``p + r``.
Every facet value's shared rows are also kept as places, when two rows of one cluster
carry it (otherwise its count of rows is its count of clusters, in any selection). Then
how many clusters a set of places touches is the size of the union of its rank-0 places
and its rank-``r`` places shifted back by ``r``: a few bitmap operations per rank, however
many rows.

The rows are the listings of clusters of several (:mod:`harvester.index.collapse`); a
cluster's own document is left out: no view shows it beside its listings, so it is always
one row for one cluster (a collapsed search counts plain rows without touching the space).

Built once per facet state (a state never changes once searched) when the index holds
clusters of several rows, and only then; the cost is one pass over those rows' values.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pyroaring import BitMap

from harvester.index.collapse import CLUSTER as CLUSTER_VIEW
from harvester.index.collapse import VIEW
from harvester.index.dimensions import CLUSTER
from harvester.index.sqlite.facets import FacetState, bitmap_of


@dataclass(frozen=True)
class ClusterSpace:
    """Where each shared row sits, and each facet value's shared rows as places."""

    rows: BitMap  # the live rows of clusters with several live rows
    place_of: npt.NDArray[np.uint32]  # by row id; meaningful for ``rows`` only
    ranks: tuple[BitMap, ...]  # the places of rank 0, 1, ...
    values: dict[str, dict[str, BitMap]]
    """Field -> value -> the places of its shared rows, for values that two rows of one
    cluster carry (other values count clusters as rows in any selection)."""

    def places(self, rows: BitMap) -> BitMap:
        """The places of some shared rows."""
        return _places(rows, self.place_of)

    def clusters(self, places: BitMap) -> int:
        """How many clusters some places touch."""
        if not places:
            return 0
        firsts = places & self.ranks[0]
        others = [
            found.shift(-rank)
            for rank, of_rank in enumerate(self.ranks[1:], start=1)
            if (found := places & of_rank)
        ]
        if len(others) <= 1:  # clusters of two: no union built
            return firsts.union_cardinality(others[0]) if others else len(firsts)
        return len(BitMap.union(firsts, *others))


_BUILT: weakref.WeakKeyDictionary[FacetState, ClusterSpace] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def cluster_space(state: FacetState) -> ClusterSpace:
    """The state's cluster space (built on first use)."""
    with _LOCK:
        found = _BUILT.get(state)
    if found is None:
        found = _build(state)
        with _LOCK:
            _BUILT[state] = found
    return found


def _build(state: FacetState) -> ClusterSpace:
    own = state.values.get(VIEW, {}).get(CLUSTER_VIEW) or BitMap()  # clusters' documents
    listed = (bitmap - own for bitmap in state.values.get(CLUSTER, {}).values())
    several = [bitmap for bitmap in listed if len(bitmap) > 1]
    if not several:
        return ClusterSpace(BitMap(), np.zeros(0, dtype=np.uint32), (BitMap(),), {})
    rows = BitMap.union(BitMap(), *several)
    sizes = np.fromiter((len(b) for b in several), dtype=np.int64, count=len(several))
    members = np.fromiter(
        itertools.chain.from_iterable(several), dtype=np.uint32, count=int(sizes.sum())
    )
    places = np.arange(len(members), dtype=np.uint32)  # members ascending: first first
    place_of = np.zeros(int(rows.max()) + 1, dtype=np.uint32)
    place_of[members] = places
    rank = places - np.repeat(np.cumsum(sizes) - sizes, sizes)
    by_rank = tuple(bitmap_of(places[rank == r]) for r in range(int(sizes.max())))
    space = ClusterSpace(rows, place_of, by_rank, {})
    for field, by_value in state.values.items():
        if field == CLUSTER:
            continue
        kept = space.values.setdefault(field, {})
        for value, bitmap in by_value.items():
            shared = _places(bitmap & rows, place_of)
            if space.clusters(shared) < len(shared):  # else no two rows of a cluster have it
                kept[value] = shared
    return space


def _places(rows: BitMap, place_of: npt.NDArray[np.uint32]) -> BitMap:
    if not rows:
        return BitMap()
    return bitmap_of(place_of[np.frombuffer(rows.to_array(), dtype=np.uint32)])
