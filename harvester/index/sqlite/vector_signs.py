"""A sketch of an ANN snapshot's vectors, one bit a dimension (its sign), for searches by
meaning within selective filters.

An HNSW graph finds the neighbours of a query among all vectors; within filters that keep
a few per cent of the rows it must be asked for many neighbours to find enough of theirs
(4,096 cost about 25 ms at a million vectors). Beside each published snapshot lie its
keys in order and each vector's signs (``<snapshot>.keys.npy``, ``<snapshot>.signs.npy``:
72 bytes a 512-dimension vector, memory-mapped by readers). A search within such filters
compares the query's signs with the candidates' (Hamming distance, SIMD through usearch)
and gives the closest :data:`RESCORE` times as many vectors as wanted to be compared
exactly: 50,000 candidates take about 4 ms.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from usearch.index import search

from harvester.index.sqlite.vector_keys import Keys, Quantised, rows_of

RESCORE = 16  # vectors compared exactly a vector wanted (8 kept 0.90 of the exact 100; 16, 0.96)
Signs = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Sketch:
    """The keys of a snapshot's vectors in order, their signs, and where each row's
    vectors start (``starts[rowid]``, one more entry past the last row)."""

    keys: Keys
    signs: Signs
    starts: npt.NDArray[np.int64]

    @classmethod
    def of(cls, keys: Keys, signs: Signs) -> Sketch:
        """A sketch of these keys and signs, ordered by key."""
        order = np.argsort(keys, kind="stable")
        return cls.ordered(np.asarray(keys, dtype=np.uint64)[order], np.asarray(signs)[order])

    @classmethod
    def ordered(cls, keys: Keys, signs: Signs) -> Sketch:
        """A sketch of keys already in order, and their signs."""
        rows = rows_of(keys)
        last = int(rows[-1]) if len(rows) else 0
        return cls(keys, signs, np.searchsorted(rows, np.arange(last + 2, dtype=np.int64)))

    @property
    def rows(self) -> npt.NDArray[np.int64]:
        """The row id of each vector."""
        return rows_of(self.keys)

    def positions(self, rowids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Where the vectors of these rows (ordered) are, every version of each."""
        past = len(self.starts) - 1
        first = self.starts[np.minimum(rowids, past)]
        sizes = self.starts[np.minimum(rowids + 1, past)] - first
        total = int(sizes.sum())
        if not total:
            return np.zeros(0, np.int64)
        starts = np.repeat(first - (np.cumsum(sizes) - sizes), sizes)
        positions: npt.NDArray[np.int64] = np.arange(total, dtype=np.int64) + starts
        return positions

    def closest(
        self, rowids: npt.NDArray[np.int64], query: npt.NDArray[np.float32], count: int
    ) -> Keys:
        """The keys of at most ``count`` vectors of these rows whose signs agree most with
        the query's (all of them when they are no more)."""
        positions = self.positions(rowids)
        if len(positions) > count:
            found = search(
                np.take(self.signs, positions, axis=0),
                signs_of(query[None, :])[0],
                count,
                "hamming",
                exact=True,
                threads=1,  # more would keep spinning beside the rest of the query
            )
            positions = positions[np.asarray(found.keys, dtype=np.int64)]
        return np.asarray(self.keys[positions], dtype=np.uint64)

    def merged(self, keys: Keys, signs: Signs) -> Sketch:
        """This sketch with newer vectors: a row's older ones replaced by its new ones."""
        stale = np.isin(self.rows, np.unique(rows_of(keys)))
        return Sketch.of(
            np.concatenate([self.keys[~stale], keys]),
            np.concatenate([self.signs[~stale], signs]),
        )


def signs_of(matrix: Quantised | npt.NDArray[np.float32]) -> Signs:
    """One bit a dimension (set where the value is positive), packed eight to a byte."""
    return np.packbits(np.greater(matrix, 0), axis=1)


def sketch_paths(folder: Path, snapshot: str) -> tuple[Path, Path]:
    """Where the keys and the signs of a snapshot file are kept."""
    return folder / f"{snapshot}.keys.npy", folder / f"{snapshot}.signs.npy"


def save_sketch(folder: Path, snapshot: str, sketch: Sketch) -> None:
    """Keep a snapshot's sketch beside it (before its pointer is published)."""
    keys_path, signs_path = sketch_paths(folder, snapshot)
    np.save(keys_path, sketch.keys)
    np.save(signs_path, sketch.signs)


def load_sketch(folder: Path, snapshot: str) -> Sketch | None:
    """A snapshot's sketch, memory-mapped; None when it has none (made before sketches)
    or it cannot be read."""
    keys_path, signs_path = sketch_paths(folder, snapshot)
    try:
        keys = np.load(keys_path, mmap_mode="r")
        signs = np.load(signs_path, mmap_mode="r")
    except (OSError, ValueError):
        return None
    if keys.dtype != np.uint64 or signs.ndim != 2 or len(keys) != len(signs):
        return None
    return Sketch.ordered(keys, signs)
