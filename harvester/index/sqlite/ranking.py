"""Relevance order: BM25 with column weights, equal scores to the richer record.

A match set small enough is scored in full (FTS5 ``ORDER BY rank``, or from the cache the
BM25 order of every match, which filters and pages then pick from). Scoring a very large
match set would cost too much: its order starts with the records matching in their
titles (shortest titles first), then in their keywords, then the rest, each by richness.
"""

from __future__ import annotations

import sqlite3
import threading

import numpy as np
import numpy.typing as npt
from pyroaring import BitMap

from harvester.index.sqlite.cache import Version, VersionedCache
from harvester.index.sqlite.facets import FacetState
from harvester.index.sqlite.matching import Matcher
from harvester.index.sqlite.ordering import Orders, as_array, richest_first, shortest_title_first
from harvester.index.text import TextQuery

RANK_ALL = 5_000  # match sets up to this size are ranked by BM25 in full
RANK_SLACK = 16  # rows read past the page, to see whether equal scores run on past it
KEEP = "csf_keep"  # the SQL function saying which rows the filters let through

_kept_rows = threading.local()  # per thread: the rows KEEP is true for


def kept(rowid: int) -> bool:
    """The SQL function :data:`KEEP` (register it on readers' connections)."""
    rows: BitMap = _kept_rows.rows
    return rowid in rows


class Ranker:
    """The first rows of a match set by relevance."""

    def __init__(self, cache: VersionedCache, matcher: Matcher, orders: Orders) -> None:
        """Keep BM25 orders in ``cache``; take column matches and orders from the others."""
        self.cache = cache
        self.matcher = matcher
        self.orders = orders

    def order(
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
        """The first ``window`` rows of ``final`` (what the filters keep of the ``matched``
        matches of ``expression``): BM25 order when the match set is small enough to
        score in full; otherwise title matches (shortest titles first), then keyword
        matches, then the rest, each by the richness of the record."""
        if matched <= RANK_ALL:
            if self.cache.enabled:
                order = self._bm25_order(conn, expression, state, version)
                if len(final) < matched:
                    order = order[np.isin(order, as_array(final), assume_unique=True)]
                return [int(r) for r in order[:window]]
            keep = _keep(final) if len(final) < matched else None
            return ranked(conn, expression, state, window, keep)
        in_titles = self.matcher.in_columns(conn, "title alt_titles", text, version) & final
        head = self.orders.top(in_titles, shortest_title_first, state, window, version)
        if len(head) < window:
            rest = final - in_titles
            in_keywords = self.matcher.in_columns(conn, "keywords", text, version) & rest
            head += self.orders.top(in_keywords, richest_first, state, window - len(head), version)
            rest -= in_keywords
            head += self.orders.top(rest, richest_first, state, window - len(head), version)
        return head[:window]

    def _bm25_order(
        self, conn: sqlite3.Connection, expression: str, state: FacetState, version: Version
    ) -> npt.NDArray[np.int64]:
        """Every match of ``expression`` in BM25 order (ties as :func:`ranked` breaks
        them), cached: filters and pages then only pick from it."""
        key = ("bm25", expression)
        found: npt.NDArray[np.int64] | None = self.cache.get(version, key)
        if found is None:
            scored = _scored(conn, "SELECT rowid, rank FROM fts WHERE fts MATCH ?", expression)
            found = np.array(_tie_broken(scored, state), dtype=np.int64)
            self.cache.put(version, key, found, found.nbytes + 64)
        return found


def ranked(
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


def _keep(rows: BitMap) -> str:
    """The SQL function (of this thread's connection) true for ``rows`` only."""
    _kept_rows.rows = rows
    return KEEP


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
