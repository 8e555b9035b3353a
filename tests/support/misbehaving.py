"""WSGI middleware that makes a well-behaved OAI-PMH provider misbehave like real ones do.

Wrap an :class:`~harvester.sample_provider.OAIProvider` (or any WSGI app) and pick one named
behaviour per test::

    app = Misbehaving(OAIProvider(repo, page_size=5), "truncated_xml", start=2)
    with serve(app) as server:
        ...  # harvest server.url, then inspect app.log

**Which requests misbehave.** Each behaviour *targets* requests with certain verbs (option
``verbs``; ``None`` means every request) and counts them 1, 2, 3, ... in arrival order. The
targeted requests numbered ``start`` to ``start + times - 1`` misbehave (``times=None``: all
from ``start`` on); ``page=N`` is short for ``start=N, times=1``. Requests that are not targeted,
or outside that window, pass through untouched. The defaults below are chosen so each
behaviour hits where it hurts (e.g. truncation on the 2nd list page, after a checkpoint).

Behaviours (default targeting in brackets; other options after it):

* ``none``: pass everything through (a baseline with the same request log).
* ``retry_after_seconds`` [any verb, first 2]: HTTP 503 with ``Retry-After: <seconds>``
  (``seconds=1``), then normal answers.
* ``retry_after_date`` [any verb, first 2]: HTTP 503 with ``Retry-After`` as an HTTP date
  ``seconds`` (default 1) to ``seconds + 1`` s in the future (the date is rounded up to the
  next whole second).
* ``too_many_requests`` [any verb, first 2]: HTTP 429 with ``Retry-After: <retry_after>``
  (``retry_after=1``; ``None`` sends no header), then normal answers.
* ``error_500_then_ok`` [any verb, first 2]: HTTP 500 with an HTML body, then normal answers.
* ``oai_error_422`` [any verb, all]: the Invenio/Zenodo style. Every OAI error the wrapped
  provider answers is sent with HTTP ``status`` (422) instead of 200, as one line with no XML
  declaration and an ``<?xml-stylesheet?>`` processing instruction in front. With
  ``code="badArgument"`` (or any code) the targeted requests are answered with that error
  whatever they ask (``message`` sets its text).
* ``repeated_token`` [ListRecords/ListIdentifiers, all]: every list page carries the token of
  the first page, so the list never advances (the last page too, instead of an empty token).
* ``self_token`` [ListRecords/ListIdentifiers, all]: the page answering token T carries token
  T again; the first page (no token asked) is normal.
* ``truncated_xml`` [ListRecords/ListIdentifiers, page 2]: the body is cut at ``fraction``
  (0.5) of its length. ``Content-Length`` matches the cut body unless ``keep_length=True``, in
  which case it announces the full length and the connection closes early.
* ``illegal_chars`` [ListRecords/GetRecord, page 1]: the first ``records`` (1) non-deleted
  records get raw ``\\x01`` and ``\\x0b`` and a ``&#x1;`` character reference in their first
  ``dc:title``, and raw ``\\x1f`` in their first ``dc:description`` if any. Their identifiers
  are in :attr:`Misbehaving.affected`.
* ``wrong_charset`` [any verb, all]: the body is re-encoded in ``encoding`` (``cp1252``;
  characters it lacks become numeric character references) while the XML declaration keeps
  saying UTF-8 (``declaration="utf-8"``) or is removed (``declaration=None``), and the header
  says ``charset=<header_charset>`` (``utf-8``; ``None`` sends plain ``text/xml``).
* ``slow`` [any verb, all]: sleep ``delay`` seconds (2.0) before answering; use with a client
  timeout shorter than ``delay``, and ``times=1`` to let a retry succeed.
* ``slow_pages`` [ListRecords/ListIdentifiers, all]: every list page is delayed by ``delay``
  (0.5) seconds, to kill a harvest in the middle.
* ``expired_token`` [requests carrying a resumptionToken, all]: answered with the OAI error
  ``badResumptionToken`` (HTTP ``status``, default 200).
* ``billion_laughs`` [ListRecords/GetRecord, page 1]: a DOCTYPE declares ``depth`` (10) levels
  of entities, each ten copies of the previous one, and the first ``dc:title`` references the
  last: expanded, that is 10**depth copies of "lol".
* ``xxe`` [ListRecords/GetRecord, page 1]: a DOCTYPE declares an external entity pointing at
  ``target`` (by default a temporary file holding :attr:`Misbehaving.secret_marker`) and the
  first ``dc:title`` references it.
* ``huge`` [ListRecords/GetRecord, page 1]: the first ``dc:title`` is padded with ``size``
  bytes (32 MiB) of text, streamed in 64 KiB chunks; ``Content-Length`` is sent unless
  ``content_length=False``.

The request log (:attr:`Misbehaving.log`) lists ``(params, HTTP status)`` for every request,
in order, and is safe to read while the server runs.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qs

from harvester.sample_provider.rendering import render_error

LIST_VERBS = ("ListRecords", "ListIdentifiers")
RECORD_VERBS = ("ListRecords", "GetRecord")

# behaviour -> default options (targeting + specific ones); unknown options are an error.
_DEFAULTS: dict[str, dict[str, Any]] = {
    "none": {"verbs": None, "start": 1, "times": None},
    "retry_after_seconds": {"verbs": None, "start": 1, "times": 2, "seconds": 1},
    "retry_after_date": {"verbs": None, "start": 1, "times": 2, "seconds": 1},
    "too_many_requests": {"verbs": None, "start": 1, "times": 2, "retry_after": 1},
    "error_500_then_ok": {"verbs": None, "start": 1, "times": 2},
    "oai_error_422": {
        "verbs": None,
        "start": 1,
        "times": None,
        "status": 422,
        "code": None,
        "message": "Forced error from the misbehaving test provider.",
    },
    "repeated_token": {"verbs": LIST_VERBS, "start": 1, "times": None},
    "self_token": {"verbs": LIST_VERBS, "start": 1, "times": None},
    "truncated_xml": {
        "verbs": LIST_VERBS,
        "start": 2,
        "times": 1,
        "fraction": 0.5,
        "keep_length": False,
    },
    "illegal_chars": {"verbs": RECORD_VERBS, "start": 1, "times": 1, "records": 1},
    "wrong_charset": {
        "verbs": None,
        "start": 1,
        "times": None,
        "encoding": "cp1252",
        "declaration": "utf-8",
        "header_charset": "utf-8",
    },
    "slow": {"verbs": None, "start": 1, "times": None, "delay": 2.0},
    "slow_pages": {"verbs": LIST_VERBS, "start": 1, "times": None, "delay": 0.5},
    "expired_token": {"verbs": None, "start": 1, "times": None, "status": 200},
    "billion_laughs": {"verbs": RECORD_VERBS, "start": 1, "times": 1, "depth": 10},
    "xxe": {"verbs": RECORD_VERBS, "start": 1, "times": 1, "target": None},
    "huge": {
        "verbs": RECORD_VERBS,
        "start": 1,
        "times": 1,
        "size": 32 * 1024 * 1024,
        "content_length": True,
    },
}

BEHAVIOURS = frozenset(_DEFAULTS)

_TOKEN_RE = re.compile(
    rb"<resumptionToken(?P<attrs>[^>]*?)(?:/>|>(?P<text>[^<]*)</resumptionToken>)"
)
_DECLARATION_RE = re.compile(rb"^<\?xml[^>]*\?>\s*")
_TITLE_OPEN_RE = re.compile(rb"<dc:title(?:\s[^>]*)?>")
_STYLESHEET_PI = b'<?xml-stylesheet type="text/xsl" href="/static/oai-pmh-test.xsl"?>'

StartResponse = Callable[..., Any]


def _params_of(environ: dict[str, Any]) -> dict[str, str]:
    """Read the request arguments (GET query or POST form) without consuming them."""
    query = environ.get("QUERY_STRING", "") or ""
    if environ.get("REQUEST_METHOD", "GET").upper() == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        data = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(data)
        query = data.decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}


def _base_url(environ: dict[str, Any]) -> str:
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "localhost")
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}{environ.get('PATH_INFO', '')}"


class Misbehaving:
    """Wrap a WSGI app so that it misbehaves in one named way (see the module docs).

    Attributes:
        behaviour: the behaviour's name.
        options: the effective options (defaults merged with the given ones).
        log: ``(params, HTTP status)`` per request, in arrival order.
        affected: identifiers of records that were corrupted (``illegal_chars``).
        secret_marker: text of the default ``xxe`` target file (``xxe`` only).
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], behaviour: str, **options: Any):
        """Create the middleware.

        Args:
            app: the WSGI application to wrap.
            behaviour: one of :data:`BEHAVIOURS`.
            **options: targeting (``verbs``, ``start``, ``times``, ``page``) and the
                behaviour's own options, as listed in the module docs.

        Raises:
            ValueError: unknown behaviour.
            TypeError: an option the behaviour does not take.
        """
        if behaviour not in _DEFAULTS:
            raise ValueError(f"unknown behaviour {behaviour!r}; known: {sorted(BEHAVIOURS)}")
        merged = dict(_DEFAULTS[behaviour])
        if "page" in options:
            page = options.pop("page")
            options.setdefault("start", page)
            options.setdefault("times", 1)
        unknown = set(options) - set(merged)
        if unknown:
            raise TypeError(f"{behaviour} does not take options {sorted(unknown)}")
        merged.update(options)
        self.app = app
        self.behaviour = behaviour
        self.options = merged
        self.log: list[tuple[dict[str, str], int]] = []
        self.affected: list[str] = []
        self.secret_marker = ""
        self._lock = threading.Lock()
        self._targeted = 0
        self._first_token: bytes | None = None
        if behaviour == "xxe" and merged["target"] is None:
            self.secret_marker = f"CSFINDER-XXE-SECRET-{os.getpid()}-{id(self):x}"
            handle, path = tempfile.mkstemp(prefix="csfinder-xxe-", suffix=".txt")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(self.secret_marker)
            merged["target"] = path
            weakref.finalize(self, _unlink, path)

    # ------------------------------------------------------------------ bookkeeping

    @property
    def requests(self) -> list[tuple[dict[str, str], int]]:
        """A copy of the request log."""
        with self._lock:
            return list(self.log)

    def count(self, verb: str | None = None, status: int | None = None) -> int:
        """Count logged requests, optionally only those with this verb and/or HTTP status."""
        return sum(
            1
            for params, code in self.requests
            if (verb is None or params.get("verb") == verb) and (status is None or code == status)
        )

    def _select(self, params: dict[str, str]) -> bool:
        """Count the request if targeted; tell whether it misbehaves."""
        verbs = self.options["verbs"]
        if self.behaviour == "expired_token":
            targeted = "resumptionToken" in params
        else:
            targeted = verbs is None or params.get("verb") in verbs
        if not targeted:
            return False
        with self._lock:
            self._targeted += 1
            number = self._targeted
        start, times = self.options["start"], self.options["times"]
        return number >= start and (times is None or number < start + times)

    def _record(self, params: dict[str, str], status: str) -> None:
        with self._lock:
            self.log.append((params, int(status.split(" ", 1)[0])))

    # -------------------------------------------------------------------------- WSGI

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer one request, misbehaving when selected."""
        params = _params_of(environ)
        selected = self._select(params)
        status, headers, body = self._respond(environ, params, selected)
        self._record(params, status)
        start_response(status, headers)
        return body

    def _inner(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        captured: dict[str, Any] = {}
        chunks: list[bytes] = []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, list(headers)
            return chunks.append

        result = self.app(environ, start)
        try:
            chunks.extend(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return captured["status"], captured["headers"], b"".join(chunks)

    def _respond(
        self, environ: dict[str, Any], params: dict[str, str], selected: bool
    ) -> tuple[str, list[tuple[str, str]], Iterable[bytes]]:
        o = self.options
        b = self.behaviour
        if selected and b in ("slow", "slow_pages"):
            time.sleep(float(o["delay"]))
        if selected and b == "retry_after_seconds":
            return _html(503, "Service Unavailable", [("Retry-After", str(o["seconds"]))])
        if selected and b == "retry_after_date":
            when = formatdate(math.ceil(time.time()) + float(o["seconds"]), usegmt=True)
            return _html(503, "Service Unavailable", [("Retry-After", when)])
        if selected and b == "too_many_requests":
            extra = [] if o["retry_after"] is None else [("Retry-After", str(o["retry_after"]))]
            return _html(429, "Too Many Requests", extra)
        if selected and b == "error_500_then_ok":
            return _html(500, "Internal Server Error", [])
        if selected and b == "expired_token":
            body = render_error(
                _base_url(environ),
                "badResumptionToken",
                "The resumptionToken has expired.",
                {"verb": params.get("verb", ""), "resumptionToken": params["resumptionToken"]},
            )
            return _xml(int(o["status"]), body)
        if selected and b == "oai_error_422" and o["code"] is not None:
            body = render_error(_base_url(environ), str(o["code"]), str(o["message"]))
            return _xml(int(o["status"]), _invenio_style(body))

        status, headers, body = self._inner(environ)
        if b == "oai_error_422" and selected and b"<error code=" in body:
            return _xml(int(o["status"]), _invenio_style(body))
        if not selected or not status.startswith("200"):
            return status, headers, [body]

        if b == "repeated_token":
            body = self._repeat_first_token(body)
        elif b == "self_token" and "resumptionToken" in params:
            body = _set_token(body, params["resumptionToken"].encode("utf-8"))
        elif b == "truncated_xml":
            cut = body[: int(len(body) * float(o["fraction"]))]
            length = len(body) if o["keep_length"] else len(cut)
            headers = _replace(headers, "Content-Length", str(length))
            return status, headers, [cut]
        elif b == "illegal_chars":
            body = self._corrupt_records(body, int(o["records"]))
        elif b == "wrong_charset":
            return self._wrong_charset(status, headers, body)
        elif b == "billion_laughs":
            body = _with_entity(
                body, _laughs_doctype(int(o["depth"])), b"&lol%d;" % int(o["depth"])
            )
        elif b == "xxe":
            uri = "file://" + os.path.abspath(str(o["target"]))
            doctype = f'<!DOCTYPE OAI-PMH [\n<!ENTITY xxe SYSTEM "{uri}">\n]>\n'.encode()
            body = _with_entity(body, doctype, b"&xxe;")
        elif b == "huge":
            return self._huge(status, headers, body)
        return status, _replace(headers, "Content-Length", str(len(body))), [body]

    # ------------------------------------------------------------------ body surgery

    def _repeat_first_token(self, body: bytes) -> bytes:
        match = _TOKEN_RE.search(body)
        if match is None:
            return body
        with self._lock:
            if self._first_token is None and match.group("text"):
                self._first_token = match.group("text")
            first = self._first_token
        return body if first is None else _set_token(body, first)

    def _corrupt_records(self, body: bytes, how_many: int) -> bytes:
        pieces = body.split(b"<record>")
        done = 0
        for i in range(1, len(pieces)):
            if done >= how_many:
                break
            piece = pieces[i]
            title = _TITLE_OPEN_RE.search(piece)
            if title is None:
                continue
            end = title.end()
            close = piece.index(b"</dc:title>", end)
            piece = piece[:end] + b"\x01&#x1;" + piece[end:close] + b"\x0b" + piece[close:]
            description = re.search(rb"<dc:description(?:\s[^>]*)?>", piece)
            if description is not None:
                at = description.end()
                piece = piece[:at] + b"\x1f" + piece[at:]
            pieces[i] = piece
            identifier = re.search(rb"<identifier>([^<]*)</identifier>", piece)
            if identifier is not None:
                with self._lock:
                    self.affected.append(identifier.group(1).decode("utf-8"))
            done += 1
        return b"<record>".join(pieces)

    def _wrong_charset(
        self, status: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[str, list[tuple[str, str]], Iterable[bytes]]:
        o = self.options
        text = body.decode("utf-8")
        if o["declaration"] is None:
            text = _DECLARATION_RE.sub(b"", body).decode("utf-8")
        else:
            text = re.sub(
                r"^<\?xml[^>]*\?>",
                f'<?xml version="1.0" encoding="{str(o["declaration"]).upper()}"?>',
                text,
                count=1,
            )
        encoded = text.encode(str(o["encoding"]), errors="xmlcharrefreplace")
        content_type = (
            "text/xml"
            if o["header_charset"] is None
            else (f"text/xml; charset={o['header_charset']}")
        )
        headers = _replace(headers, "Content-Type", content_type)
        headers = _replace(headers, "Content-Length", str(len(encoded)))
        return status, headers, [encoded]

    def _huge(
        self, status: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[str, list[tuple[str, str]], Iterable[bytes]]:
        size = int(self.options["size"])
        title = _TITLE_OPEN_RE.search(body)
        at = title.end() if title is not None else body.index(b"</OAI-PMH>")
        if title is None:  # no record to pad: pad with a comment instead
            head, tail = body[:at] + b"<!--", b"-->" + body[at:]
        else:
            head, tail = body[:at], body[at:]
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        if self.options["content_length"]:
            headers.append(("Content-Length", str(len(head) + size + len(tail))))
        return status, headers, _stream(head, size, tail)


# ------------------------------------------------------------------------------ helpers


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _stream(head: bytes, size: int, tail: bytes) -> Iterator[bytes]:
    yield head
    chunk = (b"citizen science observation data " * 2048)[: 64 * 1024]
    left = size
    while left > 0:
        piece = chunk[: min(left, len(chunk))]
        left -= len(piece)
        yield piece
    yield tail


def _html(
    code: int, reason: str, extra: list[tuple[str, str]]
) -> tuple[str, list[tuple[str, str]], list[bytes]]:
    body = f"<html><body><h1>{code} {reason}</h1></body></html>".encode()
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
    return f"{code} {reason}", headers + extra, [body]


_REASONS = {200: "OK", 400: "Bad Request", 422: "Unprocessable Entity", 500: "Server Error"}


def _xml(code: int, body: bytes) -> tuple[str, list[tuple[str, str]], list[bytes]]:
    headers = [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))]
    return f"{code} {_REASONS.get(code, 'Error')}", headers, [body]


def _invenio_style(body: bytes) -> bytes:
    """One line, no XML declaration, a stylesheet processing instruction in front."""
    body = _DECLARATION_RE.sub(b"", body).replace(b"\n", b"")
    return _STYLESHEET_PI + body


def _set_token(body: bytes, token: bytes) -> bytes:
    def replace(match: re.Match[bytes]) -> bytes:
        return b"<resumptionToken" + match.group("attrs") + b">" + token + b"</resumptionToken>"

    return _TOKEN_RE.sub(replace, body, count=1)


def _laughs_doctype(depth: int) -> bytes:
    lines = [b"<!DOCTYPE OAI-PMH [", b'<!ENTITY lol0 "lol">']
    for level in range(1, depth + 1):
        lines.append(b'<!ENTITY lol%d "%s">' % (level, (b"&lol%d;" % (level - 1)) * 10))
    lines.append(b"]>")
    return b"\n".join(lines) + b"\n"


def _with_entity(body: bytes, doctype: bytes, reference: bytes) -> bytes:
    """Insert a DOCTYPE after the XML declaration and a reference into the first title."""
    declaration = _DECLARATION_RE.match(body)
    at = declaration.end() if declaration is not None else 0
    body = body[:at] + doctype + body[at:]
    title = _TITLE_OPEN_RE.search(body)
    if title is None:
        return body
    return body[: title.end()] + reference + body[title.end() :]


def _replace(headers: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    kept = [(k, v) for k, v in headers if k.lower() != name.lower()]
    return [*kept, (name, value)]
