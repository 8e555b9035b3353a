"""The embedded index's vectors: the multilingual vectors of its documents, and an
approximate-nearest-neighbour index of them (usearch's HNSW, vectors as signed bytes:
about 660 bytes a vector with its graph, so a million take about 0.7 GB) beside FTS5.

Each generation keeps its vectors in its own file (table ``vectors``: a row of signed
bytes per language version of a document, under a change sequence ``vseq`` of its own)
and, beside it, a snapshot of the ANN index named by a small pointer file
(``<generation>.vectors.json``: the snapshot's file and the ``vseq`` it holds). A
generation swap swaps the vectors with it. Vectors written after the snapshot are read by
each searching process and compared exactly; once there are :data:`SNAPSHOT_AFTER` of them
the writer extends the snapshot and publishes it under a new name (readers still holding
the old one keep it until they notice).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from usearch.index import Index

from harvester.index.sqlite.vector_keys import MAX_VERSIONS, Keys, Quantised, keys_of
from harvester.index.sqlite.vector_signs import Signs, Sketch, load_sketch, save_sketch, signs_of

SNAPSHOT_AFTER = 20_000  # vectors written since the snapshot that make the writer extend it
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 128
READ_CHUNK = 20_000

TABLE = """
CREATE TABLE IF NOT EXISTS vectors (
    rowid INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL,
    dims INTEGER NOT NULL,
    languages TEXT NOT NULL DEFAULT '',
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS vectors_seq ON vectors (seq);
INSERT OR IGNORE INTO meta VALUES ('vseq', 0);
"""
VSEQ = "SELECT value FROM meta WHERE key = 'vseq'"

VectorItem = tuple[str, Sequence[str], Quantised]  # record id, versions' languages, vectors


@dataclass(frozen=True)
class Pointer:
    """The published snapshot of a generation: its file, the ``vseq`` it holds, its width."""

    file: str
    seq: int
    dims: int


def has_table(conn: sqlite3.Connection) -> bool:
    """True when the generation has a ``vectors`` table."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'vectors'"
    ).fetchone()
    return found is not None


def vseq(conn: sqlite3.Connection) -> int:
    """The generation's vector change sequence (0 when it has no vectors)."""
    if not has_table(conn):
        return 0
    found = conn.execute(VSEQ).fetchone()
    return int(found[0]) if found else 0


def write_vectors(conn: sqlite3.Connection, items: Sequence[VectorItem]) -> int:
    """Keep the vectors of documents (by id; unknown or deleted ids are skipped) under a
    new ``vseq``, replacing their older ones; returns how many documents got vectors."""
    if not items:
        return 0
    if not has_table(conn):
        conn.executescript(TABLE)
    with conn:
        conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'vseq'")
        seq = int(conn.execute(VSEQ).fetchone()[0])
        rowids = _rowids(conn, [record_id for record_id, _langs, _m in items])
        rows = [
            (
                rowids[record_id],
                seq,
                int(matrix.shape[1]),
                ",".join(languages[:MAX_VERSIONS]),
                matrix[:MAX_VERSIONS].tobytes(),
            )
            for record_id, languages, matrix in items
            if record_id in rowids and len(matrix)
        ]
        conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, ?)", rows)
    return len(rows)


def languages_of(conn: sqlite3.Connection, rowids: Sequence[int]) -> dict[int, list[str]]:
    """The languages of the vectors of these rows ("" where untold), by row id."""
    if not rowids or not has_table(conn):
        return {}
    found = conn.execute(
        "SELECT rowid, languages FROM vectors WHERE rowid IN (SELECT value FROM json_each(?))",
        (json.dumps([int(r) for r in rowids]),),
    )
    return {int(r[0]): str(r[1]).split(",") for r in found}


def _rowids(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        chunk = json.dumps(list(ids[start : start + 500]))
        found.update(
            (str(r[1]), int(r[0]))
            for r in conn.execute(
                "SELECT rowid, id FROM docs WHERE deleted = 0 "
                "AND id IN (SELECT value FROM json_each(?))",
                (chunk,),
            )
        )
    return found


def rows_since(conn: sqlite3.Connection, seq: int) -> Iterator[tuple[int, Quantised]]:
    """(row id, vectors) written after ``seq``, in chunks read one at a time."""
    if not has_table(conn):
        return
    cursor = conn.execute("SELECT rowid, dims, data FROM vectors WHERE seq > ?", (seq,))
    while rows := cursor.fetchmany(READ_CHUNK):
        for rowid, dims, data in rows:
            yield int(rowid), np.frombuffer(data, dtype=np.int8).reshape(-1, int(dims))


def pointer_path(folder: Path, generation: str) -> Path:
    """Where the pointer to a generation's snapshot is."""
    return folder / f"{generation}.vectors.json"


def read_pointer(folder: Path, generation: str) -> Pointer | None:
    """The published snapshot of a generation, or None."""
    try:
        found: dict[str, Any] = json.loads(pointer_path(folder, generation).read_text("utf-8"))
        return Pointer(str(found["file"]), int(found["seq"]), int(found["dims"]))
    except (OSError, ValueError, KeyError):
        return None


def new_ann(dims: int) -> Index:
    """An empty ANN index of unit vectors kept as signed bytes, compared by cosine."""
    return Index(
        ndim=dims,
        metric="cos",
        dtype="i8",
        connectivity=CONNECTIVITY,
        expansion_add=EXPANSION_ADD,
        expansion_search=EXPANSION_SEARCH,
    )


def roll_snapshot(
    conn: sqlite3.Connection, folder: Path, generation: str, *, threads: int = 0
) -> Pointer | None:
    """Extend the generation's snapshot with the vectors written since it (build it from
    every vector when there is none) and publish it; returns the new pointer (None when
    the generation has no vectors). Holds the generation's write lock meanwhile, so two
    writers never roll at once."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        seq = vseq(conn)
        old = read_pointer(folder, generation)
        if old is not None and old.seq >= seq:
            return old
        ann: Index | None = None
        sketch: Sketch | None = None
        if old is not None and (folder / old.file).exists():
            ann = Index.restore(str(folder / old.file))
            sketch = load_sketch(folder, old.file)
        since = old.seq if ann is not None and old is not None else 0
        added: list[tuple[Keys, Signs]] = []
        ann = _extended(ann, rows_since(conn, since), threads, added)
        if ann is None:
            return None
        if since and sketch is None:  # a snapshot made before sketches: sketch every vector
            added = [_signed(chunk) for chunk in _chunks(rows_since(conn, 0))]
        pointer = Pointer(f"{generation}.vectors.{seq}.usearch", seq, int(ann.ndim))
        ann.save(str(folder / pointer.file))
        save_sketch(folder, pointer.file, _sketched(sketch, added, int(ann.ndim)))
        _publish(folder, generation, pointer, old)
        return pointer
    finally:
        conn.execute("COMMIT")


def _extended(
    ann: Index | None,
    rows: Iterator[tuple[int, Quantised]],
    threads: int,
    added: list[tuple[Keys, Signs]],
) -> Index | None:
    """``ann`` (or a new index) with the rows' vectors added, a row's older ones removed;
    the keys and signs of the vectors added are appended to ``added``."""
    for chunk in _chunks(rows):
        ann = _add(ann, chunk, threads)
        added.append(_signed(chunk))
    return ann


def _chunks(rows: Iterator[tuple[int, Quantised]]) -> Iterator[list[tuple[int, Quantised]]]:
    chunk: list[tuple[int, Quantised]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= READ_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _signed(chunk: list[tuple[int, Quantised]]) -> tuple[Keys, Signs]:
    """The keys of a chunk's vectors and their signs."""
    keys = np.concatenate([keys_of(rowid, len(matrix)) for rowid, matrix in chunk])
    return keys, signs_of(np.concatenate([matrix for _, matrix in chunk]))


def _sketched(old: Sketch | None, added: list[tuple[Keys, Signs]], dims: int) -> Sketch:
    """The sketch of the new snapshot: ``old`` (None: none) with the vectors added."""
    if not added:
        width = (dims + 7) // 8
        return old or Sketch.of(np.zeros(0, np.uint64), np.zeros((0, width), np.uint8))
    keys = np.concatenate([k for k, _ in added])
    signs = np.concatenate([s for _, s in added])
    return Sketch.of(keys, signs) if old is None else old.merged(keys, signs)


def _add(ann: Index | None, chunk: list[tuple[int, Quantised]], threads: int) -> Index:
    if ann is None:
        ann = new_ann(chunk[0][1].shape[1])
    elif len(ann):
        ann.remove(np.concatenate([keys_of(rowid, MAX_VERSIONS) for rowid, _ in chunk]))
    keys = np.concatenate([keys_of(rowid, len(matrix)) for rowid, matrix in chunk])
    ann.add(keys, np.concatenate([matrix for _, matrix in chunk]), threads=threads)
    return ann


def _publish(folder: Path, generation: str, pointer: Pointer, old: Pointer | None) -> None:
    """Point at the new snapshot in one rename; remove snapshots older than the last one
    (a reader may still hold that)."""
    temporary = pointer_path(folder, generation).with_suffix(".json.tmp")
    temporary.write_text(json.dumps(pointer.__dict__), encoding="utf-8")
    os.replace(temporary, pointer_path(folder, generation))
    keep = {pointer.file, old.file if old is not None else ""} - {""}
    for path in folder.glob(f"{generation}.vectors.*.usearch*"):  # with their sketches
        if not any(path.name == name or path.name.startswith(f"{name}.") for name in keep):
            path.unlink(missing_ok=True)


def should_roll(conn: sqlite3.Connection, folder: Path, generation: str) -> bool:
    """True when enough vectors were written since the snapshot to extend it."""
    pointer = read_pointer(folder, generation)
    since = pointer.seq if pointer is not None else 0
    found = conn.execute("SELECT count(*) FROM vectors WHERE seq > ?", (since,)).fetchone()
    return int(found[0]) >= SNAPSHOT_AFTER
