"""Insights in the JSON API: ``/api/v1/insights`` (every dimension, the FAIR profile) and
``/insights.csv?dimension=NAME`` (one dimension as ``value,label,count``), with the search's
parameters. :mod:`portal.api` routes them on its blueprint: documented in its OpenAPI
document, answering errors in its one shape, open to any origin, within its rate limit."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response, current_app, request, url_for
from flask.typing import ResponseReturnValue

from harvester.index.base import Insights
from harvester.index.insights import DIMENSIONS
from harvester.index.query import QueryError
from portal.i18n import page_language
from portal.insights.cite import provenance
from portal.insights.downloads import table_csv
from portal.insights.figures import dimension_rows, fair_rows
from portal.insights.selection import query_string, search_pairs
from portal.openapi import operations
from portal.openapi.contract import documented
from portal.params import KNOWN_PARAMS, query_from_args
from portal.services import services

INSIGHTS_PARAMS = (KNOWN_PARAMS - {"page", "per_page"}) | {"sort"}
CSV_PARAMS = INSIGHTS_PARAMS | {"dimension"}


@documented(operations.INSIGHTS)
def insights() -> ResponseReturnValue:
    """The selection the search parameters make, counted by every dimension."""
    counted = _counted(INSIGHTS_PARAMS)
    found = provenance([counted])
    pairs = search_pairs(request.args)
    body: dict[str, Any] = {
        "total": counted.total,
        "counted": "clusters",
        "records": counted.records,
        "dimensions": {
            name: [
                {"value": row["value"], "label": row["label"], "count": row["count"]}
                for row in dimension_rows(name, [counted])
            ]
            for name in DIMENSIONS
        },
        "fair": fair_rows([counted]),
        "snapshot": found.snapshot.isoformat() if found.snapshot else None,
        "sources": list(found.sources),
        "links": {
            "self": url_for(".insights") + query_string(request.args.items(multi=True)),
            "page": url_for("insights.page") + query_string(pairs),
            "search": url_for("search.page") + query_string(pairs),
        },
    }
    return current_app.response_class(orjson.dumps(body) + b"\n", mimetype="application/json")


@documented(operations.INSIGHTS_CSV)
def insights_csv() -> ResponseReturnValue:
    """One dimension of the selection as CSV: ``value,label,count``."""
    dimension = request.args.get("dimension", "")
    if dimension not in DIMENSIONS:
        raise QueryError(f"dimension must be one of {', '.join(DIMENSIONS)}, not {dimension!r}")
    counted = _counted(CSV_PARAMS)
    rows = dimension_rows(dimension, [counted])
    return Response(
        table_csv(("value", "label", "count"), rows),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="csfinder-insights-{dimension}.csv"'
        },
    )


def _counted(known: set[str] | frozenset[str]) -> Insights:
    """The selection of the request's search parameters, counted.

    Raises:
        QueryError: an unknown parameter or a value that cannot be answered.
    """
    unknown = sorted(set(request.args) - set(known))
    if unknown:
        raise QueryError(f"unknown parameter {unknown[0]!r}; known: {', '.join(sorted(known))}")
    return services().index.insights(query_from_args(request.args, ui_lang=page_language()))
