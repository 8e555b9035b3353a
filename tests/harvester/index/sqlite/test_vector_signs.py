"""The sign sketch beside an ANN snapshot: where each row's vectors are, the candidates
whose signs agree most with a query, newer vectors replacing older ones, kept on disk."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from harvester.index.sqlite.vector_keys import keys_of, rows_of
from harvester.index.sqlite.vector_signs import Sketch, load_sketch, save_sketch, signs_of

DIMS = 64


def vectors(count: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((count, DIMS)).astype(np.float32)


def sketch_of(versions: dict[int, int], seed: int = 1) -> tuple[Sketch, np.ndarray]:
    """A sketch of rows with so many versions each (given out of order), and the vectors."""
    keys = np.concatenate([keys_of(row, count) for row, count in versions.items()])
    matrix = vectors(len(keys), seed)
    return Sketch.of(keys, signs_of(matrix)), matrix[np.argsort(keys)]


def test_positions_give_every_version_of_the_rows_asked_and_none_of_the_others() -> None:
    sketch, _ = sketch_of({9: 1, 3: 3, 4: 2, 12: 1, 7: 1})
    assert list(rows_of(sketch.keys)) == [3, 3, 3, 4, 4, 7, 9, 12]
    asked = np.array([1, 3, 7, 8, 12, 40], dtype=np.int64)  # 1, 8 and 40 have none
    found = sketch.keys[sketch.positions(asked)]
    assert list(rows_of(found)) == [3, 3, 3, 7, 12]
    assert list(found[:3] & np.uint64(15)) == [0, 1, 2]  # the versions of row 3
    assert len(sketch.positions(np.array([0, 2, 99], dtype=np.int64))) == 0


def test_the_closest_signs_are_those_with_fewest_differing_bits() -> None:
    sketch, matrix = sketch_of(dict.fromkeys(range(1, 301), 1))
    query = vectors(1, 99)[0]
    rows = np.arange(1, 301, 2, dtype=np.int64)  # the odd rows only
    found = rows_of(sketch.closest(rows, query, 10))
    differing = np.unpackbits(signs_of(matrix) ^ signs_of(query[None, :]), axis=1).sum(axis=1)
    odd = {int(row): int(differing[row - 1]) for row in rows}
    best = sorted(odd.values())[:10]
    assert sorted(odd[int(row)] for row in found) == best
    assert set(found) <= set(rows)
    assert len(sketch.closest(rows[:7], query, 10)) == 7  # fewer than asked: all of them


def test_newer_vectors_replace_a_rows_older_ones_in_order() -> None:
    sketch, _ = sketch_of({2: 3, 5: 1, 8: 2})
    newer = np.concatenate([keys_of(5, 2), keys_of(6, 1), keys_of(2, 1)])
    merged = sketch.merged(newer, signs_of(vectors(len(newer), 7)))
    assert list(rows_of(merged.keys)) == [2, 5, 5, 6, 8, 8]
    assert list(rows_of(merged.keys[merged.positions(np.array([2], dtype=np.int64))])) == [2]
    assert len(merged.signs) == len(merged.keys)


def test_a_sketch_is_kept_beside_its_snapshot_and_read_back_mapped(tmp_path: Path) -> None:
    sketch, _ = sketch_of({row: 1 + row % 3 for row in range(1, 50)})
    save_sketch(tmp_path, "index-a.sqlite3.vectors.7.usearch", sketch)
    found = load_sketch(tmp_path, "index-a.sqlite3.vectors.7.usearch")
    assert found is not None
    assert np.array_equal(found.keys, sketch.keys) and np.array_equal(found.signs, sketch.signs)
    assert np.array_equal(found.starts, sketch.starts)
    assert load_sketch(tmp_path, "index-a.sqlite3.vectors.8.usearch") is None  # none kept
    np.save(tmp_path / "index-a.sqlite3.vectors.7.usearch.signs.npy", sketch.signs[:5])
    assert load_sketch(tmp_path, "index-a.sqlite3.vectors.7.usearch") is None  # not matching
