"""Matching by meaning in the embedded index, and its fusion with matching by words.

The query's own words (:func:`~harvester.index.text.positive_text`) are encoded; the
records nearest to them, above the encoder's similarity floor, are the semantic matches:
within the filters for the hits (:data:`~harvester.index.fusion.SEMANTIC_DEPTH` of them),
and without them as well for the facet counts, so that a facet's counts do not shrink to
its own selection (as with words): both from one search of the ANN index. Excluded words
exclude records by meaning too.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass

from pyroaring import BitMap

from harvester.enrich.encoders import Encoder, Matrix
from harvester.index.fusion import LEXICAL_DEPTH, SEMANTIC_DEPTH, fuse
from harvester.index.sqlite.facets import FacetState
from harvester.index.sqlite.semantic import Near, VectorReader
from harvester.index.text import positive_text


@dataclass(frozen=True)
class Meaning:
    """The semantic matches of a query: ``near`` within the filters (best first), and the
    rows nearest without filters (for facet counts)."""

    near: list[Near]
    rows: BitMap
    unfiltered: BitMap

    @property
    def similarity(self) -> dict[int, Near]:
        """The matches by row id."""
        return {n.rowid: n for n in self.near}


class QueryVectors:
    """The encoder's vectors of recent query texts (paging and ticking filters repeat a
    text); holds none when sized 0."""

    def __init__(self, encoder: Encoder, size: int) -> None:
        """Keep the vectors of the ``size`` texts last encoded."""
        self.encoder = encoder
        self.size = size
        self._kept: OrderedDict[str, Matrix] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, text: str) -> Matrix:
        """The vector of a query text."""
        with self._lock:
            found = self._kept.get(text)
            if found is not None:
                self._kept.move_to_end(text)
                return found
        found = self.encoder.query(text)
        if self.size:
            with self._lock:
                self._kept[text] = found
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
        return found


def meaning(
    reader: VectorReader,
    encoder: QueryVectors,
    conn: sqlite3.Connection,
    generation: str,
    state: FacetState,
    text: str,
    allowed: BitMap,
    filtered: BitMap,
) -> Meaning | None:
    """The semantic matches of ``text`` among the ``allowed`` rows (live, no excluded
    word), ``filtered`` by the filters as well; None when the text has no words."""
    wanted = positive_text(text)
    if not wanted:
        return None
    vector = encoder.of(wanted)
    floor = encoder.encoder.floor
    within, wider = reader.neighbours(
        conn, generation, vector, filtered, allowed, len(state.live), SEMANTIC_DEPTH
    )
    near = [n for n in within if n.similarity >= floor]
    rows = BitMap(n.rowid for n in near)
    unfiltered = BitMap(n.rowid for n in wider if n.similarity >= floor) | rows
    return Meaning(near, rows, unfiltered)


def fused(lexical: list[int], found: Meaning, window: int) -> list[int]:
    """The first ``window`` rows: the words' first ranks and the nearest by meaning fused,
    then the rest of the words' order."""
    head = fuse(lexical[:LEXICAL_DEPTH], [n.rowid for n in found.near])
    if len(head) >= window:
        return head[:window]
    taken = set(head)
    return (head + [row for row in lexical[LEXICAL_DEPTH:] if row not in taken])[:window]
