"""Nearest records by meaning in the live generation: what one process holds of its
vectors (the published ANN snapshot, memory-mapped; the vectors written since, in memory)
and the search over them.

A search among few candidate rows (the filters chosen leave at most :data:`EXACT_MAX`)
compares every one of their vectors exactly; otherwise the ANN index is asked for more
neighbours than wanted, as many more as the filters are selective, and those outside the
candidates dropped. Vectors written after the snapshot are always compared exactly, and a
row's snapshot vectors are ignored once it has newer ones.
"""

from __future__ import annotations

import json
import math
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
from pyroaring import BitMap
from usearch.index import Index

from harvester.index.sqlite.vectors import (
    KEY_BITS,
    Pointer,
    has_table,
    read_pointer,
    rows_since,
    vseq,
)

EXACT_MAX = 2_000  # candidate rows compared exactly rather than through the ANN index
MAX_NEIGHBOURS = 4_096  # neighbours asked of the ANN index at most
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
                ann = None
                if pointer is not None and (self.folder / pointer.file).exists():
                    ann = Index.restore(str(self.folder / pointer.file), view=True)
                base = pointer.seq if ann is not None and pointer is not None else 0
                held = _Held(generation, pointer if ann is not None else None, ann, base)
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
        held = self._state(conn, generation)
        if held is None or not candidates or limit <= 0:
            return []
        if len(candidates) <= EXACT_MAX:
            return _best(_exact(conn, candidates, query), limit)
        found: list[Near] = []
        if len(held.rows):
            found = _scored(held.rows, held.versions, held.matrix @ query, candidates)
        if held.ann is not None:
            share = max(1.0, live / max(1, len(candidates)))
            count = min(MAX_NEIGHBOURS, max(limit, math.ceil(limit * share)) * 2)
            matches = held.ann.search(query, count)
            keys = np.asarray(matches.keys, dtype=np.uint64)
            rows = (keys >> np.uint64(KEY_BITS)).astype(np.int64)
            versions = (keys & np.uint64((1 << KEY_BITS) - 1)).astype(np.int64)
            similarity = 1.0 - np.asarray(matches.distances, dtype=np.float32)
            fresh = ~np.isin(rows, held.rows)  # rows with newer vectors are in the delta
            found += _scored(rows[fresh], versions[fresh], similarity[fresh], candidates)
        return _best(found, limit)


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
        seq,
        delta,
        np.concatenate(rows) if rows else np.zeros(0, np.int64),
        np.concatenate(versions) if versions else np.zeros(0, np.int64),
        np.concatenate(matrices) if matrices else np.zeros((0, 0), np.float32),
    )


def _exact(conn: sqlite3.Connection, candidates: BitMap, query: Vector) -> list[Near]:
    """Every version of the candidates compared with the query (one product per chunk)."""
    if not has_table(conn):
        return []
    found: list[Near] = []
    rowids = list(candidates)
    for start in range(0, len(rowids), 1000):
        rows = conn.execute(
            "SELECT rowid, dims, data FROM vectors WHERE rowid IN (SELECT value FROM json_each(?))",
            (json.dumps(rowids[start : start + 1000]),),
        ).fetchall()
        if not rows:
            continue
        dims = int(rows[0][1])
        counts = np.array([len(data) // dims for _r, _d, data in rows], dtype=np.int64)
        matrix = np.frombuffer(b"".join(data for _r, _d, data in rows), dtype=np.int8)
        scores = (matrix.reshape(-1, dims).astype(np.float32) / SCALE) @ query
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        best = np.maximum.reduceat(scores, starts)
        for number, (rowid, _dims, _data) in enumerate(rows):
            first = int(starts[number])
            version = int(np.argmax(scores[first : first + int(counts[number])]))
            found.append(Near(int(rowid), float(best[number]), version))
    return found


def _scored(
    rows: npt.NDArray[np.int64],
    versions: npt.NDArray[np.int64],
    similarity: npt.NDArray[np.float32],
    candidates: BitMap,
) -> list[Near]:
    if not len(rows):
        return []
    keep = np.fromiter((int(r) in candidates for r in rows), dtype=bool, count=len(rows))
    return [
        Near(int(r), float(s), int(v))
        for r, v, s in zip(rows[keep], versions[keep], similarity[keep], strict=True)
    ]


def _best(found: list[Near], limit: int) -> list[Near]:
    """The best version of each row, best rows first (ties by row id)."""
    best: dict[int, Near] = {}
    for near in found:
        kept = best.get(near.rowid)
        if kept is None or near.similarity > kept.similarity:
            best[near.rowid] = near
    return sorted(best.values(), key=lambda n: (-n.similarity, n.rowid))[:limit]
