"""The embedded search backend: SQLite FTS5 for text, Roaring bitmaps for facets.

Layout in ``CSFINDER_HOME/index/``: one SQLite file per generation and a ``CURRENT`` file
naming the live one. Harvests write into the live generation (WAL: searches keep
answering meanwhile); ``rebuild`` writes a new generation and swaps ``CURRENT`` at once,
so searching never stops.

Text: an FTS5 table over the ``docs`` table (external content, kept in step by
triggers), diacritics folded, no stemming. The match set is read in one aggregate and
held as a bitmap; facets are counted in memory (see :mod:`harvester.index.sqlite.facets`).
Relevance is BM25 with column weights (title over keywords over description); when the
match set is very large, ranking starts with the records matching in their titles, since
scoring every match would cost too much, and ties go to records with a persistent
identifier and rich metadata.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson
from pyroaring import BitMap

from harvester.index.base import FacetCount, Hit, IndexStats, Progress, SearchResult, Suggestion
from harvester.index.documents import IndexDocument, title_rank, title_sort_key
from harvester.index.highlight import best_snippet, mark_words, marked_html
from harvester.index.query import SearchQuery
from harvester.index.sqlite.cache import DEFAULT_BYTES, CacheStats, VersionedCache
from harvester.index.sqlite.facets import FacetState, RowFacts, bitmap_of
from harvester.index.text import Atom, TextQuery, fold, parse_text, words_of

DAY_LIMIT = 1 << 20  # days since year 1 fit in 20 bits until the year 2870
ROWID_MASK = (1 << 31) - 1
RANK_ALL = 5_000  # match sets up to this size are ranked by BM25 in full
RANK_SLACK = 16  # rows read past the page, to see whether equal scores run on past it
TITLE_SORT_REFINE = 2_000
ORDER_FROM = 4_096  # sets this large take their first rows from a cached order of all rows
ORDER_CHUNK = 4_096
ROW_ENTRIES = 20_000  # rows of hit pages kept per process
ROW_OVERHEAD = 2_048  # bytes a kept row costs besides its text (its summary, mostly)
LOAD_CHUNK = 50_000
WRITE_BATCH = 1_000
SNAPSHOT_AFTER = 20_000  # replaying more changes than this saves a new facet snapshot
COLUMNS = ("title", "alt_titles", "keywords", "description", "other")
WEIGHTS = "10.0, 8.0, 5.0, 1.0, 1.0"
CURRENT = "CURRENT"
KEEP = "csf_keep"

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('seq', 0);
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


def fts_atom(atom: Atom) -> str:
    """An atom as FTS5 syntax: always a quoted string, so no user syntax reaches FTS5."""
    return '"' + " ".join(atom.words) + '"' + ("*" if atom.prefix else "")


def fts_expression(clauses: Sequence[Sequence[Atom]]) -> str:
    """AND of clauses, each an OR of atoms."""
    return " AND ".join("(" + " OR ".join(fts_atom(a) for a in clause) + ")" for clause in clauses)


class SqliteIndex:
    """The embedded search index in one folder."""

    name = "sqlite"

    def __init__(self, folder: Path, cache_bytes: int = DEFAULT_BYTES) -> None:
        """Open (or create) the index in ``folder``; ``cache_bytes`` bounds this process's
        cache of match sets, orders and browse counts, and half as much its cache of the
        rows hits show (0: neither, every search asks FTS5 and reads its rows)."""
        self.folder = folder
        self.cache = VersionedCache(cache_bytes)
        self.rows = VersionedCache(cache_bytes // 2, ROW_ENTRIES if cache_bytes else 0)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._state: FacetState | None = None
        self._state_file: str | None = None
        if not (folder / CURRENT).exists():
            self._publish(self._create_generation(with_triggers=True))

    # -- files and connections -----------------------------------------------------------

    def _current_file(self) -> str:
        return (self.folder / CURRENT).read_text(encoding="utf-8").strip()

    def _create_generation(self, *, with_triggers: bool) -> str:
        name = f"index-{uuid.uuid4().hex[:12]}.sqlite3"
        with closing(self._open(self.folder / name)) as conn:
            conn.executescript(SCHEMA)
            conn.execute("INSERT INTO fts (fts, rank) VALUES ('rank', ?)", (f"bm25({WEIGHTS})",))
            if with_triggers:
                conn.executescript(TRIGGERS)
            conn.commit()
        return name

    def _publish(self, name: str) -> None:
        pointer = self.folder / f"{CURRENT}.{uuid.uuid4().hex[:8]}"
        pointer.write_text(name + "\n", encoding="utf-8")
        os.replace(pointer, self.folder / CURRENT)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=60, check_same_thread=False)
        conn.create_function("csf_fold", 1, _fold_column, deterministic=True)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA busy_timeout = 60000")
        return conn

    def _conn(self, current: str | None = None) -> sqlite3.Connection:
        """This thread's connection to the live generation (reopened after a swap)."""
        current = current or self._current_file()
        held: tuple[str, sqlite3.Connection] | None = getattr(self._local, "conn", None)
        if held is not None and held[0] == current:
            return held[1]
        if held is not None:
            held[1].close()
        conn = self._open(self.folder / current)
        conn.create_function(KEEP, 1, self._kept)
        self._local.conn = (current, conn)
        return conn

    def _keep(self, rows: BitMap) -> str:
        """The SQL function (of this thread's connection) true for ``rows`` only."""
        self._local.keep = rows
        return KEEP

    def _kept(self, rowid: int) -> bool:
        kept: BitMap = self._local.keep
        return rowid in kept

    def close(self) -> None:
        """Close this thread's connection."""
        held = getattr(self._local, "conn", None)
        if held is not None:
            held[1].close()
            self._local.conn = None

    def ping(self) -> bool:
        """True when the live generation can be read."""
        try:
            self._conn().execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
        except (sqlite3.Error, OSError):
            return False
        return True

    # -- writing -------------------------------------------------------------------------

    def upsert(self, documents: Iterable[IndexDocument]) -> IndexStats:
        """Add or replace documents, in batches of one transaction each."""
        stats = IndexStats()
        conn = self._conn()
        for batch in _batches(documents, WRITE_BATCH):
            with conn:
                seq = _next_seq(conn)
                conn.executemany(UPSERT, (_row(doc, seq) for doc in batch))
            stats.indexed += len(batch)
        return stats

    def delete(self, ids: Iterable[str]) -> IndexStats:
        """Mark documents deleted: their text leaves the FTS index, the row stays a tombstone."""
        stats = IndexStats()
        conn = self._conn()
        for batch in _batches(ids, WRITE_BATCH):
            with conn:
                seq = _next_seq(conn)
                cursor = conn.executemany(DELETE, ((seq, i) for i in batch))
                stats.deleted += max(cursor.rowcount, 0)
        return stats

    def rebuild(self, documents: Iterable[IndexDocument], progress: Progress | None = None) -> int:
        """Build a new generation from scratch and make it live in one step."""
        name = self._create_generation(with_triggers=False)
        state = FacetState()
        count = 0
        with closing(self._open(self.folder / name)) as conn:
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
        state.seq = 1
        state.save(self._snapshot(name))
        previous = self._current_file()
        self._publish(name)
        self._forget_old(keep={name, previous})
        return count

    def _snapshot(self, generation: str) -> Path:
        return self.folder / f"{generation}.facets.npz"

    def _forget_old(self, keep: set[str]) -> None:
        """Remove generations older than the previous one (readers may still hold that)."""
        for path in self.folder.glob("index-*.sqlite3*"):
            base = path.name.split(".sqlite3")[0] + ".sqlite3"
            if base not in keep:
                path.unlink(missing_ok=True)

    # -- reading -------------------------------------------------------------------------

    def count(self) -> int:
        """Live documents."""
        return len(self._facets().live)

    def _facets(self) -> FacetState:
        """The facet state of the live generation, brought up to date."""
        return self._reader()[1]

    def _reader(self) -> tuple[sqlite3.Connection, FacetState, Version]:
        """This thread's connection, the facet state brought up to date, and the version
        they show (generation and change sequence: the key of every cached result)."""
        current = self._current_file()
        conn = self._conn(current)
        state = self._state_of(conn, current)
        return conn, state, (current, state.seq)

    def cache_stats(self) -> tuple[CacheStats, CacheStats]:
        """Hits and misses of this process's caches: of match sets, orders and browse
        counts; of the rows hits show."""
        return self.cache.stats(), self.rows.stats()

    def _state_of(self, conn: sqlite3.Connection, current: str) -> FacetState:
        with self._lock:
            seq = int(conn.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0])
            if self._state is None or self._state_file != current:
                loaded = FacetState.load(self._snapshot(current))
                self._state, self._state_file = loaded or FacetState(), current
            state = self._state
            if seq != state.seq:
                # Patch a copy and swap it in: searches still reading the old state in
                # other threads never see it change under them.
                state = state.copy()
                replayed = 0
                for chunk in _changed_rows(conn, state.seq):
                    state.apply(chunk, state.seq)
                    replayed += len(chunk)
                state.seq = seq
                if replayed >= SNAPSHOT_AFTER:
                    state.save(self._snapshot(current))
                self._state = state
            return state

    def search(self, query: SearchQuery) -> SearchResult:
        """One page of hits, the total and every facet's counts."""
        conn, state, version = self._reader()
        text = query.parsed
        expression, matched = self._match(conn, text, state, version)
        filters = state.filters(query)
        final = BitMap.intersection(matched, *filters.values()) if filters else matched
        sort = query.effective_sort
        if sort == "relevance" and not text.clauses:
            sort = "newest"
        window = query.offset + query.per_page
        if not final:
            ordered: list[int] = []
        elif sort == "relevance" and expression is not None:
            ordered = self._by_relevance(
                conn, text, expression, len(matched), final, window, state, version
            )
        elif sort == "title":
            ordered = self._by_title(conn, final, state, window)
        else:
            ordered = self._top(final, newest_first, state, window, version)
        page = ordered[query.offset : window]
        hits = self._hits(conn, text, page, version)
        if matched is state.live and self.cache.enabled:  # no words: counts of the filters
            facets = self._browse_counts(state, filters, query, version)
        else:
            facets = state.counts(matched, filters, query)
        return SearchResult(len(final), hits, facets, query, sort)

    def _browse_counts(
        self, state: FacetState, filters: dict[str, BitMap], query: SearchQuery, version: Version
    ) -> dict[str, list[FacetCount]]:
        """Facet counts over every live record, narrowed by the filters only: cached per
        choice of filters (few, and the costliest to count, as the sets are the largest)."""
        selection = tuple(sorted((name, tuple(sorted(v))) for name, v in query.filters.items()))
        key = ("browse-facets", selection, query.year_from, query.year_to, query.bbox)
        found: dict[str, list[FacetCount]] | None = self.cache.get(version, key)
        if found is None:
            found = state.counts(state.live, filters, query)
            self.cache.put(version, key, found, 64 * sum(len(c) for c in found.values()))
        return {facet: list(counts) for facet, counts in found.items()}  # callers' own lists

    def _match(
        self, conn: sqlite3.Connection, text: TextQuery, state: FacetState, version: Version
    ) -> tuple[str | None, BitMap]:
        """The FTS5 expression of the text (None without positive words) and its matches."""
        expression = fts_expression(text.clauses) if text.clauses else None
        if expression is not None and text.excluded:
            expression = f"({expression}) NOT ({fts_expression([text.excluded])})"
        if not self.cache.enabled:  # the general path: FTS5 evaluates the whole expression
            if expression is None:
                if not text.excluded:
                    return None, state.live
                return None, state.live - _match_set(conn, fts_expression([text.excluded]))
            return expression, _match_set(conn, expression) & state.live
        matched = state.live
        if text.clauses:
            matched = self._clauses_rows(conn, text.clauses, None, version) & matched
        if text.excluded:
            matched = matched - self._clauses_rows(conn, [text.excluded], None, version)
        return expression, matched

    def _clauses_rows(
        self,
        conn: sqlite3.Connection,
        clauses: Sequence[Sequence[Atom]],
        columns: str | None,
        version: Version,
    ) -> BitMap:
        """Rows matching an AND of clauses, each an OR of atoms, within ``columns`` (all
        when None): set operations on each atom's cached match set, as FTS5 would combine
        them."""
        per_clause = [
            BitMap.union(*(self._atom_rows(conn, atom, columns, version) for atom in clause))
            for clause in clauses
        ]
        return BitMap.intersection(*per_clause)

    def _atom_rows(
        self, conn: sqlite3.Connection, atom: Atom, columns: str | None, version: Version
    ) -> BitMap:
        """Rows matching one word, phrase or prefix (within ``columns``), cached."""
        key = ("atom", columns, atom)
        found: BitMap | None = self.cache.get(version, key)
        if found is None:
            expression = fts_atom(atom) if columns is None else f"{{{columns}}} : {fts_atom(atom)}"
            found = _match_set(conn, expression)
            self.cache.put(version, key, found, _bitmap_bytes(found))
        return found

    def _in_columns(
        self,
        conn: sqlite3.Connection,
        columns: str,
        text: TextQuery,
        version: Version,
    ) -> BitMap:
        """Rows matching the positive clauses within ``columns``."""
        if self.cache.enabled:
            return self._clauses_rows(conn, text.clauses, columns, version)
        return _match_set(conn, f"{{{columns}}} : ({fts_expression(text.clauses)})")

    def _by_relevance(
        self,
        conn: sqlite3.Connection,
        text: TextQuery,
        expression: str,
        matched: int,
        final: BitMap,
        window: int,
        state: FacetState,
        version: Version,
    ) -> list[int]:
        """BM25 order when the match set is small enough to score in full; otherwise title
        matches (shortest titles first), then keyword matches, then the rest, each by the
        richness of the record."""
        if matched <= RANK_ALL:
            if self.cache.enabled:
                order = self._bm25_order(conn, expression, state, version)
                if len(final) < matched:
                    order = order[np.isin(order, _as_array(final), assume_unique=True)]
                return [int(r) for r in order[:window]]
            keep = self._keep(final) if len(final) < matched else None
            return _ranked(conn, expression, state, window, keep)
        in_titles = self._in_columns(conn, "title alt_titles", text, version) & final
        head = self._top(in_titles, shortest_title_first, state, window, version)
        if len(head) < window:
            rest = final - in_titles
            in_keywords = self._in_columns(conn, "keywords", text, version) & rest
            head += self._top(in_keywords, richest_first, state, window - len(head), version)
            rest -= in_keywords
            head += self._top(rest, richest_first, state, window - len(head), version)
        return head[:window]

    def _bm25_order(
        self, conn: sqlite3.Connection, expression: str, state: FacetState, version: Version
    ) -> npt.NDArray[np.int64]:
        """Every match of ``expression`` in BM25 order (ties as :func:`_ranked` breaks
        them), cached: filters and pages then only pick from it."""
        key = ("bm25", expression)
        found: npt.NDArray[np.int64] | None = self.cache.get(version, key)
        if found is None:
            scored = _scored(conn, "SELECT rowid, rank FROM fts WHERE fts MATCH ?", expression)
            found = np.array(_tie_broken(scored, state), dtype=np.int64)
            self.cache.put(version, key, found, found.nbytes + 64)
        return found

    def _top(
        self, bitmap: BitMap, key: SortKey, state: FacetState, limit: int, version: Version
    ) -> list[int]:
        """:func:`_top`; for a large set, its first rows in the order of every live row by
        ``key`` (cached), read in chunks until ``limit`` rows of the set are found."""
        if not self.cache.enabled or len(bitmap) < ORDER_FROM or limit <= 0:
            return _top(bitmap, key, state, limit)
        cache_key = ("order", key.__name__)
        order: npt.NDArray[np.int64] | None = self.cache.get(version, cache_key)
        if order is None:
            rowids = _as_array(state.live)
            order = rowids[np.argsort(key(state, rowids))]
            self.cache.put(version, cache_key, order, order.nbytes + 64)
        wanted = np.zeros(len(state.newest), dtype=bool)
        wanted[_as_array(bitmap)] = True
        found: list[int] = []
        for start in range(0, len(order), ORDER_CHUNK):
            chunk = order[start : start + ORDER_CHUNK]
            found += chunk[wanted[chunk]][: limit - len(found)].tolist()
            if len(found) >= limit:
                break
        return found

    def _by_title(
        self, conn: sqlite3.Connection, final: BitMap, state: FacetState, window: int
    ) -> list[int]:
        rowids = _as_array(final)
        keys = state.title_key[rowids]
        if len(rowids) > window:
            boundary = np.partition(keys, window - 1)[window - 1]
            rowids, keys = rowids[keys <= boundary], keys[keys <= boundary]
        if len(rowids) > TITLE_SORT_REFINE:  # many titles share their first eight bytes
            return [int(r) for r in rowids[np.lexsort([rowids, keys])][:window]]
        rows = conn.execute(
            "SELECT rowid FROM docs WHERE rowid IN (SELECT value FROM json_each(?)) "
            "ORDER BY title_key, rowid",
            (json.dumps([int(r) for r in rowids]),),
        )
        return [int(r[0]) for r in rows][:window]

    def _hits(
        self, conn: sqlite3.Connection, text: TextQuery, rowids: list[int], version: Version
    ) -> list[Hit]:
        if not rowids:
            return []
        found = self._page_rows(conn, rowids, version)
        atoms = text.atoms
        hits = []
        for rowid in rowids:
            if rowid not in found:
                continue
            record_id, title, fields, summary = found[rowid]
            shown = best_snippet(fields, atoms) if atoms else summary.get("description") or ""
            hits.append(
                Hit(record_id, summary, marked_html(mark_words(title, atoms)), marked_html(shown))
            )
        return hits

    def _page_rows(
        self, conn: sqlite3.Connection, rowids: list[int], version: Version
    ) -> dict[int, PageRow]:
        """The stored text of a page's rows, from this process's row cache where kept."""
        found: dict[int, PageRow] = {}
        for rowid in rowids:
            row: PageRow | None = self.rows.get(version, rowid)
            if row is not None:
                found[rowid] = row
        missing = [rowid for rowid in rowids if rowid not in found]
        if missing:
            read = _read_rows(conn, missing)
            for rowid, row in read.items():
                self.rows.put(version, rowid, row, ROW_OVERHEAD + 2 * sum(map(len, row[2])))
            found.update(read)
        return found

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles with words starting as typed, best records first."""
        words = words_of(prefix)
        if not words or limit < 1:
            return []
        atom = Atom(tuple(words), prefix=True)
        state = self._facets()
        expression = f"{{title alt_titles}} : {fts_atom(atom)}"
        try:
            rows = (
                self._conn()
                .execute(
                    "SELECT d.rowid, d.id, d.title FROM fts JOIN docs d ON d.rowid = fts.rowid "
                    "WHERE fts MATCH ? LIMIT 200",
                    (expression,),
                )
                .fetchall()
            )
        except sqlite3.OperationalError:
            return []
        typed = " ".join(words)
        rows.sort(
            key=lambda r: (
                not title_sort_key(r[2]).startswith(typed),
                -int(state.boost[r[0]]) if r[0] < len(state.boost) else 0,
                len(r[2]),
            )
        )
        seen: set[str] = set()
        found = []
        for _rowid, record_id, title in rows:
            if title.casefold() not in seen:
                seen.add(title.casefold())
                found.append(Suggestion(record_id, title))
        return found[:limit]


def _fold_column(value: object) -> str:
    """What FTS5 indexes of a column: the text folded as queries are (any script)."""
    return fold(value) if isinstance(value, str) else ""


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _next_seq(conn: sqlite3.Connection) -> int:
    conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'seq'")
    return int(conn.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0])


def _row(doc: IndexDocument, seq: int) -> tuple[Any, ...]:
    box = doc.bbox or (None, None, None, None)
    return (
        doc.id,
        seq,
        doc.title,
        doc.alt_titles,
        doc.keywords,
        doc.description,
        doc.other,
        json.dumps(doc.facets, ensure_ascii=False, separators=(",", ":")),
        doc.year,
        doc.newest,
        *box,
        doc.boost,
        title_sort_key(doc.title),
        json.dumps(doc.summary, ensure_ascii=False, separators=(",", ":")),
    )


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


def _changed_rows(conn: sqlite3.Connection, since: int) -> Iterator[list[RowFacts]]:
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


def _match_set(conn: sqlite3.Connection, expression: str) -> BitMap:
    """Row ids matching an FTS5 expression, read in one aggregate."""
    try:
        joined = conn.execute(
            "SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?", (expression,)
        ).fetchone()[0]
    except sqlite3.OperationalError:
        return BitMap()
    if not joined:
        return BitMap()
    return bitmap_of(np.fromstring(joined, dtype=np.uint32, sep=","))


def _ranked(
    conn: sqlite3.Connection,
    expression: str,
    state: FacetState,
    window: int,
    keep: str | None = None,
) -> list[int]:
    """The first ``window`` row ids by BM25 with column weights; equal scores go to the
    richer record. ``keep`` names an SQL function saying which rows the filters let through.

    SQLite keeps only the best rows (``LIMIT``), a few more than the window; when the scores
    at the window's end still tie with the last row read, every row is read instead, so
    the tie is broken exactly as if all were sorted here.
    """
    where = f"fts MATCH ? AND {keep}(rowid)" if keep else "fts MATCH ?"
    sql = f"SELECT rowid, rank FROM fts WHERE {where} ORDER BY rank LIMIT ?"  # noqa: S608
    limit = window + RANK_SLACK
    scored = _scored(conn, sql, expression, limit)
    if len(scored) == limit and scored[-1][1] == scored[window - 1][1]:
        scored = _scored(conn, sql, expression, -1)
    return _tie_broken(scored, state)[:window]


def _scored(
    conn: sqlite3.Connection, sql: str, expression: str, *limit: int
) -> list[tuple[int, float]]:
    """(row id, BM25 score rounded to 6 places) read by ``sql``; none on a syntax error."""
    try:
        rows = conn.execute(sql, (expression, *limit)).fetchall()
    except sqlite3.OperationalError:
        return []
    return [(int(r), round(float(s), 6)) for r, s in rows]


def _tie_broken(scored: list[tuple[int, float]], state: FacetState) -> list[int]:
    """Row ids by score, equal scores to the richer record, then by row id."""
    scored = [item for item in scored if item[0] < len(state.boost)]
    scored.sort(key=lambda item: (item[1], -int(state.boost[item[0]]), item[0]))
    return [rowid for rowid, _ in scored]


Version = tuple[str, int]  # the live generation's file and its change sequence
PageRow = tuple[str, str, list[str], dict[str, Any]]  # id, title, searched texts, summary


def _read_rows(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, PageRow]:
    """What hits show of these rows, read from the index."""
    return {
        int(r[0]): (str(r[1]), str(r[2]), [str(f) for f in r[3:7]], orjson.loads(r[7]))
        for r in conn.execute(
            "SELECT rowid, id, title, description, keywords, alt_titles, other, summary "
            "FROM docs WHERE rowid IN (SELECT value FROM json_each(?))",
            (json.dumps(rowids),),
        )
    }


SortKey = Callable[[FacetState, npt.NDArray[np.int64]], npt.NDArray[np.int64]]


def _bitmap_bytes(bitmap: BitMap) -> int:
    """About the memory a bitmap holds."""
    stats = bitmap.get_statistics()
    held = stats["n_bytes_array_containers"] + stats["n_bytes_bitset_containers"]
    return int(held) + int(stats["n_bytes_run_containers"]) + 64


def _as_array(bitmap: BitMap) -> npt.NDArray[np.int64]:
    return np.frombuffer(bitmap.to_array(), dtype=np.uint32).astype(np.int64)


def newest_first(state: FacetState, rowids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """One sortable number per row: latest date first, then richer record, then row id."""
    newest = np.clip(state.newest[rowids], 0, DAY_LIMIT - 1)
    boost = np.clip(state.boost[rowids], 0, 127).astype(np.int64)
    return ((DAY_LIMIT - 1 - newest) << 38) | ((127 - boost) << 31) | rowids


def shortest_title_first(state: FacetState, rowids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """One sortable number per row: fewer title words first (as BM25 favours a match in a
    short title), then richer record, then row id."""
    words = np.clip(state.title_words[rowids], 0, 255).astype(np.int64)
    boost = np.clip(state.boost[rowids], 0, 127).astype(np.int64)
    return (words << 38) | ((127 - boost) << 31) | rowids


def richest_first(state: FacetState, rowids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """One sortable number per row: richer record first, then latest date, then row id."""
    newest = np.clip(state.newest[rowids], 0, DAY_LIMIT - 1)
    boost = np.clip(state.boost[rowids], 0, 127).astype(np.int64)
    return ((127 - boost) << 51) | ((DAY_LIMIT - 1 - newest) << 31) | rowids


def _top(bitmap: BitMap, key: SortKey, state: FacetState, limit: int) -> list[int]:
    """The first ``limit`` row ids of ``bitmap`` by a composite key (unique per row)."""
    if limit <= 0 or not bitmap:
        return []
    rowids = _as_array(bitmap)
    keys = key(state, rowids)
    if len(keys) > limit:
        keys = keys[np.argpartition(keys, limit - 1)[:limit]]
    return [int(k) & ROWID_MASK for k in np.sort(keys)]


__all__ = ["SqliteIndex", "fts_expression", "parse_text"]
