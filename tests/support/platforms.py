"""Loopback web APIs and web sites for the Scrapy spiders, built from recorded responses.

:class:`ListAPI` serves a list of JSON items page by page in one platform's style (its
envelope, its parameters, its way of naming the next page), and can misbehave on chosen
pages. :class:`Site` serves landing pages, a sitemap and a robots.txt. The items and pages
come from the real recordings in ``shared/fixtures`` (read at test time, never copied) or
from the project's own fixtures in ``tests/fixtures/platforms``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from tests.support.fixture_provider import SHARED_FIXTURES

OWN = Path(__file__).resolve().parents[1] / "fixtures" / "platforms"
StartResponse = Callable[..., Any]


def shared(*parts: str) -> Path:
    """A file of ``shared/fixtures`` (the caller skips when it is absent)."""
    assert SHARED_FIXTURES is not None
    return SHARED_FIXTURES.joinpath(*parts)


def gbif_datasets() -> list[dict[str, Any]]:
    """The 100 GBIF datasets of the recorded registry page."""
    return list(
        json.loads(shared("platforms", "gbif", "dataset_limit100.json").read_text())["results"]
    )


def inaturalist_projects() -> list[dict[str, Any]]:
    """The recorded iNaturalist projects (search page and one project)."""
    folder = shared("platforms", "inaturalist")
    search = json.loads((folder / "v1_projects_search.json").read_text())["results"]
    single = json.loads((folder / "v1_project_8348.json").read_text())["results"]
    return [*search, *single]


def datacite_resources() -> list[dict[str, Any]]:
    """The DOI resources of the recorded DataCite REST documents (the 404 body left out)."""
    items = []
    for path in sorted(shared("datacite", "rest-api").glob("*.json")):
        document = json.loads(path.read_text())
        if isinstance(document.get("data"), dict):
            items.append(document["data"])
    return items


def zenodo_records() -> list[dict[str, Any]]:
    """The recorded Zenodo REST records."""
    folder = shared("platforms", "zenodo-rest")
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def eu_citizen_science_projects() -> list[dict[str, Any]]:
    """The 68 recorded EU-Citizen.Science projects (April 2021)."""
    path = shared("platforms", "eu-citizen-science", "api_projects_2021-04.json")
    return list(json.loads(path.read_text()))


def zooniverse_projects() -> list[dict[str, Any]]:
    """The 80 projects of the four recorded Panoptes pages, in order."""
    folder = shared("platforms", "zooniverse")
    pages = [json.loads((folder / f"projects_page{n}.json").read_text()) for n in range(1, 5)]
    return [project for page in pages for project in page["projects"]]


def own_items(name: str) -> list[dict[str, Any]]:
    """Items of a project-written fixture ``tests/fixtures/platforms/<name>.json``."""
    return list(json.loads((OWN / f"{name}.json").read_text())["items"])


@dataclass
class Fault:
    """A misbehaviour on the list pages numbered ``pages`` (1 = first page requested).

    ``kind``: ``status`` (HTTP ``status``, with ``Retry-After`` if ``retry_after``),
    ``invalid_json``, ``slow`` (sleep ``delay`` seconds), ``repeat`` (answer the first page
    whatever is asked, its next link included).
    """

    kind: str
    pages: Iterable[int] = ()
    status: int = 500
    retry_after: str | None = None
    delay: float = 2.0
    times: int | None = None

    def __post_init__(self) -> None:
        self.pages = set(self.pages)
        self.hits = 0


STYLES = (
    "gbif",
    "inaturalist",
    "datacite",
    "zenodo",
    "cursor",
    "ckan",
    "drf",
    "plain",
    "list",
    "panoptes",
)


class ListAPI:
    """A JSON list API in one platform's style.

    * ``gbif``: ``offset``/``limit``, envelope ``offset, limit, endOfRecords, count, results``.
    * ``inaturalist``: ``page``/``per_page``, envelope ``total_results, page, per_page, results``.
    * ``datacite``: ``page[number]``/``page[size]``, JSON:API ``data``, ``meta.total``,
      ``links.next``.
    * ``zenodo``: ``page``/``size``, ``hits.hits`` and ``hits.total``; the next page in a
      ``Link`` header (rel="next").
    * ``cursor``: ``cursor`` (opaque), envelope ``items`` and ``next_cursor``.
    * ``ckan``: ``start``/``rows``, envelope ``success``, ``result.count``, ``result.results``.
    * ``drf``: Django REST framework (EU-Citizen.Science): ``page``, ``count``, ``next``
      (absolute URL or null), ``results``.
    * ``plain``: the whole list, one page, as ``{"items": [...]}``.
    * ``list``: the whole list, one page, as a bare JSON list (EU-Citizen.Science in 2021).
    * ``panoptes``: Zooniverse's Panoptes: ``page``/``page_size``, envelope ``projects``,
      ``links``, ``meta.projects`` with ``page``, ``page_count``, ``count``, ``next_page``
      (a number or null) and ``next_href`` relative to /api; ``page_size`` capped at the
      API's own.

    ``require`` names headers and parameters every request must carry (else HTTP 401);
    ``robots`` is the text of ``/robots.txt`` (absent: 404). ``log`` lists
    ``(query, status, headers)`` per request, ``/robots.txt`` included.
    """

    def __init__(
        self,
        items: list[dict[str, Any]],
        style: str,
        page_size: int = 10,
        faults: Iterable[Fault] = (),
        require: dict[str, str] | None = None,
        robots: str | None = None,
    ) -> None:
        assert style in STYLES, style
        self.items = items
        self.style = style
        self.page_size = page_size
        self.faults = list(faults)
        self.require = require or {}
        self.robots = robots
        self.robots_fetched = 0
        self.log: list[tuple[dict[str, str], int, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._pages = 0

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer one request."""
        query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        headers = {
            k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")
        }
        base = f"http://{environ['HTTP_HOST']}{environ.get('PATH_INFO', '')}"
        if environ.get("PATH_INFO") == "/robots.txt":
            self.robots_fetched += 1
            found = self.robots is not None
            body = (self.robots or "").encode()
            start_response("200 OK" if found else "404 Not Found", [("Content-Type", "text/plain")])
            return [body]
        for key, value in self.require.items():
            if headers.get(key.lower()) != value and query.get(key) != value:
                return self._reply(start_response, query, headers, 401, b'{"error": "key"}')
        with self._lock:
            self._pages += 1
            number = self._pages
        extra: list[tuple[str, str]] = []
        for fault in self.faults:
            if number not in fault.pages or (fault.times is not None and fault.hits >= fault.times):
                continue
            fault.hits += 1
            if fault.kind == "status":
                if fault.retry_after is not None:
                    extra.append(("Retry-After", fault.retry_after))
                return self._reply(
                    start_response,
                    query,
                    headers,
                    fault.status,
                    b"<html>busy</html>",
                    "text/html",
                    extra,
                )
            if fault.kind == "invalid_json":
                return self._reply(start_response, query, headers, 200, b'{"results": [{"id": 1,')
            if fault.kind == "slow":
                time.sleep(fault.delay)
            if fault.kind == "repeat":
                query = {}
        body, link = self.page(query, base)
        if link:
            extra.append(("Link", f'<{link}>; rel="next"'))
        return self._reply(
            start_response, query, headers, 200, json.dumps(body).encode(), extra=extra
        )

    def page(self, query: dict[str, str], base: str) -> tuple[Any, str | None]:
        """The page a query asks for, and the next page's URL for a Link header."""
        n, size, items = len(self.items), self.page_size, self.items
        style = self.style

        def url(**changes: Any) -> str:
            return f"{base}?{urlencode({**query, **{k: str(v) for k, v in changes.items()}})}"

        if style == "gbif":
            offset, limit = int(query.get("offset", 0)), min(int(query.get("limit", 20)), size)
            chunk = items[offset : offset + limit]
            return {
                "offset": offset,
                "limit": limit,
                "endOfRecords": offset + limit >= n,
                "count": n,
                "results": chunk,
            }, None
        if style == "ckan":
            start, rows = int(query.get("start", 0)), min(int(query.get("rows", 10)), size)
            return {
                "success": True,
                "result": {"count": n, "results": items[start : start + rows]},
            }, None
        if style == "inaturalist":
            page, per = int(query.get("page", 1)), int(query.get("per_page", size))
            chunk = items[(page - 1) * per : page * per]
            return {"total_results": n, "page": page, "per_page": per, "results": chunk}, None
        if style == "datacite":
            page, per = int(query.get("page[number]", 1)), int(query.get("page[size]", size))
            chunk = items[(page - 1) * per : page * per]
            links = {"self": url()}
            if page * per < n:
                links["next"] = url(**{"page[number]": page + 1})
            return {"data": chunk, "meta": {"total": n}, "links": links}, None
        if style == "zenodo":
            page, per = int(query.get("page", 1)), int(query.get("size", size))
            chunk = items[(page - 1) * per : page * per]
            following = url(page=page + 1) if page * per < n else None
            return {"hits": {"hits": chunk, "total": n}, "links": {"self": url()}}, following
        if style == "drf":
            page = int(query.get("page", 1))
            chunk = items[(page - 1) * size : page * size]
            following = url(page=page + 1) if page * size < n else None
            return {"count": n, "next": following, "previous": None, "results": chunk}, None
        if style == "cursor":
            offset = int(query["cursor"][1:]) if query.get("cursor", "").startswith("c") else 0
            chunk = items[offset : offset + size]
            following = f"c{offset + size}" if offset + size < n else None
            return {"items": chunk, "next_cursor": following}, None
        if style == "panoptes":
            page, per = int(query.get("page", 1)), min(int(query.get("page_size", size)), size)
            chunk = items[(page - 1) * per : page * per]
            count = -(-n // per)
            more = page < count
            meta: dict[str, Any] = {
                "page": page,
                "page_size": per,
                "count": n,
                "page_count": count,
                "previous_page": page - 1 or None,
                "next_page": page + 1 if more else None,
                "next_href": f"/projects?page={page + 1}" if more else None,
            }
            templates = {"projects.owner": {"href": "/{projects.owner.href}", "type": "owners"}}
            return {"projects": chunk, "links": templates, "meta": {"projects": meta}}, None
        if style == "list":
            return items, None
        return {"items": items}, None

    def _reply(
        self,
        start_response: StartResponse,
        query: dict[str, str],
        headers: dict[str, str],
        status: int,
        body: bytes,
        content_type: str = "application/json",
        extra: list[tuple[str, str]] | None = None,
    ) -> list[bytes]:
        with self._lock:
            self.log.append((query, status, headers))
        reason = {200: "OK", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests"}.get(
            status, "Error"
        )
        start_response(
            f"{status} {reason}",
            [("Content-Type", content_type), ("Content-Length", str(len(body))), *(extra or [])],
        )
        return [body]

    @property
    def statuses(self) -> list[int]:
        """HTTP status of every request, in order."""
        with self._lock:
            return [status for _, status, _ in self.log]


@dataclass
class Site:
    """A web site: ``pages`` (path → HTML), a sitemap of ``listed`` paths at
    ``/sitemap.xml`` (with ``lastmod`` where given), and ``robots`` as ``/robots.txt``."""

    pages: dict[str, bytes]
    listed: dict[str, str | None] = field(default_factory=dict)
    robots: str = "User-agent: *\nAllow: /\n"
    missing_status: int = 404
    log: list[tuple[str, int, str]] = field(default_factory=list)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer one request."""
        path = environ.get("PATH_INFO", "/")
        agent = environ.get("HTTP_USER_AGENT", "")
        base = f"http://{environ['HTTP_HOST']}"
        if path == "/robots.txt":
            status, kind, body = 200, "text/plain", self.robots.encode()
        elif path == "/sitemap.xml":
            status, kind, body = 200, "application/xml", self.sitemap(base)
        elif path in self.pages:
            status, kind, body = 200, "text/html; charset=utf-8", self.pages[path]
        else:
            status, kind, body = self.missing_status, "text/html", b"<html>missing</html>"
        self.log.append((path, status, agent))
        start_response(f"{status} X", [("Content-Type", kind), ("Content-Length", str(len(body)))])
        return [body]

    def sitemap(self, base: str) -> bytes:
        """The sitemap of the listed pages."""
        entries = []
        for path, lastmod in self.listed.items():
            stamp = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
            entries.append(f"<url><loc>{base}{path}</loc>{stamp}</url>")
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(entries)
            + "</urlset>"
        ).encode()

    def fetched(self, path: str) -> int:
        """How often a path was asked for."""
        return sum(1 for p, _, _ in self.log if p == path)


@dataclass
class CsvFile:
    """A CSV file served as a web server does: an ETag and a Last-Modified with the body,
    304 to a conditional request that matches, and ``fail_once`` answers of HTTP 503
    before the body. ``log`` lists ``(request headers, status)``."""

    body: bytes
    modified: str = "Tue, 01 Dec 2026 10:00:00 GMT"
    fail_once: int = 0
    log: list[tuple[dict[str, str], int]] = field(default_factory=list)

    @property
    def etag(self) -> str:
        """A strong validator of the current body."""
        return '"' + hashlib.sha1(self.body, usedforsecurity=False).hexdigest()[:16] + '"'

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer one request."""
        headers = {
            k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")
        }
        if self.fail_once > 0:
            self.fail_once -= 1
            self.log.append((headers, 503))
            start_response("503 Busy", [("Content-Type", "text/plain"), ("Retry-After", "0")])
            return [b"busy"]
        if headers.get("if-none-match") == self.etag:
            self.log.append((headers, 304))
            start_response("304 Not Modified", [("ETag", self.etag)])
            return []
        self.log.append((headers, 200))
        start_response(
            "200 OK",
            [
                ("Content-Type", "text/csv"),
                ("Content-Length", str(len(self.body))),
                ("ETag", self.etag),
                ("Last-Modified", self.modified),
            ],
        )
        return [self.body]
