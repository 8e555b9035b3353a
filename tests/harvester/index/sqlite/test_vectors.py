"""The embedded index's vectors: kept per generation, an ANN snapshot extended once enough
vectors wait, newer vectors of a document superseding its snapshot ones, a rebuild bringing
its own vectors and snapshot."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pyroaring import BitMap

from harvester.enrich.vectors import quantise
from harvester.index.sqlite import SqliteIndex, semantic, vectors
from harvester.index.sqlite.semantic import VectorReader
from harvester.index.sqlite.vector_signs import load_sketch, sketch_paths
from tests.harvester.index.corpus import doc

DIMS = 32


def unit(seed: int) -> np.ndarray:
    found = np.random.default_rng(seed).standard_normal(DIMS).astype(np.float32)
    return found / np.linalg.norm(found)


def nearest(index: SqliteIndex, vector: np.ndarray) -> list[str]:
    conn = index._generations.conn()
    current = index._generations.current()
    state = index._live.of(conn, current)
    found = VectorReader(index.folder).nearest(
        conn, current, vector, state.live, len(state.live), 3
    )
    ids = dict(conn.execute("SELECT rowid, id FROM docs").fetchall())
    return [ids[n.rowid] for n in found]


@pytest.fixture(
    params=[(0, 0), (1_000, 0), (0, 10**9)],
    ids=["through-the-ann-index", "compared-exactly", "scanning-the-signs"],
)
def small_snapshots(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Snapshots after 10 vectors; every search through the ANN index, or every one
    comparing all candidates exactly (their vectors read from the snapshot and the delta),
    or every one comparing the candidates' signs first."""
    monkeypatch.setattr(vectors, "SNAPSHOT_AFTER", 10)
    monkeypatch.setattr(semantic, "EXACT_MAX", request.param[0])
    monkeypatch.setattr(semantic, "SCAN_PER_NEIGHBOUR", request.param[1])


@pytest.mark.usefixtures("small_snapshots")
def test_the_snapshot_is_extended_and_newer_vectors_supersede_it(tmp_path: Path) -> None:
    index = SqliteIndex(tmp_path / "index")
    index.upsert([doc(f"d{n}", f"Record {n}") for n in range(30)])
    ids = [doc(f"d{n}", f"Record {n}").id for n in range(30)]
    items = [(ids[n], ["en"], quantise(unit(n)[None, :])) for n in range(30)]
    assert index.set_vectors(items) == 30
    pointer = vectors.read_pointer(index.folder, index._generations.current())
    assert pointer is not None and (index.folder / pointer.file).exists()
    assert all(path.exists() for path in sketch_paths(index.folder, pointer.file))
    assert nearest(index, unit(5))[0] == ids[5]

    index.set_vectors([(ids[5], ["de", "en"], quantise(np.stack([unit(100), unit(101)])))])
    assert vectors.read_pointer(index.folder, index._generations.current()) == pointer  # delta
    assert nearest(index, unit(5))[0] != ids[5]
    assert nearest(index, unit(101))[0] == ids[5]
    assert index.set_vectors([("unknown:1", ["en"], quantise(unit(1)[None, :]))]) == 0


@pytest.mark.usefixtures("small_snapshots")
def test_a_rebuild_brings_its_vectors_and_its_own_snapshot(tmp_path: Path) -> None:
    index = SqliteIndex(tmp_path / "index")
    docs = [doc(f"d{n}", f"Record {n}") for n in range(12)]
    items = [(d.id, ["en"], quantise(unit(n)[None, :])) for n, d in enumerate(docs)]
    index.rebuild(docs, vectors=items)
    current = index._generations.current()
    assert vectors.read_pointer(index.folder, current) is not None
    assert nearest(index, unit(7))[0] == docs[7].id
    index.rebuild(docs[:3])  # no vectors: none searched
    assert nearest(index, unit(7)) == []
    assert list(index.folder.glob(f"{current}.vectors.*.usearch"))  # kept for its readers
    index.rebuild(docs[:3])
    assert not list(index.folder.glob(f"{current}.vectors*"))  # gone with its generation


@pytest.mark.usefixtures("small_snapshots")
def test_a_snapshot_made_before_sketches_is_searched_and_sketched_when_extended(
    tmp_path: Path,
) -> None:
    index = SqliteIndex(tmp_path / "index")
    docs = [doc(f"d{n}", f"Record {n}") for n in range(40)]
    index.upsert(docs)
    index.set_vectors([(d.id, ["en"], quantise(unit(n)[None, :])) for n, d in enumerate(docs[:20])])
    current = index._generations.current()
    first = vectors.read_pointer(index.folder, current)
    assert first is not None
    for path in sketch_paths(index.folder, first.file):
        path.unlink()  # as an index made by an earlier version left it
    assert nearest(index, unit(3))[0] == docs[3].id
    index.set_vectors([(d.id, ["en"], quantise(unit(n)[None, :])) for n, d in enumerate(docs)])
    second = vectors.read_pointer(index.folder, current)
    assert second is not None and second != first
    sketch = load_sketch(index.folder, second.file)
    assert sketch is not None and len(sketch.keys) == 40  # every vector, not the new ones only
    assert nearest(index, unit(33))[0] == docs[33].id


def test_within_filters_the_signs_find_the_nearest_candidates_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(semantic, "EXACT_MAX", 0)
    monkeypatch.setattr(semantic, "SCAN_PER_NEIGHBOUR", 10**9)
    index = SqliteIndex(tmp_path / "index")
    docs = [doc(f"d{n}", f"Record {n}") for n in range(300)]
    items = [(d.id, ["en"], quantise(unit(n)[None, :])) for n, d in enumerate(docs)]
    index.rebuild(docs, vectors=items)
    conn = index._generations.conn()
    current = index._generations.current()
    state = index._live.of(conn, current)
    rowids = dict(conn.execute("SELECT id, rowid FROM docs").fetchall())
    chosen = [rowids[d.id] for d in docs[::10]]  # the filters keep one row in ten
    filtered = BitMap(chosen)
    reader = VectorReader(index.folder)
    within, wider = reader.neighbours(conn, current, unit(40), filtered, state.live, 300, 3)
    assert within[0].rowid == rowids[docs[40].id] and within[0].similarity > 0.99
    assert {n.rowid for n in within} <= set(chosen)
    outside, _ = reader.neighbours(conn, current, unit(41), filtered, state.live, 300, 3)
    assert rowids[docs[41].id] not in {n.rowid for n in outside}  # nearest, but filtered out
    assert wider[0].rowid == rowids[docs[40].id]
