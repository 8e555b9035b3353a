"""The embedded search backend: SQLite FTS5 for text, Roaring bitmaps for facets.

:class:`SqliteIndex` offers the :class:`~harvester.index.base.SearchIndex` interface over
the parts in this package and runs one search through them:

* :mod:`~harvester.index.sqlite.schema` and :mod:`~harvester.index.sqlite.generations`:
  the tables of one generation, the folder of generations and the ``CURRENT`` pointer;
* :mod:`~harvester.index.sqlite.writer`: upserts, deletions, rebuilds, change sequence;
* :mod:`~harvester.index.sqlite.state` and :mod:`~harvester.index.sqlite.facets`: the
  facet state of the live generation, filters and counts from bitmaps in memory;
* :mod:`~harvester.index.sqlite.matching`, :mod:`~harvester.index.sqlite.ranking`,
  :mod:`~harvester.index.sqlite.ordering`, :mod:`~harvester.index.sqlite.hits` and
  :mod:`~harvester.index.sqlite.suggest`: match sets, relevance, sorting, the page's hits
  with snippets, suggestions;
* :mod:`~harvester.index.sqlite.insights`: a selection counted for insights, from the
  same bitmaps;
* :mod:`~harvester.index.sqlite.cache`: this process's caches of what the engine computed;
* :mod:`~harvester.index.sqlite.vectors`, :mod:`~harvester.index.sqlite.semantic` and
  :mod:`~harvester.index.sqlite.hybrid`: the documents' multilingual vectors and their ANN
  index, the nearest records by meaning, and their fusion with the words' order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from pathlib import Path

from pyroaring import BitMap

from harvester.enrich.encoders import Encoder
from harvester.index.base import (
    IndexStats,
    Insights,
    Matched,
    Progress,
    SearchResult,
    Suggestion,
    VectorItem,
)
from harvester.index.documents import IndexDocument
from harvester.index.fusion import LEXICAL_DEPTH
from harvester.index.query import SearchQuery
from harvester.index.sqlite import writer
from harvester.index.sqlite.cache import DEFAULT_BYTES, CacheStats, Version, VersionedCache
from harvester.index.sqlite.facets import FacetState
from harvester.index.sqlite.generations import Generations
from harvester.index.sqlite.hits import ROW_ENTRIES, Pages
from harvester.index.sqlite.hybrid import Meaning, QueryVectors, fused, meaning
from harvester.index.sqlite.insights import count_insights
from harvester.index.sqlite.matching import Matcher
from harvester.index.sqlite.ordering import Orders, by_title, newest_first
from harvester.index.sqlite.ranking import KEEP, Ranker, kept
from harvester.index.sqlite.schema import FORMAT, FORMAT_OF, SEQ
from harvester.index.sqlite.semantic import VectorReader
from harvester.index.sqlite.state import LiveState, Selection, browse_counts
from harvester.index.sqlite.suggest import suggest_titles
from harvester.index.sqlite.vectors import languages_of, roll_snapshot, should_roll, write_vectors
from harvester.index.sqlite.views import visible
from harvester.index.text import TextQuery, words_of

VECTOR_BATCH = 5_000
QUERY_VECTORS = 4_096  # query texts whose vectors a process keeps (with a cache)


class SqliteIndex:
    """The embedded search index in one folder."""

    name = "sqlite"

    def __init__(
        self, folder: Path, cache_bytes: int = DEFAULT_BYTES, encoder: Encoder | None = None
    ) -> None:
        """Open (or create) the index in ``folder``; ``cache_bytes`` bounds this process's
        cache of match sets, orders and browse counts, and half as much its cache of the
        rows hits show (0: neither, every search asks FTS5 and reads its rows);
        ``encoder`` encodes queries to match records by meaning (None: by words only)."""
        self.folder = folder
        self._vectors = VectorReader(folder)
        self.cache = VersionedCache(cache_bytes)
        self.rows = VersionedCache(cache_bytes // 2, ROW_ENTRIES if cache_bytes else 0)
        self._generations = Generations(folder, {KEEP: kept})
        self._live = LiveState(self._generations)
        self._matcher = Matcher(self.cache)
        self._orders = Orders(self.cache)
        self._ranker = Ranker(self.cache, self._matcher, self._orders)
        self._pages = Pages(self.rows)
        self._queries: QueryVectors | None = None
        self.encoder = encoder

    @property
    def encoder(self) -> Encoder | None:
        """The encoder of queries (None: search by words only)."""
        return self._queries.encoder if self._queries is not None else None

    @encoder.setter
    def encoder(self, encoder: Encoder | None) -> None:
        size = QUERY_VECTORS if self.cache.enabled else 0
        self._queries = QueryVectors(encoder, size) if encoder is not None else None

    def close(self) -> None:
        """Close this thread's connection."""
        self._generations.close()

    def ping(self) -> bool:
        """True when the live generation can be read."""
        try:
            self._generations.conn().execute(SEQ).fetchone()
        except (sqlite3.Error, OSError):
            return False
        return True

    # -- writing -------------------------------------------------------------------------

    def upsert(self, documents: Iterable[IndexDocument]) -> IndexStats:
        """Add or replace documents, in batches of one transaction each."""
        return writer.upsert(self._generations.conn(), documents)

    def delete(self, ids: Iterable[str]) -> IndexStats:
        """Mark documents deleted: their text leaves the FTS index, the row stays a tombstone."""
        return writer.delete(self._generations.conn(), ids)

    def rebuild(
        self,
        documents: Iterable[IndexDocument],
        progress: Progress | None = None,
        vectors: Iterable[VectorItem] = (),
    ) -> int:
        """Build a new generation from scratch, with its vectors and their ANN index, and
        make it live in one step."""

        def add_vectors(conn: sqlite3.Connection, name: str) -> None:
            items = iter(vectors)
            written = 0
            while batch := list(islice(items, VECTOR_BATCH)):
                written += write_vectors(conn, batch)
            if written:
                roll_snapshot(conn, self.folder, name, threads=2)

        return writer.rebuild(self._generations, documents, progress, add_vectors)

    def set_vectors(self, items: Sequence[VectorItem]) -> int:
        """Give live documents their vectors; extend the ANN snapshot once enough wait."""
        conn = self._generations.conn()
        written = write_vectors(conn, items)
        current = self._generations.current()
        if written and should_roll(conn, self.folder, current):
            roll_snapshot(conn, self.folder, current, threads=1)  # beside searches and writers
        return written

    def format_problem(self) -> str | None:
        """What keeps the live generation from being searched and counted as this csfinder
        does (``csfinder check``): None when this csfinder's format wrote it, else what to
        run."""
        conn = self._generations.conn()
        columns = {r[1] for r in conn.execute("PRAGMA table_info(docs)")}
        if "stems" not in columns:
            return "built by an older csfinder (no stems by language): run `csfinder reindex`"
        found = conn.execute(FORMAT_OF).fetchone()
        written = int(found[0]) if found else 1
        if written < FORMAT:
            return (
                f"built by an older csfinder (index format {written}, this one writes "
                f"{FORMAT}): run `csfinder reindex`"
            )
        return None

    def semantic_ready(self) -> bool:
        """True with an encoder and vectors in the live generation."""
        return self.encoder is not None and self._vectors.available(self._generations.conn())

    # -- reading -------------------------------------------------------------------------

    def count(self) -> int:
        """Live documents."""
        return len(self._reader()[1].live)

    def cache_stats(self) -> tuple[CacheStats, CacheStats]:
        """Hits and misses of this process's caches: of match sets, orders and browse
        counts; of the rows hits show."""
        return self.cache.stats(), self.rows.stats()

    def _reader(self) -> tuple[sqlite3.Connection, FacetState, Version]:
        """This thread's connection, the facet state brought up to date, and the version
        they show (generation and change sequence: the key of every cached result)."""
        current = self._generations.current()
        conn = self._generations.conn(current)
        state = self._live.of(conn, current)
        return conn, state, (current, state.seq)

    def _select(self, query: SearchQuery) -> Selection:
        """The rows a query selects, shared by search and insights: matched by its words,
        and by meaning unless it asks for words only, in the view it asks for (collapsed
        or not), narrowed by its filters; the excluded words are read once for both."""
        conn, state, version = self._reader()
        text = query.parsed
        allowed = self._matcher.allowed(conn, text, state, version)
        expression, matched = self._matcher.match(conn, text, allowed, version)
        browsing, every_match = matched is state.live, len(matched)
        shown = visible(state, query.collapse)
        if shown is not state.live:  # collapsed: only what the view shows
            matched = matched & shown
        filters = state.filters(query)
        lexical = BitMap.intersection(matched, *filters.values()) if filters else matched
        found = self._meaning(conn, query, text, state, version, filters, allowed, shown)
        mode = (query.mode or "hybrid") if found is not None else "lexical"
        final, base = lexical, matched
        if found is not None:
            final = found.rows if mode == "semantic" else lexical | found.rows
            base = found.unfiltered if mode == "semantic" else matched | found.unfiltered
        return Selection(
            conn, state, version, expression, browsing, every_match, shown, filters,
            lexical, found, mode, final, base,
        )  # fmt: skip

    def insights(self, query: SearchQuery) -> Insights:
        """The query's selection counted by every dimension, by year and FAIR indicator:
        the rows its search counts in its total."""
        selection = self._select(query)
        return count_insights(selection.state, selection.final, query)

    def search(self, query: SearchQuery) -> SearchResult:
        """One page of hits, the total and every facet's counts: by words, by meaning, or
        both fused (``query.mode``; hybrid by default where vectors exist)."""
        selected = self._select(query)
        conn, state, version, expression, browsing, every_match = selected[:6]
        filters, lexical, found, mode, final = selected[7:12]
        text = query.parsed
        sort = query.effective_sort
        if sort == "relevance" and not text.clauses:
            sort = "newest"
        window = query.offset + query.per_page
        if not final:
            ordered: list[int] = []
        elif sort == "relevance" and found is not None and mode == "semantic":
            ordered = [n.rowid for n in found.near][:window]
        elif sort == "relevance" and expression is not None:
            depth = window if found is None else max(window, LEXICAL_DEPTH)
            ordered = (
                self._ranker.order(
                    conn, text, expression, every_match, lexical, depth, state, version
                )
                if lexical
                else []
            )
            if found is not None:
                ordered = fused(ordered, found, window)
        elif sort == "title":
            ordered = by_title(conn, final, state, window)
        else:
            ordered = self._orders.top(final, newest_first, state, window, version)
        page = ordered[query.offset : window]
        why = None if found is None else _reasons(conn, page, lexical, found)
        hits = self._pages.hits(conn, text, page, version, why)
        if browsing and found is None and self.cache.enabled:  # no words: the filters' counts
            facets = browse_counts(self.cache, state, filters, query, version, selected.shown)
        else:
            facets = state.counts(selected.base, filters, query)
        return SearchResult(len(final), hits, facets, query, sort, mode)

    def _meaning(
        self,
        conn: sqlite3.Connection,
        query: SearchQuery,
        text: TextQuery,
        state: FacetState,
        version: Version,
        filters: dict[str, BitMap],
        allowed: BitMap,
        shown: BitMap,
    ) -> Meaning | None:
        """The semantic matches among the ``allowed`` rows (live, no excluded word) that
        the view ``shown`` holds, unless the query asks for words only, has no words, or
        there is no encoder or no vector."""
        if query.mode == "lexical" or self._queries is None or not text.clauses:
            return None
        if not self._vectors.available(conn):
            return None
        if shown is not state.live:  # collapsed: only what the view shows
            allowed = allowed & shown
        filtered = BitMap.intersection(allowed, *filters.values()) if filters else allowed
        return meaning(
            self._vectors, self._queries, conn, version[0], state, query.text, allowed, filtered
        )

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles with words starting as typed, best records first."""
        words = words_of(prefix)
        if not words or limit < 1:
            return []
        conn, state, _version = self._reader()
        return suggest_titles(conn, state, words, limit)


def _reasons(
    conn: sqlite3.Connection, page: list[int], lexical: BitMap, found: Meaning
) -> Callable[[int], tuple[Matched, str | None]]:
    """Why each row of the page came: by its words, its meaning (in which language) or both."""
    near = found.similarity
    languages = languages_of(conn, [rowid for rowid in page if rowid in near])

    def why(rowid: int) -> tuple[Matched, str | None]:
        if rowid not in near:
            return "words", None
        versions = languages.get(rowid, [])
        version = near[rowid].version
        language = versions[version] if version < len(versions) and versions[version] else None
        return ("both" if rowid in lexical else "meaning"), language

    return why


__all__ = ["SqliteIndex"]
