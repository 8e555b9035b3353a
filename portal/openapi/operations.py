"""What the API offers, as data: its operations, tags, error answers and the document's
information. The views carry these operations (:func:`portal.openapi.contract.documented`).
"""

from __future__ import annotations

from typing import Any

from portal.exports import COLUMNS
from portal.limits import (
    MAX_BODY_BYTES,
    MAX_HEADER_FIELD_BYTES,
    MAX_HEADER_FIELDS,
    MAX_REQUEST_LINE,
)
from portal.openapi.answers import (
    CsvFile,
    Export,
    ExportHeaders,
    InsightsResult,
    OpenApiDocument,
    RecordHeaders,
    RecordJsonLd,
    Runs,
    SearchResult,
    Sources,
    Suggestions,
)
from portal.openapi.contract import JSON, Answer, Operation
from portal.openapi.parameters import (
    ExportParameters,
    InsightsCsvParameters,
    InsightsParameters,
    RecordPath,
    RunsParameters,
    SearchParameters,
    SourcePath,
    SuggestParameters,
)
from portal.openapi.record import RECORD_IN_CLUSTER

INFO: dict[str, Any] = {
    "title": "csfinder API",
    "version": "1.0.0",
    "summary": "Search citizen-science projects and datasets harvested from many platforms.",
    "description": "Read-only JSON API of the csfinder portal: the same search as the "
    "portal's pages (same parameters), records in the common model, sources and their "
    "harvest runs, and exports. Every error answers with the `Error` shape. Any origin "
    "may call it (CORS). No answer carries a person's e-mail address.",
    "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
}
TAGS: tuple[tuple[str, str], ...] = (
    ("search", "Search and suggestions."),
    ("insights", "A search's selection counted: dimensions, years, FAIR profile."),
    ("records", "Records in the common model."),
    ("sources", "Harvested sources and their runs."),
    ("exports", "A search's results as files."),
    ("meta", "This document."),
)
ERROR_ANSWERS: dict[int | str, tuple[str, str]] = {
    400: (
        "BadParameter",
        "A parameter the document does not allow (an unknown one, a value outside its "
        "schema, an empty value, years out of order, ...); the message says which and why.",
    ),
    404: ("NotFound", "No such record or source."),
    405: ("MethodNotAllowed", "The path does not take this method; `Allow` names those it does."),
    413: (
        "PayloadTooLarge",
        f"The request carries a body over {MAX_BODY_BYTES:,} bytes (the API takes none).",
    ),
    414: (
        "UriTooLong",
        f"The request line is over {MAX_REQUEST_LINE:,} bytes (path and query string together).",
    ),
    429: (
        "TooManyRequests",
        "This client address spent its budget (the portal's `api_limit`, shared by the whole "
        "API and the exports); try again after `Retry-After` seconds.",
    ),
    431: (
        "HeadersTooLarge",
        f"Over {MAX_HEADER_FIELDS} header fields, or one over {MAX_HEADER_FIELD_BYTES:,} bytes.",
    ),
    "default": ("Error", "Any other error (a server error, 500), in the same shape."),
}
"""Status to (component name, description); every error has the ``Error`` body."""
EVERY_OPERATION = (400, 405, 413, 414, 429, 431)
"""Errors every operation may answer: a parameter it does not take, a wrong method, a
request over the size limits, a spent rate limit."""
RATE_LIMITED = 429
"""The API and the exports share one limit per address."""
RETRY_AFTER: dict[str, Any] = {
    "Retry-After": {
        "description": "Seconds until this client address may ask again.",
        "schema": {"type": "integer", "minimum": 1},
    }
}

SEARCH = Operation(
    operation_id="search",
    tag="search",
    summary="Search records",
    description="The search page's parameters, as JSON: one page of hits, the total, every "
    "facet's counts, and links to other pages. Unknown parameters are refused (400).",
    query=SearchParameters,
    answer=Answer("One page of results.", {JSON: SearchResult}),
    errors=(400,),
)
SUGGEST = Operation(
    operation_id="suggest",
    tag="search",
    summary="Title suggestions",
    description="Titles with a word starting as typed, best records first.",
    query=SuggestParameters,
    answer=Answer("Suggested titles.", {JSON: Suggestions}),
    errors=(400,),
)
GET_RECORD = Operation(
    operation_id="getRecord",
    tag="records",
    summary="One record",
    description="The record in the common model (`mappings/record.schema.json`) with its "
    "`cluster_id` and the ids of every record in its cluster (`listings`: the same project "
    "or dataset on several platforms); with `Accept: application/ld+json`, its schema.org "
    "description.",
    path=RecordPath,
    answer=Answer(
        "The record.",
        {JSON: RECORD_IN_CLUSTER, "application/ld+json": RecordJsonLd},
        headers=RecordHeaders,
    ),
    errors=(404,),
)
LIST_SOURCES = Operation(
    operation_id="listSources",
    tag="sources",
    summary="Every source",
    description="Each source with its platform, protocol, last run, record counts and mean "
    "quality score.",
    answer=Answer("The sources.", {JSON: Sources}),
)
LIST_SOURCE_RUNS = Operation(
    operation_id="listSourceRuns",
    tag="sources",
    summary="A source's harvest runs",
    description="Newest first, each with its counts and error samples.",
    path=SourcePath,
    query=RunsParameters,
    answer=Answer("The runs.", {JSON: Runs}),
    errors=(400, 404),
)
OPENAPI = Operation(
    operation_id="openapi",
    tag="meta",
    summary="This document",
    answer=Answer("OpenAPI 3.1.", {JSON: OpenApiDocument}),
)
EXPORT_CSV = Operation(
    operation_id="exportCsv",
    tag="exports",
    summary="Export a search as CSV",
    description="Every result of the search (the search page's parameters; paging is "
    "ignored), streamed, at most X-Export-Limit rows. Columns: "
    f"{', '.join(COLUMNS)}. Lists are joined with `; `; UTF-8 with a byte order mark; a cell "
    "that starts with = + - @ is prefixed with an apostrophe.",
    query=ExportParameters,
    answer=Answer("The CSV file.", {"text/csv": CsvFile}, headers=ExportHeaders),
    errors=(400,),
)
EXPORT_JSON = Operation(
    operation_id="exportJson",
    tag="exports",
    summary="Export a search as JSON",
    description="Every result of the search (paging ignored), streamed as one JSON document "
    "with the limit, the total and whether it was truncated.",
    query=ExportParameters,
    answer=Answer("The JSON document.", {JSON: Export}, headers=ExportHeaders),
    errors=(400,),
)
INSIGHTS = Operation(
    operation_id="insights",
    tag="insights",
    summary="Count a search's selection",
    description="The search page's parameters but paging: the selection's total, each "
    "dimension's values with their names and counts (countries, fields of science, SDGs, "
    "status, participation, platforms, kinds, policy fields, funders, years started, active "
    "and ended, and every other facet) and the FAIR profile. Unknown parameters are "
    "refused (400).",
    query=InsightsParameters,
    answer=Answer("The selection counted.", {JSON: InsightsResult}),
    errors=(400,),
)
INSIGHTS_CSV = Operation(
    operation_id="insightsCsv",
    tag="insights",
    summary="One dimension of a selection as CSV",
    description="Columns `value,label,count`, one row per value (as in the JSON answer); "
    "UTF-8 with a byte order mark; a cell that starts with = + - @ is prefixed with an "
    "apostrophe.",
    query=InsightsCsvParameters,
    answer=Answer("The CSV file.", {"text/csv": CsvFile}),
    errors=(400,),
)
