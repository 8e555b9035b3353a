"""The facet state of the live generation, as this process holds it: loaded from the
generation's snapshot, patched with the rows changed since (by the change sequence) and
swapped in; and the facet counts of browsing, cached per choice of filters.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from typing import NamedTuple

from pyroaring import BitMap

from harvester.index.base import FacetCount
from harvester.index.documents import title_rank
from harvester.index.query import SearchQuery
from harvester.index.sqlite.cache import Version, VersionedCache
from harvester.index.sqlite.facets import FacetState, RowFacts
from harvester.index.sqlite.generations import Generations
from harvester.index.sqlite.hybrid import Meaning
from harvester.index.sqlite.schema import SEQ

LOAD_CHUNK = 50_000
SNAPSHOT_AFTER = 20_000  # replaying more changes than this saves a new facet snapshot


class Selection(NamedTuple):
    """The rows a query selects, and what selected them (shared by search and insights)."""

    conn: sqlite3.Connection
    state: FacetState
    version: Version
    expression: str | None  # the text as an FTS5 expression (None: no words to rank by)
    browsing: bool  # no words: every live row matched
    every_match: int  # rows the words match in either view (what ranking sizes itself by)
    shown: BitMap  # the rows of the view (collapsed or not)
    filters: dict[str, BitMap]  # one bitmap per constrained facet
    lexical: BitMap  # the rows the words match in the view, narrowed by every filter
    found: Meaning | None  # the matches by meaning (None: by words only)
    mode: str  # how the rows were found: lexical, semantic or hybrid
    final: BitMap  # what the query selects: its total
    base: BitMap  # the matches before the filters (what facet counts start from)


class LiveState:
    """The facet state of the live generation, shared by this process's threads."""

    def __init__(self, generations: Generations) -> None:
        """Hold no state yet: the first search loads it."""
        self._generations = generations
        self._lock = threading.Lock()
        self.state: FacetState | None = None
        self._file: str | None = None

    def of(self, conn: sqlite3.Connection, current: str) -> FacetState:
        """The state of generation ``current`` (read through ``conn``), brought up to date.

        A change patches a copy that is then swapped in: searches still reading the old
        state in other threads never see it change under them.
        """
        with self._lock:
            seq = int(conn.execute(SEQ).fetchone()[0])
            if self.state is None or self._file != current:
                loaded = FacetState.load(self._generations.snapshot(current))
                self.state, self._file = loaded or FacetState(), current
            state = self.state
            if seq != state.seq:
                state = state.copy()
                replayed = 0
                for chunk in _changed_rows(conn, state.seq):
                    state.apply(chunk, state.seq)
                    replayed += len(chunk)
                state.seq = seq
                if replayed >= SNAPSHOT_AFTER:
                    state.save(self._generations.snapshot(current))
                self.state = state
            return state


def browse_counts(
    cache: VersionedCache,
    state: FacetState,
    filters: dict[str, BitMap],
    query: SearchQuery,
    version: Version,
    shown: BitMap,
) -> dict[str, list[FacetCount]]:
    """Facet counts over every record ``shown`` (the live ones of the view: collapsed or
    not), narrowed by the filters only: cached per choice of filters (few, and the
    costliest to count, as the sets are the largest)."""
    selection = tuple(sorted((name, tuple(sorted(v))) for name, v in query.filters.items()))
    key = ("browse-facets", selection, query.year_from, query.year_to, query.bbox, query.collapse)
    found: dict[str, list[FacetCount]] | None = cache.get(version, key)
    if found is None:
        found = state.counts(shown, filters, query)
        cache.put(version, key, found, 64 * sum(len(c) for c in found.values()))
    return {facet: list(counts) for facet, counts in found.items()}  # callers' own lists


def _changed_rows(conn: sqlite3.Connection, since: int) -> Iterator[list[RowFacts]]:
    """What the facet state keeps of the rows written after change ``since``, in chunks."""
    cursor = conn.execute(
        "SELECT rowid, deleted, facets, year, newest, boost, title_key, west, south, east, north "
        "FROM docs WHERE seq > ? ORDER BY seq",
        (since,),
    )
    while rows := cursor.fetchmany(LOAD_CHUNK):
        yield [
            RowFacts(
                rowid=int(r[0]),
                deleted=bool(r[1]),
                facets=json.loads(r[2]),
                year=r[3],
                newest=int(r[4]),
                boost=int(r[5]),
                title_key=title_rank(r[6]),
                title_words=r[6].count(" ") + 1,
                bbox=(r[7], r[8], r[9], r[10]) if r[7] is not None else None,
            )
            for r in rows
        ]
