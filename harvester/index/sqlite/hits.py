"""The hits of a page: each row's stored text, read once and kept in this process's row
cache, shown with the query's words marked in the title and in the best snippet."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

import orjson

from harvester.index.base import Hit, Matched
from harvester.index.collapse import hit_record_id
from harvester.index.highlight import best_snippet, mark_words, marked_html
from harvester.index.sqlite.cache import Version, VersionedCache
from harvester.index.text import TextQuery

ROW_ENTRIES = 20_000  # rows of hit pages kept per process
ROW_OVERHEAD = 2_048  # bytes a kept row costs besides its text (its summary, mostly)

PageRow = tuple[str, str, list[str], dict[str, Any]]  # id, title, searched texts, summary
Why = Callable[[int], tuple[Matched, str | None]]  # a row's reason to be a hit, and language


class Pages:
    """Hits for the rows of a page, their text read through the row cache."""

    def __init__(self, rows: VersionedCache) -> None:
        """Keep the rows hits show in ``rows`` (when it is enabled)."""
        self.rows = rows

    def hits(
        self,
        conn: sqlite3.Connection,
        text: TextQuery,
        rowids: list[int],
        version: Version,
        why: Why | None = None,
    ) -> list[Hit]:
        """One hit per row id still in the index, in the order given; ``why`` says how
        each came (by words when not given)."""
        if not rowids:
            return []
        found = self._page_rows(conn, rowids, version)
        atoms = text.atoms
        hits = []
        for rowid in rowids:
            if rowid not in found:
                continue
            record_id, title, fields, summary = found[rowid]
            langs = text.languages
            shown = best_snippet(fields, atoms, langs) if atoms else summary.get("description")
            title_html = marked_html(mark_words(title, atoms, langs))
            matched, language = why(rowid) if why is not None else ("words", None)
            snippet = marked_html(shown or "")
            hit_id = hit_record_id(record_id, summary)
            hits.append(Hit(hit_id, summary, title_html, snippet, matched, language))
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
