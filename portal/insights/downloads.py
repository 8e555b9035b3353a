"""A figure as a file: its table as CSV (UTF-8 with a byte order mark, formulas defused),
its table and citation as JSON, its chart as a standalone SVG."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from flask import Response, current_app

from portal.exports import csv_cell
from portal.insights.cite import Provenance, about
from portal.insights.page import FigureView
from portal.insights.svg import document

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "svg": "image/svg+xml",
}


def table_csv(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
    """A table as CSV: the column keys as header, one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    return "\ufeff" + buffer.getvalue()


def figure_json(
    view: FigureView, selections: Sequence[Mapping[str, Any]], found: Provenance
) -> dict[str, Any]:
    """What the JSON download of a figure holds."""
    return {
        "figure": view.figure.id,
        "title": view.title,
        "selections": list(selections),
        "columns": list(view.table.columns),
        "rows": view.table.rows,
        "permalink": view.permalink,
        "citation": view.citation,
        **about(found, datetime.now(UTC).replace(microsecond=0)),
    }


def download(
    view: FigureView, ext: str, selections: Sequence[Mapping[str, Any]], found: Provenance
) -> Response:
    """The response carrying a figure as a file of type ``ext`` (csv, json, svg)."""
    if ext == "csv":
        body: str | bytes = table_csv(view.table.columns, view.table.rows)
    elif ext == "json":
        body = orjson.dumps(figure_json(view, selections, found), option=orjson.OPT_INDENT_2)
    else:
        body = document(view.drawings)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    name = f"csfinder-{view.figure.id}-{stamp}.{ext}"
    return current_app.response_class(
        body,
        content_type=MEDIA[ext],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
