"""A loopback HTTP server that answers as a tiny Elasticsearch and records every request.

It keeps just enough state (indexes, aliases, documents by id) for
:class:`harvester.index.elastic.backend.ElasticIndex` to run its whole flow: template, first
index, bulk writes, refresh, count, alias swap. Searches return ``search_response``
(set by the test). ``bulk_script`` makes the next bulk requests fail: ``"429"`` rejects
the whole request, ``"items-429"`` rejects every item inside a 200 response.

Use::

    with EsRecorder() as es:
        index = ElasticIndex(es.url, "test")
        ...
        es.requests  # every RecordedRequest, in order
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PRODUCT_HEADERS = {
    "X-Elastic-Product": "Elasticsearch",
    "Content-Type": "application/json",
}
CLUSTER_INFO = {
    "name": "recorder",
    "cluster_name": "loopback",
    "version": {"number": "9.0.0", "build_flavor": "default"},
    "tagline": "You Know, for Search",
}


@dataclass
class RecordedRequest:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)

    def ndjson(self) -> list[Any]:
        """The body as newline-delimited JSON (bulk)."""
        return [json.loads(line) for line in self.body.decode().splitlines() if line.strip()]


@dataclass
class FakeCluster:
    """What the recorder remembers between requests."""

    indexes: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> id -> source
    aliases: dict[str, set[str]] = field(default_factory=dict)  # alias -> index names
    templates: dict[str, Any] = field(default_factory=dict)

    def resolve(self, name: str) -> list[str]:
        """Concrete indexes for an index or alias name."""
        if name in self.indexes:
            return [name]
        return sorted(self.aliases.get(name, set()))


class EsRecorder:
    """The server; start with ``with`` (or :meth:`start`), stop with :meth:`stop`."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.cluster = FakeCluster()
        self.search_response: dict[str, Any] = empty_search_response()
        self.bulk_script: list[str] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        """Where the server listens."""
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> EsRecorder:
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> EsRecorder:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def calls(self, method: str, path_part: str = "") -> list[RecordedRequest]:
        """Recorded requests with this method whose path contains ``path_part``."""
        return [r for r in self.requests if r.method == method and path_part in r.path]

    # -- answering -----------------------------------------------------------------------

    def answer(self, request: RecordedRequest) -> tuple[int, Any]:
        """Status and JSON body (``None``: no body) for a request."""
        parts = [p for p in request.path.split("/") if p]
        method = request.method
        if not parts:
            return 200, None if method == "HEAD" else CLUSTER_INFO
        if parts[0] == "_index_template":
            return self._template(method, parts[1], request)
        if parts[0] == "_alias":
            return self._alias(method, parts[1])
        if parts[0] == "_aliases" and method == "POST":
            return self._update_aliases(request.json())
        if parts[-1] == "_bulk":
            return self._bulk(request)
        if parts[-1] == "_search":
            return 200, self.search_response
        if parts[-1] == "_count":
            ids = {
                i for index in self.cluster.resolve(parts[0]) for i in self.cluster.indexes[index]
            }
            return 200, {"count": len(ids)}
        if parts[-1] in ("_refresh", "_settings"):
            return 200, {"acknowledged": True, "_shards": {"total": 1, "successful": 1}}
        if len(parts) == 3 and parts[1] == "_alias" and method in ("PUT", "POST"):
            self.cluster.aliases.setdefault(parts[2], set()).add(parts[0])
            return 200, {"acknowledged": True}
        if len(parts) == 1:
            return self._index(method, parts[0], request)
        return 404, _error("unknown_route", request.path, 404)

    def _template(self, method: str, name: str, request: RecordedRequest) -> tuple[int, Any]:
        if method == "DELETE":
            found = self.cluster.templates.pop(name, None)
            return (200, {"acknowledged": True}) if found else (404, _error("not_found", name))
        self.cluster.templates[name] = json.loads(request.body)
        return 200, {"acknowledged": True}

    def _alias(self, method: str, name: str) -> tuple[int, Any]:
        members = self.cluster.aliases.get(name)
        if not members:
            return 404, None if method == "HEAD" else _error("aliases_not_found_exception", name)
        if method == "HEAD":
            return 200, None
        return 200, {index: {"aliases": {name: {}}} for index in sorted(members)}

    def _update_aliases(self, body: dict[str, Any]) -> tuple[int, Any]:
        for action in body["actions"]:
            (kind, spec), *_ = action.items()
            members = self.cluster.aliases.setdefault(spec["alias"], set())
            if kind == "add":
                members.add(spec["index"])
            else:
                members.discard(spec["index"])
        return 200, {"acknowledged": True}

    def _index(self, method: str, name: str, request: RecordedRequest) -> tuple[int, Any]:
        if method == "PUT":
            if name in self.cluster.indexes:
                return 400, _error("resource_already_exists_exception", name, 400)
            self.cluster.indexes[name] = {}
            for alias in (request.json() if request.body else {}).get("aliases", {}):
                self.cluster.aliases.setdefault(alias, set()).add(name)
            return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}
        if method == "DELETE":
            self.cluster.indexes.pop(name, None)
            for members in self.cluster.aliases.values():
                members.discard(name)
            return 200, {"acknowledged": True}
        if method == "HEAD":
            return (200 if name in self.cluster.indexes else 404), None
        return 404, _error("index_not_found_exception", name)

    def _bulk(self, request: RecordedRequest) -> tuple[int, Any]:
        script = self.bulk_script.pop(0) if self.bulk_script else ""
        if script == "429":
            return 429, _error("es_rejected_execution_exception", "queue full", 429)
        lines = request.ndjson()
        items: list[dict[str, Any]] = []
        while lines:
            action = lines.pop(0)
            (op, meta), *_ = action.items()
            source = lines.pop(0) if op in ("index", "create", "update") else None
            items.append({op: self._bulk_item(op, meta, source, rejected=script == "items-429")})
        errors = any(not 200 <= next(iter(i.values()))["status"] < 300 for i in items)
        return 200, {"took": 1, "errors": errors, "items": items}

    def _bulk_item(
        self, op: str, meta: dict[str, Any], source: Any, *, rejected: bool
    ) -> dict[str, Any]:
        index = (self.cluster.resolve(meta["_index"]) or [meta["_index"]])[0]
        item: dict[str, Any] = {"_index": index, "_id": meta["_id"]}
        if rejected:
            item.update(status=429, error={"type": "es_rejected_execution_exception"})
            return item
        docs = self.cluster.indexes.setdefault(index, {})
        if op == "delete":
            found = docs.pop(meta["_id"], None) is not None
            item.update(status=200 if found else 404, result="deleted" if found else "not_found")
        else:
            created = meta["_id"] not in docs
            docs[meta["_id"]] = source
            item.update(status=201 if created else 200, result="created" if created else "updated")
        return item


def empty_search_response() -> dict[str, Any]:
    """A valid search response without hits or aggregations."""
    return {
        "took": 1,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []},
    }


def _error(kind: str, reason: str, status: int = 404) -> dict[str, Any]:
    return {"error": {"type": kind, "reason": reason}, "status": status}


def _handler_for(recorder: EsRecorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            split = urlsplit(self.path)
            request = RecordedRequest(
                method=self.command,
                path=split.path,
                query=parse_qs(split.query),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            with recorder.lock:
                recorder.requests.append(request)
                status, body = recorder.answer(request)
            payload = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            for name, value in PRODUCT_HEADERS.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    return Handler
