"""Writing the embedded index: upserts and deletions into the live generation, each batch
under one new change sequence number, and rebuilds into a new generation.

Readers find what changed by the change sequence (every row carries the number of the
batch that last wrote it; a deleted row stays as a tombstone), so a harvest in another
process is seen by the next search.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing
from typing import Any

import orjson

from harvester.index.base import IndexStats, Progress
from harvester.index.documents import IndexDocument, title_rank, title_sort_key
from harvester.index.sqlite.facets import FacetState, RowFacts
from harvester.index.sqlite.generations import Generations
from harvester.index.sqlite.schema import DELETE, FILL_FTS, INSERT_NUMBERED, SEQ, TRIGGERS, UPSERT

WRITE_BATCH = 1_000


def upsert(conn: sqlite3.Connection, documents: Iterable[IndexDocument]) -> IndexStats:
    """Add or replace documents, in batches of one transaction each."""
    stats = IndexStats()
    for batch in _batches(documents, WRITE_BATCH):
        with conn:
            seq = _next_seq(conn)
            conn.executemany(UPSERT, (_row(doc, seq) for doc in batch))
        stats.indexed += len(batch)
    return stats


def delete(conn: sqlite3.Connection, ids: Iterable[str]) -> IndexStats:
    """Mark documents deleted: their text leaves the FTS index, the row stays a tombstone."""
    stats = IndexStats()
    for batch in _batches(ids, WRITE_BATCH):
        with conn:
            seq = _next_seq(conn)
            cursor = conn.executemany(DELETE, ((seq, i) for i in batch))
            stats.deleted += max(cursor.rowcount, 0)
    return stats


def rebuild(
    generations: Generations,
    documents: Iterable[IndexDocument],
    progress: Progress | None,
    before_publish: Callable[[sqlite3.Connection, str], None] | None = None,
) -> int:
    """Build a new generation from scratch (with its facet snapshot) and make it live in
    one step; return how many documents it holds. ``before_publish`` may add to the new
    generation (given its connection and name) before it goes live."""
    name = generations.create(with_triggers=False)
    state = FacetState()
    count = 0
    with closing(generations.open(name)) as conn:
        conn.execute("PRAGMA synchronous = OFF")
        for batch in _batches(documents, WRITE_BATCH * 10):
            rows = [(count + n + 1, *_row(doc, 1)) for n, doc in enumerate(batch)]
            with conn:
                conn.executemany(INSERT_NUMBERED, rows)
            state.apply(
                (facts_of(row[0], doc) for row, doc in zip(rows, batch, strict=True)),
                1,
                fresh=True,
            )
            count += len(batch)
            if progress is not None:
                progress(count)
        with conn:
            conn.execute("UPDATE meta SET value = 1 WHERE key = 'seq'")
            conn.execute(FILL_FTS)
            conn.execute("INSERT INTO fts (fts) VALUES ('optimize')")
            conn.executescript(TRIGGERS)
        if before_publish is not None:
            before_publish(conn, name)
    state.seq = 1
    state.save(generations.snapshot(name))
    previous = generations.current()
    generations.publish(name)
    generations.forget_old(keep={name, previous})
    return count


def facts_of(rowid: int, doc: IndexDocument) -> RowFacts:
    """What the facet state keeps of a document stored at ``rowid``."""
    return RowFacts(
        rowid=rowid,
        deleted=False,
        facets=doc.facets,
        year=doc.year,
        newest=doc.newest,
        boost=doc.boost,
        title_key=title_rank(key := title_sort_key(doc.title)),
        title_words=key.count(" ") + 1,
        bbox=doc.bbox,
    )


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _next_seq(conn: sqlite3.Connection) -> int:
    """Raise the change sequence by one (inside the caller's transaction) and return it."""
    conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'seq'")
    return int(conn.execute(SEQ).fetchone()[0])


def _row(doc: IndexDocument, seq: int) -> tuple[Any, ...]:
    """The values of ``docs`` columns for :data:`~harvester.index.sqlite.schema.UPSERT`."""
    box = doc.bbox or (None, None, None, None)
    return (
        doc.id,
        seq,
        doc.title,
        doc.alt_titles,
        doc.keywords,
        doc.description,
        doc.other,
        doc.stems,
        _json(doc.facets),
        doc.year,
        doc.newest,
        *box,
        doc.boost,
        title_sort_key(doc.title),
        _json(doc.summary),
    )


def _json(value: Mapping[str, Any]) -> str:
    """Compact JSON, non-ASCII kept (any mapping: ``default`` turns it into a dict)."""
    return orjson.dumps(value, default=dict).decode()
