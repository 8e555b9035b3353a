"""Nearest records by meaning in the live generation: what one process holds of its
vectors (the published ANN snapshot, memory-mapped; the vectors written since, in memory)
and the search over them.

A search among few candidate rows (the filters chosen leave at most :data:`EXACT_MAX`)
compares every one of their vectors exactly, read from the snapshot where it holds them
(no query reads vectors from SQLite); among more, where the filters are selective enough
that the ANN graph would have to be asked for thousands of neighbours, the candidates'
signs are compared with the query's (the snapshot's sketch,
:mod:`~harvester.index.sqlite.vector_signs`) and the closest compared exactly; otherwise
the ANN index is asked for more neighbours than wanted, as many more as the filters are
selective, and those outside the candidates dropped; the same neighbours give the nearest
rows without the filters (for facet counts). Vectors written after the snapshot are
always compared exactly, and a row's snapshot vectors are ignored once it has newer ones.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from pyroaring import BitMap
from usearch.index import Index

from harvester.index.sqlite.facets import bitmap_of
from harvester.index.sqlite.ordering import as_array
from harvester.index.sqlite.vector_keys import KEY_BITS, MAX_VERSIONS, Keys
from harvester.index.sqlite.vector_signs import RESCORE, Sketch, load_sketch
from harvester.index.sqlite.vectors import Pointer, read_pointer, rows_since, vseq

EXACT_MAX = 2_000  # candidate rows compared exactly rather than through the ANN index
MAX_NEIGHBOURS = 4_096  # neighbours asked of the ANN index at most
SCAN_PER_NEIGHBOUR = 50  # candidates whose signs are compared rather than one more neighbour
SCALE = 127.0

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Near:
    """A row, its best similarity (cosine) and which of its versions had it."""

    rowid: int
    similarity: float
    version: int


@dataclass
class _Held:
    generation: str
    pointer: Pointer | None
    ann: Index | None
    sketch: Sketch | None
    seq: int = 0
    delta: dict[int, npt.NDArray[np.int8]] = field(default_factory=dict)
    rows: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    versions: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    matrix: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros((0, 0), np.float32))


class VectorReader:
    """The live generation's vectors as this process holds them, shared by its threads."""

    def __init__(self, folder: Path) -> None:
        """Hold nothing yet: the first semantic search loads the snapshot."""
        self.folder = folder
        self._lock = threading.Lock()
        self._held: _Held | None = None

    def available(self, conn: sqlite3.Connection) -> bool:
        """True when the generation read through ``conn`` has vectors."""
        return vseq(conn) > 0

    def _state(self, conn: sqlite3.Connection, generation: str) -> _Held | None:
        seq = vseq(conn)
        if seq == 0:
            return None
        pointer = read_pointer(self.folder, generation)
        with self._lock:
            held = self._held
            if held is None or held.generation != generation or held.pointer != pointer:
                ann, sketch = None, None
                if pointer is not None and (self.folder / pointer.file).exists():
                    ann = Index.restore(str(self.folder / pointer.file), view=True)
                    sketch = load_sketch(self.folder, pointer.file)
                base = pointer.seq if ann is not None and pointer is not None else 0
                held = _Held(generation, pointer if ann is not None else None, ann, sketch, base)
            if seq != held.seq:
                held = _with_delta(held, conn, seq)
            self._held = held
            return held

    def nearest(
        self,
        conn: sqlite3.Connection,
        generation: str,
        query: Vector,
        candidates: BitMap,
        live: int,
        limit: int,
    ) -> list[Near]:
        """The ``limit`` rows of ``candidates`` nearest to ``query`` (a unit vector), best
        first; ``live`` is how many rows are searchable (to judge the filters' bite)."""
        return self.neighbours(conn, generation, query, candidates, candidates, live, limit)[0]

    def neighbours(
        self,
        conn: sqlite3.Connection,
        generation: str,
        query: Vector,
        filtered: BitMap,
        allowed: BitMap,
        live: int,
        limit: int,
    ) -> tuple[list[Near], list[Near]]:
        """The ``limit`` rows of ``filtered`` nearest to ``query``, and the ``limit`` rows
        of ``allowed`` (``filtered`` without the filters), best first, from one search of
        the ANN index at most: the neighbours it is asked for (as many more as the filters
        are selective) serve both."""
        held = self._state(conn, generation)
        if held is None or not allowed or limit <= 0:
            return [], []
        if len(filtered) <= EXACT_MAX:
            exact = _exact(held, filtered, query)
            within = _best(exact, limit)
            if len(filtered) == len(allowed):
                return within, within
            wider = _joined(_searched(held, query, allowed, live, limit), exact)
            return within, _best(wider, limit)
        if _scan_pays(held, len(filtered), _asked(live, len(filtered), limit)):
            within = _best(_scanned(held, query, filtered, limit), limit)
            return within, _best(_searched(held, query, allowed, live, limit), limit)
        found = _searched(held, query, filtered, live, limit, allowed)
        return _best(_among(found, filtered), limit), _best(found, limit)


def _searched(
    held: _Held,
    query: Vector,
    candidates: BitMap,
    live: int,
    limit: int,
    keep: BitMap | None = None,
) -> Scored:
    """The ANN index's neighbours of ``query`` (as many as ``limit`` rows of
    ``candidates`` need) and the vectors written since its snapshot, those of ``keep``
    rows (default: of ``candidates``) kept."""
    kept = candidates if keep is None else keep
    found = _among(_delta(held, query), kept)
    if held.ann is not None:
        matches = held.ann.search(query, _asked(live, len(candidates), limit))
        keys = np.asarray(matches.keys, dtype=np.uint64)
        similarity = 1.0 - np.asarray(matches.distances, dtype=np.float32)
        fresh = ~np.isin((keys >> np.uint64(KEY_BITS)).astype(np.int64), held.rows)
        found = _joined(found, _among(_of_keys(keys[fresh], similarity[fresh]), kept))
    return found


def _asked(live: int, candidates: int, limit: int) -> int:
    """The neighbours to ask of the ANN index for ``limit`` of ``candidates`` rows among
    ``live``: as many more as the candidates are few, twice that, :data:`MAX_NEIGHBOURS` at
    most."""
    share = max(1.0, live / max(1, candidates))
    return min(MAX_NEIGHBOURS, max(limit, math.ceil(limit * share)) * 2)


def _scan_pays(held: _Held, candidates: int, asked: int) -> bool:
    """True when comparing the candidates' signs costs less than asking the ANN index for
    ``asked`` neighbours (and the snapshot has its sketch)."""
    return held.sketch is not None and candidates <= SCAN_PER_NEIGHBOUR * asked


def _scanned(held: _Held, query: Vector, candidates: BitMap, limit: int) -> Scored:
    """The candidates' vectors nearest to ``query``: those written since the snapshot
    compared exactly; of the snapshot's, the :data:`RESCORE` × ``limit`` whose signs agree
    most with the query's, then compared exactly."""
    found = _among(_delta(held, query), candidates)
    if held.ann is None or held.sketch is None:
        return found
    rowids = _not_newer(held, as_array(candidates))
    keys = held.sketch.closest(rowids, query, RESCORE * limit)
    return _joined(found, _compared(held.ann, keys, query))


def _not_newer(held: _Held, rowids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The row ids whose snapshot vectors still stand (no newer ones written since)."""
    return rowids[~np.isin(rowids, held.rows)] if len(held.rows) else rowids


def _with_delta(held: _Held, conn: sqlite3.Connection, seq: int) -> _Held:
    """``held`` with the vectors written after its snapshot (or last look) read in."""
    delta = dict(held.delta)
    for rowid, matrix in rows_since(conn, held.seq):
        delta[rowid] = matrix
    rows = [np.full(len(m), r, dtype=np.int64) for r, m in delta.items()]
    versions = [np.arange(len(m), dtype=np.int64) for m in delta.values()]
    matrices = [m.astype(np.float32) / SCALE for m in delta.values()]
    return _Held(
        held.generation,
        held.pointer,
        held.ann,
        held.sketch,
        seq,
        delta,
        np.concatenate(rows) if rows else np.zeros(0, np.int64),
        np.concatenate(versions) if versions else np.zeros(0, np.int64),
        np.concatenate(matrices) if matrices else np.zeros((0, 0), np.float32),
    )


def _exact(held: _Held, candidates: BitMap, query: Vector) -> Scored:
    """Every version of the candidates compared with the query: their vectors written
    since the snapshot from memory, the others from the snapshot (memory-mapped)."""
    found = _among(_delta(held, query), candidates)
    rowids = _not_newer(held, as_array(candidates))
    if held.ann is None or not len(rowids):
        return found
    if held.sketch is not None:
        keys = held.sketch.keys[held.sketch.positions(rowids)]
    else:
        versions = np.arange(MAX_VERSIONS, dtype=np.uint64)
        keys = ((rowids.astype(np.uint64) << np.uint64(KEY_BITS))[:, None] + versions).ravel()
        keys = keys[np.asarray(held.ann.contains(keys), dtype=bool)]
    return _joined(found, _compared(held.ann, np.asarray(keys, dtype=np.uint64), query))


def _compared(ann: Index, keys: Keys, query: Vector) -> Scored:
    """The snapshot's vectors of these keys compared exactly with the query."""
    if not len(keys):
        return NONE
    keys, matrix = _stored(ann, keys)
    scores = np.asarray((matrix.astype(np.float32) / SCALE) @ query, dtype=np.float32)
    return _of_keys(keys, scores)


def _stored(ann: Index, keys: Keys) -> tuple[Keys, npt.NDArray[np.int8]]:
    """The keys the ANN index holds a vector for, and those vectors (signed bytes)."""
    found = ann.get(keys, dtype="i8")
    if isinstance(found, np.ndarray):
        return keys, found.reshape(len(keys), -1)
    pairs = [(n, vector) for n, vector in enumerate(found or ()) if vector is not None]
    if not pairs:
        return keys[:0], np.zeros((0, 0), np.int8)
    vectors = [np.asarray(vector, dtype=np.int8) for _, vector in pairs]
    return keys[[n for n, _ in pairs]], np.stack(vectors)


class Scored(NamedTuple):
    """Rows, which version of each, and its similarity: one entry per vector compared."""

    rows: npt.NDArray[np.int64]
    versions: npt.NDArray[np.int64]
    similarity: npt.NDArray[np.float32]


NONE = Scored(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))


def _delta(held: _Held, query: Vector) -> Scored:
    """The vectors written since the snapshot compared with the query."""
    if not len(held.rows):
        return NONE
    return Scored(held.rows, held.versions, np.asarray(held.matrix @ query, dtype=np.float32))


def _of_keys(keys: Keys, similarity: npt.NDArray[np.float32]) -> Scored:
    """The rows and versions of ANN keys, with their similarities."""
    rows = (keys >> np.uint64(KEY_BITS)).astype(np.int64)
    versions = (keys & np.uint64(MAX_VERSIONS - 1)).astype(np.int64)
    return Scored(rows, versions, similarity)


def _among(found: Scored, candidates: BitMap) -> Scored:
    """The entries of rows among ``candidates``."""
    if not len(found.rows):
        return found
    keep = np.isin(found.rows, as_array(bitmap_of(found.rows) & candidates))
    return Scored(found.rows[keep], found.versions[keep], found.similarity[keep])


def _joined(first: Scored, second: Scored) -> Scored:
    return Scored(
        np.concatenate([first.rows, second.rows]),
        np.concatenate([first.versions, second.versions]),
        np.concatenate([first.similarity, second.similarity]),
    )


def _best(found: Scored, limit: int) -> list[Near]:
    """The best version of each row, best rows first (ties by row id)."""
    rows, versions, similarity = found
    order = np.lexsort((versions, rows, -similarity))
    _unique, first = np.unique(rows[order], return_index=True)
    chosen = order[np.sort(first)][:limit]
    return [
        Near(int(r), float(s), int(v))
        for r, v, s in zip(rows[chosen], versions[chosen], similarity[chosen], strict=True)
    ]
