"""The OpenAPI 3.1 document of the JSON API and the exports, served at /api/v1/openapi.json.

Built from the same constants the query validation uses (facets, sorts, kinds, access
rights, paging limits), so the document and the code cannot drift apart. The record
schema is ``mappings/record.schema.json`` itself: its ``$defs`` become components.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from harvester.index.query import (
    ACCESS,
    FACETS,
    KINDS,
    MAX_PER_PAGE,
    MAX_VALUES_PER_FACET,
    MAX_WINDOW,
    SORTS,
)

RECORD_SCHEMA_PATH = Path(__file__).resolve().parents[1] / "mappings" / "record.schema.json"
RUN_STATUSES = ("running", "succeeded", "failed", "stalled")
RUN_COUNTS = ("seen", "added", "updated", "unchanged", "deleted", "failed")
PROTOCOLS = ("oai-pmh", "json-api", "sitemap-jsonld")
EXPORT_COLUMNS_DOC = (
    "id, title, kind, platform, source, countries, languages, start_date, end_date, "
    "date_modified, status, license, url, record_page"
)
# What the query validation accepts, as JSON Schema (ECMA-262 regular expressions).
TWO_LETTERS = "^[A-Za-z]{2}$"
YEAR = "^[0-9]{1,4}$"
LONGITUDE = {"type": "number", "minimum": -180, "maximum": 180}
LATITUDE = {"type": "number", "minimum": -90, "maximum": 90}
RECORD_ID = "^[a-z0-9][a-z0-9_-]{0,63}:[0-9a-f]{16}$"
SOURCE_ID = "^[a-z0-9][a-z0-9_-]{0,63}$"

FACET_DOCS: dict[str, tuple[str, dict[str, Any]]] = {
    "kind": ("What the record describes.", {"type": "string", "enum": sorted(KINDS)}),
    "country": (
        "Country concerned, ISO 3166-1 alpha-2 (any case).",
        {"type": "string", "pattern": TWO_LETTERS},
    ),
    "language": (
        "Language of the record, ISO 639-1 (any case).",
        {"type": "string", "pattern": TWO_LETTERS},
    ),
    "topic": ("Field of science, a code such as `1.6`.", {"type": "string"}),
    "sdg": (
        "UN Sustainable Development Goal, 1 to 17.",
        {"type": "integer", "minimum": 1, "maximum": 17},
    ),
    "status": ("Activity status, a PPSR Core term such as `Active`.", {"type": "string"}),
    "license": ("Licence: an SPDX id such as `CC-BY-4.0`, or `other`.", {"type": "string"}),
    "access": ("Access rights.", {"type": "string", "enum": sorted(ACCESS)}),
    "platform": ("Platform the record was harvested from.", {"type": "string"}),
    "source": ("Source id (see /api/v1/sources).", {"type": "string"}),
    "has_pid": (
        "Whether the record has a persistent identifier (DOI, Handle, ...).",
        {"type": "string", "enum": ["true", "false"]},
    ),
    "year": ("Year of the record's first known date.", {"type": "string", "pattern": YEAR}),
}


def _parameter(name: str, description: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": schema, **extra}


def _search_parameters(*, paging: bool) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        _parameter(
            "q",
            'Free text: words, "quoted phrases", prefix* and -excluded words.',
            {"type": "string"},
        ),
        _parameter(
            "sort",
            "Order of the results; relevance with text, newest without, when not given.",
            {"type": "string", "enum": list(SORTS)},
        ),
    ]
    if paging:
        params += [
            _parameter(
                "page",
                f"Page number; page × per_page may not exceed {MAX_WINDOW:,}.",
                {"type": "integer", "minimum": 1, "default": 1},
            ),
            _parameter(
                "per_page",
                "Hits per page.",
                {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
            ),
        ]
    for facet in FACETS:
        description, item = FACET_DOCS[facet]
        params.append(
            _parameter(
                facet,
                f"{description} Repeat for several values (OR); different filters combine "
                "with AND. Empty values are ignored.",
                {"type": "array", "items": item, "maxItems": MAX_VALUES_PER_FACET},
                style="form",
                explode=True,
            )
        )
    params += [
        _parameter(
            "year_from",
            "Only records whose year is this or later (not after year_to).",
            {"type": "integer", "minimum": 0, "maximum": 9999},
        ),
        _parameter(
            "year_to",
            "Only records whose year is this or earlier.",
            {"type": "integer", "minimum": 0, "maximum": 9999},
        ),
        _parameter(
            "bbox",
            "Only records located in this box: west,south,east,north in degrees "
            "(longitudes -180..180, latitudes -90..90, south not above north; "
            "west > east crosses the antimeridian).",
            {
                "type": "array",
                "prefixItems": [LONGITUDE, LATITUDE, LONGITUDE, LATITUDE],
                "items": False,
                "minItems": 4,
                "maxItems": 4,
            },
            style="form",
            explode=False,
        ),
    ]
    return params


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
        **extra,
    }


def _error(description: str) -> dict[str, Any]:
    return {"$ref": "#/components/responses/" + description}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


STRING = {"type": "string"}
TEXT_OR_NULL = _nullable(STRING)
COUNT = {"type": "integer", "minimum": 0}


def _schemas() -> dict[str, Any]:
    facet_count = {
        "type": "object",
        "required": ["value", "count", "selected"],
        "properties": {
            "value": STRING,
            "count": COUNT,
            "selected": {"type": "boolean", "description": "One of the active filters."},
        },
    }
    hit = {
        "type": "object",
        "description": "One result: a summary of the record, and its title and a snippet as "
        "HTML (text escaped, matched words in <mark>).",
        "required": ["id", "title_html", "snippet_html"],
        "properties": {
            "id": {"type": "string"},
            "title_html": STRING,
            "snippet_html": STRING,
            "title": TEXT_OR_NULL,
            "kind": _nullable({"type": "string", "enum": sorted(KINDS)}),
            "description": _nullable(
                {"type": "string", "description": "Plain text, shortened to about 300 characters."}
            ),
            "countries": {"type": "array", "items": STRING},
            "languages": {"type": "array", "items": STRING},
            "start_date": TEXT_OR_NULL,
            "end_date": TEXT_OR_NULL,
            "date_modified": TEXT_OR_NULL,
            "status": TEXT_OR_NULL,
            "url": TEXT_OR_NULL,
            "license": TEXT_OR_NULL,
            "platform": TEXT_OR_NULL,
            "source_id": TEXT_OR_NULL,
            "source_name": TEXT_OR_NULL,
            "score": _nullable({"type": "number"}),
        },
    }
    link = _nullable({"type": "string", "format": "uri-reference"})
    search_result = {
        "type": "object",
        "required": ["total", "page", "per_page", "sort", "hits", "facets", "links"],
        "properties": {
            "total": {**COUNT, "description": "Records found (all of them, not one page)."},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "sort": {"type": "string", "enum": list(SORTS)},
            "hits": {"type": "array", "items": _ref("Hit"), "maxItems": MAX_PER_PAGE},
            "facets": {
                "type": "object",
                "description": "Counts of each facet's values among the results.",
                "properties": {
                    facet: {"type": "array", "items": _ref("FacetCount")} for facet in FACETS
                },
                "additionalProperties": {"type": "array", "items": _ref("FacetCount")},
            },
            "links": {
                "type": "object",
                "required": ["self", "first", "prev", "next"],
                "properties": {"self": link, "first": link, "prev": link, "next": link},
            },
        },
    }
    run = {
        "type": "object",
        "required": ["id", "source", "status", "mode", "started_at", "counts"],
        "properties": {
            "id": {"type": "integer"},
            "source": STRING,
            "status": {"type": "string", "enum": list(RUN_STATUSES)},
            "mode": {"type": "string", "description": "full or incremental."},
            "started_at": {"type": "string", "format": "date-time"},
            "ended_at": _nullable({"type": "string", "format": "date-time"}),
            "heartbeat_at": {"type": "string", "format": "date-time"},
            "from_date": TEXT_OR_NULL,
            "response_date": TEXT_OR_NULL,
            "resumed_run_id": _nullable({"type": "integer"}),
            "counts": {
                "type": "object",
                "required": list(RUN_COUNTS),
                "properties": dict.fromkeys(RUN_COUNTS, COUNT),
            },
            "error": TEXT_OR_NULL,
            "checkpoint": {
                "type": "object",
                "properties": {"set": TEXT_OR_NULL, "resumption_token": TEXT_OR_NULL},
            },
        },
    }
    run_with_errors = {
        "allOf": [
            _ref("Run"),
            {
                "type": "object",
                "required": ["error_samples"],
                "properties": {
                    "error_samples": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["identifier", "reason"],
                            "properties": {"identifier": TEXT_OR_NULL, "reason": STRING},
                        },
                    }
                },
            },
        ]
    }
    source = {
        "type": "object",
        "required": ["id", "name", "records", "deleted", "last_run"],
        "properties": {
            "id": {"type": "string", "pattern": SOURCE_ID},
            "name": STRING,
            "platform": TEXT_OR_NULL,
            "protocol": _nullable({"type": "string", "enum": list(PROTOCOLS)}),
            "url": TEXT_OR_NULL,
            "enabled": {"type": "boolean"},
            "schedule": _nullable({"type": "string", "description": "A cron expression."}),
            "last_run": _nullable(_ref("Run")),
            "records": {**COUNT, "description": "Records stored, deleted ones included."},
            "deleted": COUNT,
            "mean_score": _nullable({"type": "number", "description": "Mean quality score."}),
        },
    }
    export_record = {
        "type": "object",
        "required": ["id", "title", "record_page"],
        "properties": {
            "id": STRING,
            "title": TEXT_OR_NULL,
            "kind": TEXT_OR_NULL,
            "platform": TEXT_OR_NULL,
            "source": TEXT_OR_NULL,
            "countries": {"type": "array", "items": STRING},
            "languages": {"type": "array", "items": STRING},
            "start_date": TEXT_OR_NULL,
            "end_date": TEXT_OR_NULL,
            "date_modified": TEXT_OR_NULL,
            "status": TEXT_OR_NULL,
            "license": TEXT_OR_NULL,
            "url": TEXT_OR_NULL,
            "record_page": {"type": "string", "format": "uri"},
        },
    }
    export = {
        "type": "object",
        "required": ["limit", "total", "truncated", "records"],
        "properties": {
            "generated_at": {"type": "string", "format": "date-time"},
            "query": {
                "type": "object",
                "description": "The parameters of the search exported.",
                "additionalProperties": {"type": "array", "items": STRING},
            },
            "limit": {**COUNT, "maximum": MAX_WINDOW},
            "total": {**COUNT, "description": "Records the search found."},
            "truncated": {
                "type": "boolean",
                "description": "True when the search found more records than the limit.",
            },
            "records": {"type": "array", "items": _ref("ExportRecord")},
        },
    }
    error = {
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "code", "message"],
                "additionalProperties": False,
                "properties": {
                    "status": {"type": "integer", "minimum": 400, "maximum": 599},
                    "code": {
                        "type": "string",
                        "pattern": "^[a-z0-9-]+$",
                        "description": "bad-parameter, not-found, method-not-allowed, "
                        "internal-error, ...",
                    },
                    "message": {"type": "string", "description": "What went wrong, in English."},
                },
            }
        },
    }
    record, definitions = record_schema_components()
    return {
        "Record": record,
        **definitions,
        "Hit": hit,
        "FacetCount": facet_count,
        "SearchResult": search_result,
        "Run": run,
        "RunWithErrors": run_with_errors,
        "Source": source,
        "ExportRecord": export_record,
        "Export": export,
        "Error": error,
    }


@cache
def _record_schema_file() -> dict[str, Any]:
    if RECORD_SCHEMA_PATH.exists():
        loaded: dict[str, Any] = json.loads(RECORD_SCHEMA_PATH.read_text(encoding="utf-8"))
        return loaded
    from harvester.core.model import record_json_schema

    return record_json_schema()


def record_schema_components() -> tuple[dict[str, Any], dict[str, Any]]:
    """The record schema and its definitions, with ``#/$defs/X`` pointing at components."""
    schema = copy.deepcopy(_record_schema_file())
    definitions = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: (
                    value.replace("#/$defs/", "#/components/schemas/")
                    if key == "$ref" and isinstance(value, str)
                    else rewrite(value)
                )
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        return node

    return rewrite(schema), {name: rewrite(value) for name, value in definitions.items()}


EXPORT_HEADERS = {
    "Content-Disposition": {
        "description": "`attachment` with a file name.",
        "schema": STRING,
    },
    "X-Export-Limit": {
        "description": "The most rows an export sends (the portal's EXPORT_LIMIT setting, "
        f"{MAX_WINDOW:,} at most).",
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_WINDOW},
    },
    "X-Export-Total": {
        "description": "How many records the search found.",
        "schema": COUNT,
    },
    "X-Export-Truncated": {
        "description": "`true` when the search found more records than the limit, so only "
        "the first X-Export-Limit of them are sent.",
        "schema": {"type": "string", "enum": ["true", "false"]},
    },
}


def _paths() -> dict[str, Any]:
    search_params = _search_parameters(paging=True)
    export_params = _search_parameters(paging=False)
    common = {"400": _error("BadParameter"), "default": _error("Error")}
    return {
        "/api/v1/search": {
            "get": {
                "operationId": "search",
                "summary": "Search records",
                "description": "The search page's parameters, as JSON: one page of hits, the "
                "total, every facet's counts, and links to other pages. Unknown parameters "
                "are refused (400).",
                "tags": ["search"],
                "parameters": search_params,
                "responses": {
                    "200": _json(_ref("SearchResult"), "One page of results."),
                    **common,
                },
            }
        },
        "/api/v1/suggest": {
            "get": {
                "operationId": "suggest",
                "summary": "Title suggestions",
                "description": "Titles with a word starting as typed, best records first.",
                "tags": ["search"],
                "parameters": [
                    _parameter("q", "What has been typed so far.", {"type": "string"}),
                    _parameter(
                        "limit",
                        "How many suggestions at most.",
                        {"type": "integer", "minimum": 1, "maximum": 20, "default": 8},
                    ),
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["q", "suggestions"],
                            "properties": {
                                "q": STRING,
                                "suggestions": {
                                    "type": "array",
                                    "maxItems": 20,
                                    "items": {
                                        "type": "object",
                                        "required": ["id", "title"],
                                        "properties": {"id": STRING, "title": STRING},
                                    },
                                },
                            },
                        },
                        "Suggested titles.",
                    ),
                    **common,
                },
            }
        },
        "/api/v1/records/{record_id}": {
            "get": {
                "operationId": "getRecord",
                "summary": "One record",
                "description": "The record in the common model (`mappings/record.schema.json`); "
                "with `Accept: application/ld+json`, its schema.org description.",
                "tags": ["records"],
                "parameters": [
                    {
                        "name": "record_id",
                        "in": "path",
                        "required": True,
                        "description": "The record's id: `<source id>:<16 hex digits>`.",
                        "schema": {"type": "string", "pattern": RECORD_ID},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The record.",
                        "headers": {"Vary": {"schema": STRING}},
                        "content": {
                            "application/json": {"schema": _ref("Record")},
                            "application/ld+json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["@context", "@type", "@id"],
                                    "description": "schema.org JSON-LD.",
                                }
                            },
                        },
                    },
                    "404": _error("NotFound"),
                    "default": _error("Error"),
                },
            }
        },
        "/api/v1/sources": {
            "get": {
                "operationId": "listSources",
                "summary": "Every source",
                "description": "Each source with its platform, protocol, last run, record "
                "counts and mean quality score.",
                "tags": ["sources"],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["sources"],
                            "properties": {"sources": {"type": "array", "items": _ref("Source")}},
                        },
                        "The sources.",
                    ),
                    "default": _error("Error"),
                },
            }
        },
        "/api/v1/sources/{source_id}/runs": {
            "get": {
                "operationId": "listSourceRuns",
                "summary": "A source's harvest runs",
                "description": "Newest first, each with its counts and error samples.",
                "tags": ["sources"],
                "parameters": [
                    {
                        "name": "source_id",
                        "in": "path",
                        "required": True,
                        "description": "The source's id.",
                        "schema": {"type": "string"},
                    },
                    _parameter(
                        "limit",
                        "How many runs at most.",
                        {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
                    ),
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["source", "runs"],
                            "properties": {
                                "source": STRING,
                                "runs": {"type": "array", "items": _ref("RunWithErrors")},
                            },
                        },
                        "The runs.",
                    ),
                    "404": _error("NotFound"),
                    **common,
                },
            }
        },
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "tags": ["meta"],
                "responses": {
                    "200": _json({"type": "object", "required": ["openapi"]}, "OpenAPI 3.1."),
                    "default": _error("Error"),
                },
            }
        },
        "/export.csv": {
            "get": {
                "operationId": "exportCsv",
                "summary": "Export a search as CSV",
                "description": "Every result of the search (the search page's parameters; "
                "paging is ignored), streamed, at most X-Export-Limit rows. Columns: "
                f"{EXPORT_COLUMNS_DOC}. Lists are joined with `; `; UTF-8 with a byte order "
                "mark; a cell that starts with = + - @ is prefixed with an apostrophe.",
                "tags": ["exports"],
                "parameters": export_params,
                "responses": {
                    "200": {
                        "description": "The CSV file.",
                        "headers": EXPORT_HEADERS,
                        "content": {"text/csv": {"schema": {"type": "string"}}},
                    },
                    **common,
                },
            }
        },
        "/export.json": {
            "get": {
                "operationId": "exportJson",
                "summary": "Export a search as JSON",
                "description": "Every result of the search (paging ignored), streamed as one "
                "JSON document with the limit, the total and whether it was truncated.",
                "tags": ["exports"],
                "parameters": export_params,
                "responses": {
                    "200": {
                        "description": "The JSON document.",
                        "headers": EXPORT_HEADERS,
                        "content": {"application/json": {"schema": _ref("Export")}},
                    },
                    **common,
                },
            }
        },
    }


def openapi_document(server_url: str = "/") -> dict[str, Any]:
    """The OpenAPI 3.1 document; paths are relative to ``server_url`` (where the portal is)."""
    error = {"application/json": {"schema": _ref("Error")}}
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "csfinder API",
            "version": "1.0.0",
            "summary": "Search citizen-science projects and datasets harvested from many "
            "platforms.",
            "description": "Read-only JSON API of the csfinder portal: the same search as the "
            "portal's pages (same parameters), records in the common model, sources and their "
            "harvest runs, and exports. Every error answers with the `Error` shape. Any origin "
            "may call it (CORS). No answer carries a person's e-mail address.",
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": server_url, "description": "This portal."}],
        "tags": [
            {"name": "search", "description": "Search and suggestions."},
            {"name": "records", "description": "Records in the common model."},
            {"name": "sources", "description": "Harvested sources and their runs."},
            {"name": "exports", "description": "A search's results as files."},
            {"name": "meta", "description": "This document."},
        ],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "responses": {
                "BadParameter": {
                    "description": "A parameter that cannot be answered; the message says "
                    "which and why.",
                    "content": error,
                },
                "NotFound": {"description": "No such record or source.", "content": error},
                "Error": {
                    "description": "Any other error (unknown path 404, wrong method 405, "
                    "server error 500), in the same shape.",
                    "content": error,
                },
            },
        },
    }
