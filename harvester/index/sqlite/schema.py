"""The tables of one index generation: documents, the FTS5 table and its triggers, and
the SQL statements that write them.

``docs`` holds every document (a deleted one stays as a tombstone, so the change sequence
can report it); ``fts`` is an FTS5 table over ``docs`` (external content, kept in step by
triggers), diacritics folded, ranked by BM25 with column weights (title over keywords over
description); its last column holds the stems of title and description by their languages
(:mod:`harvester.index.stemming`), weighted below the words as written, so exact forms come
first; ``meta`` holds the change sequence.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from harvester.core.sqlite_wal import enable_wal
from harvester.index.text import fold

FORMAT = 2
"""What this csfinder writes into an index: 2 added the policy filters and the fields
insights count (years, FAIR indicators, clusters of several listings) to the documents'
facets; a generation of an older format needs ``csfinder reindex`` (``csfinder check``
says so)."""
COLUMNS = ("title", "alt_titles", "keywords", "description", "other", "stems")
EXACT_COLUMNS = "title alt_titles keywords description other"  # words as written, folded
WEIGHTS = "10.0, 8.0, 5.0, 1.0, 1.0, 2.0"  # stems weigh less: exact forms rank first

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('seq', 0);
INSERT OR IGNORE INTO meta VALUES ('format', {FORMAT});
CREATE TABLE IF NOT EXISTS docs (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    seq INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL DEFAULT '',
    alt_titles TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    other TEXT NOT NULL DEFAULT '',
    stems TEXT NOT NULL DEFAULT '',
    facets TEXT NOT NULL DEFAULT '{{}}',
    year INTEGER,
    newest INTEGER NOT NULL DEFAULT 0,
    west REAL, south REAL, east REAL, north REAL,
    boost INTEGER NOT NULL DEFAULT 0,
    title_key TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '{{}}'
);
CREATE INDEX IF NOT EXISTS docs_seq ON docs (seq);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5 (
    {", ".join(COLUMNS)},
    content='', tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
"""  # noqa: S608 (SQL built from the constant COLUMNS, no input)
FOLDED_OLD = ", ".join(f"csf_fold(old.{c})" for c in COLUMNS)
FOLDED_NEW = ", ".join(f"csf_fold(new.{c})" for c in COLUMNS)
TRIGGERS = f"""
CREATE TRIGGER IF NOT EXISTS docs_ai AFTER INSERT ON docs WHEN new.deleted = 0 BEGIN
    INSERT INTO fts (rowid, {", ".join(COLUMNS)}) VALUES (new.rowid, {FOLDED_NEW});
END;
CREATE TRIGGER IF NOT EXISTS docs_ad AFTER DELETE ON docs WHEN old.deleted = 0 BEGIN
    INSERT INTO fts (fts, rowid, {", ".join(COLUMNS)}) VALUES ('delete', old.rowid, {FOLDED_OLD});
END;
CREATE TRIGGER IF NOT EXISTS docs_au AFTER UPDATE ON docs BEGIN
    INSERT INTO fts (fts, rowid, {", ".join(COLUMNS)})
        SELECT 'delete', old.rowid, {FOLDED_OLD} WHERE old.deleted = 0;
    INSERT INTO fts (rowid, {", ".join(COLUMNS)})
        SELECT new.rowid, {FOLDED_NEW} WHERE new.deleted = 0;
END;
"""  # noqa: S608 (SQL built from the constant COLUMNS, no input)
UPSERT = f"""
INSERT INTO docs (id, seq, deleted, {", ".join(COLUMNS)}, facets, year, newest,
                  west, south, east, north, boost, title_key, summary)
VALUES (?, ?, 0, {", ".join("?" for _ in COLUMNS)}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
    seq = excluded.seq, deleted = 0,
    {", ".join(f"{c} = excluded.{c}" for c in COLUMNS)},
    facets = excluded.facets, year = excluded.year, newest = excluded.newest,
    west = excluded.west, south = excluded.south, east = excluded.east,
    north = excluded.north, boost = excluded.boost, title_key = excluded.title_key,
    summary = excluded.summary
"""  # noqa: S608 (SQL built from the constant COLUMNS, no input)
INSERT_NUMBERED = f"""
INSERT INTO docs (rowid, id, seq, deleted, {", ".join(COLUMNS)}, facets, year, newest,
                  west, south, east, north, boost, title_key, summary)
VALUES (?, ?, ?, 0, {", ".join("?" for _ in COLUMNS)}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""  # noqa: S608 (SQL built from the constant COLUMNS, no input)
DELETE = f"""
UPDATE docs SET deleted = 1, seq = ?, {", ".join(f"{c} = ''" for c in COLUMNS)},
    facets = '{{}}', summary = '{{}}'
WHERE id = ? AND deleted = 0
"""  # noqa: S608 (SQL built from the constant COLUMNS, no input)
FILL_FTS = f"""
INSERT INTO fts (rowid, {", ".join(COLUMNS)})
SELECT rowid, {", ".join(f"csf_fold({c})" for c in COLUMNS)} FROM docs WHERE deleted = 0
"""  # noqa: S608 (SQL built from the constant COLUMNS, no input)
SEQ = "SELECT value FROM meta WHERE key = 'seq'"  # the change sequence, one up per batch
FORMAT_OF = "SELECT value FROM meta WHERE key = 'format'"  # absent before format 2


def open_database(path: Path) -> sqlite3.Connection:
    """A connection to one generation's file (WAL, so readers never wait for a writer)."""
    conn = sqlite3.connect(path, timeout=60, check_same_thread=False)
    conn.create_function("csf_fold", 1, _fold_column, deterministic=True)
    conn.execute("PRAGMA busy_timeout = 60000")
    enable_wal(conn)
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def create_tables(path: Path, *, with_triggers: bool) -> None:
    """Create the tables in a new file; without triggers for a bulk load, which fills
    the FTS5 table in one pass afterwards (:data:`FILL_FTS`) and then adds them."""
    with closing(open_database(path)) as conn:
        conn.executescript(SCHEMA)
        conn.execute("INSERT INTO fts (fts, rank) VALUES ('rank', ?)", (f"bm25({WEIGHTS})",))
        if with_triggers:
            conn.executescript(TRIGGERS)
        conn.commit()


def _fold_column(value: object) -> str:
    """What FTS5 indexes of a column: the text folded as queries are (any script)."""
    return fold(value) if isinstance(value, str) else ""
