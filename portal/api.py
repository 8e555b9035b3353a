"""The JSON API under ``/api/v1/``, its OpenAPI document, and the CSV/JSON exports.

Every API error has one shape, whatever raised it (a bad parameter, an unknown record or
path, a wrong method, a bug)::

    {"error": {"status": 400, "code": "bad-parameter", "message": "..."}}

Answers under ``/api/v1/`` and the exports allow any origin (CORS, GET and preflight).
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import orjson
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from harvester.core.model import public_text
from harvester.index.query import MAX_WINDOW, QueryError, SearchQuery
from portal.auth import limiter
from portal.error_pages import error_page
from portal.exports import ExportPlan, csv_lines, export_row, iter_hits, json_chunks, plan_export
from portal.i18n import page_language
from portal.insights.api import insights, insights_csv
from portal.jsonld import record_jsonld
from portal.openapi import operations
from portal.openapi.checking import check_request
from portal.openapi.contract import documented
from portal.openapi.document import openapi_document
from portal.openapi.parameters import (
    DEFAULT_RUNS,
    DEFAULT_SUGGESTIONS,
    MAX_RUNS,
    MAX_SUGGESTIONS,
)
from portal.params import query_from_args
from portal.public_url import public_url_for
from portal.records import cluster_listings, load_record
from portal.services import services
from portal.sources import source_runs, source_summaries

blueprint = Blueprint("api", __name__)


def _api_limit() -> str:
    return services().settings.portal.api_limit


limiter.shared_limit(_api_limit, scope="api")(blueprint)  # one budget per client address

PREFIX = "/api/v1"
EXPORT_PATHS = ("/export.csv", "/export.json", "/insights.csv")
CODES = {
    400: "bad-parameter",
    404: "not-found",
    405: "method-not-allowed",
    429: "too-many-requests",
    500: "internal-error",
}
CACHE_HEADER = "X-Search-Cache"
EXPOSED_HEADERS = (
    "Content-Disposition, X-Export-Limit, X-Export-Total, X-Export-Truncated, Retry-After, "
    "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
)
TOKEN_LIST = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$")


# -- errors ------------------------------------------------------------------------------


def error_response(
    status: int, message: str, *, code: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    """An API error in the one shape every API error has."""
    body = {"error": {"status": status, "code": code or _code(status), "message": message}}
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _code(status: int) -> str:
    if status in CODES:
        return CODES[status]
    name = HTTP_STATUS_CODES.get(status)
    if name is None:
        return "error"
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def is_api_request() -> bool:
    """True when the request is for the JSON API or an export (which answer errors in JSON)."""
    path = request.path
    return path == PREFIX or path.startswith(PREFIX + "/") or path in EXPORT_PATHS


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    if status >= 500:
        message = "The server could not answer; the error has been logged."
    elif status == 404 and request.url_rule is None:
        message = f"nothing at {request.path}; the API is described at {PREFIX}/openapi.json"
    else:
        message = exc.description or _code(status).replace("-", " ")
    headers = {}
    if status == 405:
        headers = {name: value for name, value in exc.get_headers() if name.lower() == "allow"}
    if status == 429:
        wait = retry_after()
        headers["Retry-After"] = str(wait)
        message = (
            f"too many requests from your address (limit: {exc.description}); "
            f"try again in {wait} seconds"
        )
    return error_response(status, message, headers=headers)


def retry_after() -> int:
    """Seconds until the limit that refused this request lets the next one through."""
    hit = limiter.current_limit
    if hit is None:
        return 1
    return max(1, int(hit.reset_at - time.time()))


@blueprint.before_request
def _as_documented() -> None:
    """Every parameter checked against the OpenAPI document before the view runs."""
    check_request()


@blueprint.errorhandler(QueryError)
def _bad_parameter(exc: QueryError) -> ResponseReturnValue:
    return error_response(400, str(exc))


@blueprint.errorhandler(HTTPException)
def _blueprint_http_error(exc: HTTPException) -> ResponseReturnValue:
    return _http_error(exc)


@blueprint.app_errorhandler(HTTPException)
def _app_http_error(exc: HTTPException) -> ResponseReturnValue:
    """Paths under /api/v1/ that match no route, and wrong methods, answer in the API's
    shape; any other path answers with an HTML page in the reader's language."""
    if is_api_request():
        return _http_error(exc)
    return error_page(exc)


# -- CORS ----------------------------------------------------------------------------------


@blueprint.after_app_request
def _cors(response: Response) -> Response:
    """Any origin may GET the API and the exports; preflight requests are answered."""
    if not is_api_request():
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        asked = request.headers.get("Access-Control-Request-Headers", "").strip()
        if asked and TOKEN_LIST.match(asked):
            response.headers["Access-Control-Allow-Headers"] = asked
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


# -- API -----------------------------------------------------------------------------------


@blueprint.get(f"{PREFIX}/search")
@documented(operations.SEARCH)
def search() -> ResponseReturnValue:
    """Search: the search page's parameters; one page of hits, the total and facet counts."""
    query = query_from_args(request.args, ui_lang=page_language())  # checked already
    result = services().search(query)
    data = result.as_dict()
    data["links"] = _links(query, result.total)
    response = _json(data)
    stats = getattr(services().index, "cache_stats", None)
    if stats is not None:  # per worker process: how often the engine's caches answered
        engine, rows = stats()
        said = f"worker={worker_token()}; {engine.header()}; {rows.header('row_')}"
        response.headers[CACHE_HEADER] = said
    return response


_worker_tokens: dict[int, str] = {}


def worker_token() -> str:
    """An opaque name for this worker process (its process id is not published)."""
    return _worker_tokens.setdefault(os.getpid(), secrets.token_hex(4))


def _json(data: dict[str, Any]) -> Response:
    """What ``jsonify`` answers, serialised by orjson (several times faster on search
    answers): the same JSON, non-ASCII characters as UTF-8 rather than escapes."""
    return current_app.response_class(orjson.dumps(data) + b"\n", mimetype="application/json")


def _links(query: SearchQuery, total: int) -> dict[str, str | None]:
    reachable = min(total, MAX_WINDOW)
    last_page = max(1, (reachable + query.per_page - 1) // query.per_page)

    kept = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
    base = url_for(".search") + "?"

    def page_url(number: int) -> str:
        return base + urlencode([*kept, ("page", str(number))])

    return {
        "self": page_url(query.page),
        "first": page_url(1),
        "prev": page_url(min(query.page - 1, last_page)) if query.page > 1 else None,
        "next": page_url(query.page + 1) if query.page < last_page else None,
    }


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped


blueprint.add_url_rule(f"{PREFIX}/insights", view_func=insights, methods=["GET"])
blueprint.add_url_rule("/insights.csv", view_func=insights_csv, methods=["GET"])


@blueprint.get(f"{PREFIX}/records/<record_id>")
@documented(operations.GET_RECORD)
def record(record_id: str) -> ResponseReturnValue:
    """One record in the common model (``Accept: application/ld+json``: schema.org)."""
    found = load_record(record_id)
    if found is None:
        abort(404, description=f"no record {record_id!r}")
    wanted = request.accept_mimetypes.best_match(
        ("application/json", "application/ld+json"), default="application/json"
    )
    if wanted == "application/ld+json":
        response = jsonify(record_jsonld(found))
        response.mimetype = "application/ld+json"
    else:
        response = jsonify({**found, "listings": [x["id"] for x in cluster_listings(found)]})
    response.vary.add("Accept")
    return response


@blueprint.get(f"{PREFIX}/sources")
@documented(operations.LIST_SOURCES)
def sources() -> ResponseReturnValue:
    """Every source: platform, protocol, last run, record counts, mean quality score."""
    return jsonify({"sources": _scrubbed(source_summaries())})


@blueprint.get(f"{PREFIX}/sources/<source_id>/runs")
@documented(operations.LIST_SOURCE_RUNS)
def runs(source_id: str) -> ResponseReturnValue:
    """A source's harvest runs, newest first, with their error samples."""
    limit = _int_arg("limit", DEFAULT_RUNS, 1, MAX_RUNS)
    if not any(s["id"] == source_id for s in source_summaries()):
        abort(404, description=f"no source {source_id!r}")
    return jsonify({"source": source_id, "runs": _scrubbed(source_runs(source_id, limit))})


@blueprint.get(f"{PREFIX}/suggest")
@documented(operations.SUGGEST)
def suggest() -> ResponseReturnValue:
    """Titles with a word starting as typed, for search boxes."""
    limit = _int_arg("limit", DEFAULT_SUGGESTIONS, 1, MAX_SUGGESTIONS)
    typed = request.args.get("q", "")[:200]
    found = services().index.suggest(typed, limit=limit)
    return jsonify({"q": typed, "suggestions": [{"id": s.id, "title": s.title} for s in found]})


@blueprint.get(f"{PREFIX}/openapi.json")
@documented(operations.OPENAPI)
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3.1 document describing this API."""
    return jsonify(openapi_document(current_app, server_url=request.script_root or "/"))


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, "")
    if raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise QueryError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise QueryError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _scrubbed(value: Any) -> Any:
    """The value with every string made public (operators' text, errors: no e-mail
    address, no control character)."""
    if isinstance(value, str):
        return public_text(value)
    if isinstance(value, list):
        return [_scrubbed(item) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item) for key, item in value.items()}
    return value


# -- exports -------------------------------------------------------------------------------


@blueprint.get("/export.csv")
@documented(operations.EXPORT_CSV)
def export_csv() -> ResponseReturnValue:
    """The current search as CSV (the search page's parameters; paging ignored)."""
    plan, rows = _export()
    return Response(
        stream_with_context(csv_lines(rows)),
        mimetype="text/csv",
        headers=_export_headers(plan, "csv"),
    )


@blueprint.get("/export.json")
@documented(operations.EXPORT_JSON)
def export_json() -> ResponseReturnValue:
    """The current search as one JSON document, records streamed one by one."""
    plan, rows = _export()
    about = {
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "query": _grouped([(k, v) for k, v in request.args.items(multi=True) if k != "page"]),
    }
    return Response(
        stream_with_context(json_chunks(plan, rows, about)),
        mimetype="application/json",
        headers=_export_headers(plan, "json"),
    )


def _export() -> tuple[ExportPlan, Iterator[dict[str, Any]]]:
    query = query_from_args(request.args)
    index = services().index
    plan = plan_export(index, query, current_app.config.get("EXPORT_LIMIT", MAX_WINDOW))

    def record_url(record_id: str) -> str:
        return public_url_for("records.show", record_id=record_id)

    rows = (export_row(hit, record_url) for hit in iter_hits(index, plan))
    return plan, rows


def _export_headers(plan: ExportPlan, extension: str) -> dict[str, str]:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return {
        "Content-Disposition": f'attachment; filename="csfinder-search-{stamp}.{extension}"',
        "X-Export-Limit": str(plan.limit),
        "X-Export-Total": str(plan.total),
        "X-Export-Truncated": "true" if plan.truncated else "false",
        "Cache-Control": "no-store",
    }
