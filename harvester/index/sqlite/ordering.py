"""Sorting a set of rows without scoring it: by date, by title length or richness, by title.

A sort key packs everything a sort compares into one 64-bit number per row (row id in
the low bits, so keys are unique and the row id comes back out of them); the first rows
are then a partial sort of those numbers. For large sets, the order of every live row by
a key is kept in the cache and read in chunks until the page is full.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from pyroaring import BitMap

from harvester.index.sqlite.cache import Version, VersionedCache
from harvester.index.sqlite.facets import FacetState

DAY_LIMIT = 1 << 20  # days since year 1 fit in 20 bits until the year 2870
ROWID_MASK = (1 << 31) - 1
TITLE_SORT_REFINE = 2_000
ORDER_FROM = 4_096  # sets this large take their first rows from a cached order of all rows
ORDER_CHUNK = 4_096

SortKey = Callable[[FacetState, npt.NDArray[np.int64]], npt.NDArray[np.int64]]


def as_array(bitmap: BitMap) -> npt.NDArray[np.int64]:
    """The row ids of a bitmap, ascending, as a NumPy array."""
    return np.frombuffer(bitmap.to_array(), dtype=np.uint32).astype(np.int64)


def newest_first(state: FacetState, rowids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """One sortable number per row: latest date first, then richer record, then row id."""
    newest = np.clip(state.newest[rowids], 0, DAY_LIMIT - 1)
    boost = np.clip(state.boost[rowids], 0, 127).astype(np.int64)
    return ((DAY_LIMIT - 1 - newest) << 38) | ((127 - boost) << 31) | rowids


def shortest_title_first(state: FacetState, rowids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """One sortable number per row: fewer title words first (as BM25 favours a match in a
    short title), then richer record, then row id."""
    words = np.clip(state.title_words[rowids], 0, 255).astype(np.int64)
    boost = np.clip(state.boost[rowids], 0, 127).astype(np.int64)
    return (words << 38) | ((127 - boost) << 31) | rowids


def richest_first(state: FacetState, rowids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """One sortable number per row: richer record first, then latest date, then row id."""
    newest = np.clip(state.newest[rowids], 0, DAY_LIMIT - 1)
    boost = np.clip(state.boost[rowids], 0, 127).astype(np.int64)
    return ((127 - boost) << 51) | ((DAY_LIMIT - 1 - newest) << 31) | rowids


def top(bitmap: BitMap, key: SortKey, state: FacetState, limit: int) -> list[int]:
    """The first ``limit`` row ids of ``bitmap`` by a composite key (unique per row)."""
    if limit <= 0 or not bitmap:
        return []
    rowids = as_array(bitmap)
    keys = key(state, rowids)
    if len(keys) > limit:
        keys = keys[np.argpartition(keys, limit - 1)[:limit]]
    return [int(k) & ROWID_MASK for k in np.sort(keys)]


class Orders:
    """The first rows of a set by a sort key, from cached orders of every live row."""

    def __init__(self, cache: VersionedCache) -> None:
        """Keep orders of all rows in ``cache`` (when it is enabled)."""
        self.cache = cache

    def top(
        self, bitmap: BitMap, key: SortKey, state: FacetState, limit: int, version: Version
    ) -> list[int]:
        """:func:`top`; for a large set, its first rows in the order of every live row by
        ``key`` (cached), read in chunks until ``limit`` rows of the set are found."""
        if not self.cache.enabled or len(bitmap) < ORDER_FROM or limit <= 0:
            return top(bitmap, key, state, limit)
        cache_key = ("order", key.__name__)
        order: npt.NDArray[np.int64] | None = self.cache.get(version, cache_key)
        if order is None:
            rowids = as_array(state.live)
            order = rowids[np.argsort(key(state, rowids))]
            self.cache.put(version, cache_key, order, order.nbytes + 64)
        wanted = np.zeros(len(state.newest), dtype=bool)
        wanted[as_array(bitmap)] = True
        found: list[int] = []
        for start in range(0, len(order), ORDER_CHUNK):
            chunk = order[start : start + ORDER_CHUNK]
            found += chunk[wanted[chunk]][: limit - len(found)].tolist()
            if len(found) >= limit:
                break
        return found


def by_title(conn: sqlite3.Connection, final: BitMap, state: FacetState, window: int) -> list[int]:
    """The first ``window`` row ids of ``final`` by title: by the first eight bytes of
    their sort keys in memory, then (when few rows tie there) exactly, by SQLite."""
    rowids = as_array(final)
    keys = state.title_key[rowids]
    if len(rowids) > window:
        boundary = np.partition(keys, window - 1)[window - 1]
        rowids, keys = rowids[keys <= boundary], keys[keys <= boundary]
    if len(rowids) > TITLE_SORT_REFINE:  # many titles share their first eight bytes
        return [int(r) for r in rowids[np.lexsort([rowids, keys])][:window]]
    rows = conn.execute(
        "SELECT rowid FROM docs WHERE rowid IN (SELECT value FROM json_each(?)) "
        "ORDER BY title_key, rowid",
        (json.dumps([int(r) for r in rowids]),),
    )
    return [int(r[0]) for r in rows][:window]
