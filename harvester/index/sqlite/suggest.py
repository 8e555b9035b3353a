"""Title suggestions for what has been typed so far: titles with words starting as
typed, titles starting with it first, then richer records, then shorter titles."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from harvester.index.base import Suggestion
from harvester.index.collapse import CLUSTER_PREFIX
from harvester.index.documents import title_sort_key
from harvester.index.sqlite.facets import FacetState
from harvester.index.sqlite.matching import fts_atom
from harvester.index.text import Atom


def suggest_titles(
    conn: sqlite3.Connection, state: FacetState, words: Sequence[str], limit: int
) -> list[Suggestion]:
    """At most ``limit`` distinct titles matching ``words``, the last one as a prefix."""
    atom = Atom(tuple(words), prefix=True)
    expression = fts_atom(atom, "title alt_titles")
    try:
        rows = conn.execute(
            "SELECT d.rowid, d.id, d.title FROM fts JOIN docs d ON d.rowid = fts.rowid "
            "WHERE fts MATCH ? LIMIT 200",
            (expression,),
        ).fetchall()
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
        if record_id.startswith(CLUSTER_PREFIX):  # the cluster's listings are suggested
            continue
        if title.casefold() not in seen:
            seen.add(title.casefold())
            found.append(Suggestion(record_id, title))
    return found[:limit]
