"""Exports of a search: every result as CSV or JSON, streamed page by page up to a limit.

The rows come from the index's summaries, one page of :data:`EXPORT_PAGE` hits at a time,
so memory stays flat however many rows are sent. At most ``limit`` rows are written; the
limit can never exceed the index's paging window (:data:`MAX_WINDOW`). Whether the export
is cut short is known before the first byte (the first page carries the total), so it is
sent as a header as well as inside the JSON document.

Cells are plain text (the summaries, never the highlighted HTML). A CSV cell that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from harvester.index.base import Hit, SearchIndex, SearchResult
from harvester.index.query import MAX_WINDOW, SearchQuery

EXPORT_PAGE = 100
COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "kind",
    "platform",
    "source",
    "countries",
    "languages",
    "start_date",
    "end_date",
    "date_modified",
    "status",
    "license",
    "url",
    "record_page",
    "cluster_id",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
CONTROL = re.compile(r"[\x00-\x1f\x7f]+")

RecordUrl = Callable[[str], str]


@dataclass(frozen=True)
class ExportPlan:
    """What an export will send: the query, the total found, the limit, the first page."""

    query: SearchQuery
    total: int
    limit: int
    first: SearchResult

    @property
    def rows(self) -> int:
        """How many rows the export sends."""
        return min(self.total, self.limit)

    @property
    def truncated(self) -> bool:
        """True when the search found more records than the export may send."""
        return self.total > self.limit


def plan_export(index: SearchIndex, query: SearchQuery, limit: int) -> ExportPlan:
    """Run the first page of an export (its paging is ignored) and say what will be sent.

    Args:
        index: the search index.
        query: the search; its page and per_page are replaced.
        limit: the most rows to send; clamped to 0..MAX_WINDOW.
    """
    limit = max(0, min(int(limit), MAX_WINDOW))
    first_query = replace(query, page=1, per_page=EXPORT_PAGE, collapse=False)  # every record
    first = index.search(first_query)
    return ExportPlan(query=first_query, total=first.total, limit=limit, first=first)


def iter_hits(index: SearchIndex, plan: ExportPlan) -> Iterator[Hit]:
    """Every hit of the export, in the search's order, at most ``plan.limit`` of them.

    A record listed twice (the index changed between two pages) is sent once.
    """
    result = plan.first
    page = 1
    sent = 0
    seen: set[str] = set()
    while True:
        for hit in result.hits:
            if sent >= plan.limit:
                return
            if hit.id in seen:
                continue
            seen.add(hit.id)
            sent += 1
            yield hit
        if len(result.hits) < EXPORT_PAGE or page * EXPORT_PAGE >= plan.limit:
            return
        page += 1
        result = index.search(replace(plan.query, page=page))


def export_row(hit: Hit, record_url: RecordUrl) -> dict[str, Any]:
    """One exported record: the :data:`COLUMNS`, plain values (lists stay lists)."""
    summary: Mapping[str, Any] = hit.summary
    return {
        "id": hit.id,
        "title": summary.get("title"),
        "kind": summary.get("kind"),
        "platform": summary.get("platform"),
        "source": summary.get("source_id"),
        "countries": list(summary.get("countries") or []),
        "languages": list(summary.get("languages") or []),
        "start_date": summary.get("start_date"),
        "end_date": summary.get("end_date"),
        "date_modified": summary.get("date_modified"),
        "status": summary.get("status"),
        "license": summary.get("license"),
        "url": summary.get("url"),
        "record_page": record_url(hit.id),
        "cluster_id": summary.get("cluster_id"),
    }


def csv_cell(value: Any) -> str:
    """A value as a CSV cell: lists joined, whitespace folded, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        text = LIST_SEPARATOR.join(str(item) for item in value)
    else:
        text = str(value)
    text = " ".join(CONTROL.sub(" ", text).split())
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_lines(rows: Iterator[Mapping[str, Any]], *, bom: bool = True) -> Iterator[str]:
    """A CSV document (RFC 4180, CRLF), the header first, one line per row.

    A UTF-8 byte order mark is sent first when ``bom`` (spreadsheets need it to read
    UTF-8 titles right).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(COLUMNS)
    yield ("\ufeff" if bom else "") + flush()
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in COLUMNS])
        yield flush()


def json_chunks(
    plan: ExportPlan, rows: Iterator[Mapping[str, Any]], about: Mapping[str, Any]
) -> Iterator[str]:
    """A JSON document ``{..about, limit, total, truncated, records: [...]}``, record by record."""
    head = {**about, "limit": plan.limit, "total": plan.total, "truncated": plan.truncated}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "records": ['
    first = True
    for row in rows:
        yield ("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]}\n"
