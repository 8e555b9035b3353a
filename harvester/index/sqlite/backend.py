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
* :mod:`~harvester.index.sqlite.cache`: this process's caches of what the engine computed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from pyroaring import BitMap

from harvester.index.base import IndexStats, Insights, Progress, SearchResult, Suggestion
from harvester.index.documents import IndexDocument
from harvester.index.query import SearchQuery
from harvester.index.sqlite import writer
from harvester.index.sqlite.cache import DEFAULT_BYTES, CacheStats, Version, VersionedCache
from harvester.index.sqlite.facets import FacetState
from harvester.index.sqlite.generations import Generations
from harvester.index.sqlite.hits import ROW_ENTRIES, Pages
from harvester.index.sqlite.insights import count_insights
from harvester.index.sqlite.matching import Matcher
from harvester.index.sqlite.ordering import Orders, by_title, newest_first
from harvester.index.sqlite.ranking import KEEP, Ranker, kept
from harvester.index.sqlite.schema import FORMAT, FORMAT_OF, SEQ
from harvester.index.sqlite.state import LiveState, Selection, browse_counts
from harvester.index.sqlite.suggest import suggest_titles
from harvester.index.text import words_of


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
        self._generations = Generations(folder, {KEEP: kept})
        self._live = LiveState(self._generations)
        self._matcher = Matcher(self.cache)
        self._orders = Orders(self.cache)
        self._ranker = Ranker(self.cache, self._matcher, self._orders)
        self._pages = Pages(self.rows)

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

    def format_problem(self) -> str | None:
        """What is wrong with the live generation's format (``csfinder check``): None when
        this csfinder wrote it, else what to run."""
        found = self._generations.conn().execute(FORMAT_OF).fetchone()
        written = int(found[0]) if found else 1
        if written < FORMAT:
            return (
                f"built by an older csfinder (index format {written}, this one writes "
                f"{FORMAT}): run `csfinder reindex`"
            )
        return None

    # -- writing -------------------------------------------------------------------------

    def upsert(self, documents: Iterable[IndexDocument]) -> IndexStats:
        """Add or replace documents, in batches of one transaction each."""
        return writer.upsert(self._generations.conn(), documents)

    def delete(self, ids: Iterable[str]) -> IndexStats:
        """Mark documents deleted: their text leaves the FTS index, the row stays a tombstone."""
        return writer.delete(self._generations.conn(), ids)

    def rebuild(self, documents: Iterable[IndexDocument], progress: Progress | None = None) -> int:
        """Build a new generation from scratch and make it live in one step."""
        return writer.rebuild(self._generations, documents, progress)

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
        """The rows a query selects: matched by its text, then narrowed by its filters."""
        conn, state, version = self._reader()
        text = query.parsed
        expression, matched = self._matcher.match(conn, text, state, version)
        filters = state.filters(query)
        final = BitMap.intersection(matched, *filters.values()) if filters else matched
        return Selection(conn, state, version, expression, matched, filters, final)

    def insights(self, query: SearchQuery) -> Insights:
        """The query's selection counted by every dimension, by year and FAIR indicator."""
        selection = self._select(query)
        return count_insights(selection.state, selection.final, query)

    def search(self, query: SearchQuery) -> SearchResult:
        """One page of hits, the total and every facet's counts."""
        conn, state, version, expression, matched, filters, final = self._select(query)
        text = query.parsed
        sort = query.effective_sort
        if sort == "relevance" and not text.clauses:
            sort = "newest"
        window = query.offset + query.per_page
        if not final:
            ordered: list[int] = []
        elif sort == "relevance" and expression is not None:
            ordered = self._ranker.order(
                conn, text, expression, len(matched), final, window, state, version
            )
        elif sort == "title":
            ordered = by_title(conn, final, state, window)
        else:
            ordered = self._orders.top(final, newest_first, state, window, version)
        page = ordered[query.offset : window]
        hits = self._pages.hits(conn, text, page, version)
        if matched is state.live and self.cache.enabled:  # no words: counts of the filters
            facets = browse_counts(self.cache, state, filters, query, version)
        else:
            facets = state.counts(matched, filters, query)
        return SearchResult(len(final), hits, facets, query, sort)

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles with words starting as typed, best records first."""
        words = words_of(prefix)
        if not words or limit < 1:
            return []
        conn, state, _version = self._reader()
        return suggest_titles(conn, state, words, limit)


__all__ = ["SqliteIndex"]
