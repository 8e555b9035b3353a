"""Match sets: which rows a parsed text query matches, as a bitmap.

The text becomes an FTS5 expression of quoted atoms only, so no user syntax reaches FTS5.
Without a cache, FTS5 evaluates the positive words and the excluded ones as two
expressions, each read in one aggregate (the excluded rows also bound the matches by
meaning); with one, each atom's match set is read once and kept, and a query combines
them with set operations as FTS5 would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import numpy as np
from pyroaring import BitMap

from harvester.index.sqlite.cache import Version, VersionedCache
from harvester.index.sqlite.facets import FacetState, bitmap_of
from harvester.index.sqlite.schema import EXACT_COLUMNS
from harvester.index.text import Atom, TextQuery


def fts_atom(atom: Atom, columns: str | None = None) -> str:
    """An atom as FTS5 syntax: always quoted strings, so no user syntax reaches FTS5; the
    words as written in the exact columns, or any of its stems among the stems. Within
    ``columns`` (a few of the exact ones), the words only: the stems column lies outside
    them, so its stems could match nothing there, and FTS5 would still read them."""
    words = '"' + " ".join(atom.words) + '"' + ("*" if atom.prefix else "")
    exact = f"{{{columns or EXACT_COLUMNS}}} : {words}"
    if not atom.stems or columns is not None:
        return exact
    return "(" + " OR ".join([exact, *(f'stems : "{stem}"' for stem in atom.stems)]) + ")"


def fts_expression(clauses: Sequence[Sequence[Atom]], columns: str | None = None) -> str:
    """AND of clauses, each an OR of atoms (within ``columns``, see :func:`fts_atom`)."""
    return " AND ".join(
        "(" + " OR ".join(fts_atom(a, columns) for a in clause) + ")" for clause in clauses
    )


def match_set(conn: sqlite3.Connection, expression: str) -> BitMap:
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


class Matcher:
    """Match sets of text queries, from this process's cache where it holds them."""

    def __init__(self, cache: VersionedCache) -> None:
        """Keep match sets in ``cache`` (when it is enabled)."""
        self.cache = cache

    def allowed(
        self, conn: sqlite3.Connection, text: TextQuery, state: FacetState, version: Version
    ) -> BitMap:
        """The live rows the text's excluded words leave (all live rows without any): what
        its words may match, and a search by meaning may return."""
        if not text.excluded:
            return state.live
        return state.live - self._excluded_rows(conn, text.excluded, version)

    def match(
        self, conn: sqlite3.Connection, text: TextQuery, allowed: BitMap, version: Version
    ) -> tuple[str | None, BitMap]:
        """The FTS5 expression of the text (None without positive words) and its matches
        among the ``allowed`` rows (all of them when the text has no positive words)."""
        if not text.clauses:
            return None, allowed
        expression = fts_expression(text.clauses)
        if self.cache.enabled:
            positive = self._clauses_rows(conn, text.clauses, None, version)
        else:  # one aggregate of FTS5's rows for the positive words
            positive = match_set(conn, expression)
        if text.excluded:
            expression = f"({expression}) NOT ({fts_expression([text.excluded])})"
        return expression, positive & allowed

    def _excluded_rows(
        self, conn: sqlite3.Connection, excluded: Sequence[Atom], version: Version
    ) -> BitMap:
        """Rows any excluded word, phrase or prefix matches."""
        if self.cache.enabled:
            return self._clauses_rows(conn, [excluded], None, version)
        return match_set(conn, fts_expression([excluded]))

    def in_columns(
        self,
        conn: sqlite3.Connection,
        columns: str,
        text: TextQuery,
        version: Version,
    ) -> BitMap:
        """Rows matching the positive clauses within ``columns``."""
        if self.cache.enabled:
            return self._clauses_rows(conn, text.clauses, columns, version)
        return match_set(conn, fts_expression(text.clauses, columns))

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
            found = match_set(conn, fts_atom(atom, columns))
            self.cache.put(version, key, found, _bitmap_bytes(found))
        return found


def _bitmap_bytes(bitmap: BitMap) -> int:
    """About the memory a bitmap holds."""
    stats = bitmap.get_statistics()
    held = stats["n_bytes_array_containers"] + stats["n_bytes_bitset_containers"]
    return int(held) + int(stats["n_bytes_run_containers"]) + 64
