"""Over-long requests to the real portal (``csfinder serve``) answer in the API's JSON error
shape, at the limits the portal sets deliberately (:mod:`portal.limits`), never with
gunicorn's own HTML page."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from portal.limits import (
    MAX_BODY_BYTES,
    MAX_HEADER_FIELD_BYTES,
    MAX_HEADER_FIELDS,
    MAX_REQUEST_LINE,
)
from tests.support.portal_server import RunningPortal, serve_portal

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPortal]:
    folder = tmp_path_factory.mktemp("limits")
    (folder / "config" / "sources").mkdir(parents=True)
    env = {"CSFINDER_HOME": str(folder / "var"), "CSFINDER_CONFIG": str(folder / "config")}
    with serve_portal(env, workers=1) as running:
        yield running


def raw(portal: RunningPortal, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are; the answer's status, headers and body."""
    parts = urlsplit(portal.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def get(
    path: str, headers: list[str] | None = None, body: bytes = b"", method: str = "GET"
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", *(headers or [])]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def api_error(status: int, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    assert headers["content-type"].startswith("application/json"), body[:200]
    error: dict[str, Any] = json.loads(body)["error"]
    assert error["status"] == status
    return error


def test_a_request_line_over_the_limit_answers_414_in_json(portal: RunningPortal) -> None:
    path = "/api/v1/search?q=" + "a" * MAX_REQUEST_LINE
    status, headers, body = raw(portal, get(path))
    assert status == 414
    assert "request line" in api_error(414, headers, body)["message"]


def test_a_long_search_under_the_limit_is_answered(portal: RunningPortal) -> None:
    """gunicorn's default (4,094 bytes) would refuse this one: the limit is set on purpose."""
    path = "/api/v1/search?q=" + "+".join(["bird"] * 1300)
    assert 5000 < len(path) < MAX_REQUEST_LINE - 20
    status, _headers, _body = raw(portal, get(path))
    assert status == 200


def test_too_many_headers_answer_431_in_json(portal: RunningPortal) -> None:
    many = [f"X-Filler-{n}: x" for n in range(MAX_HEADER_FIELDS + 5)]
    status, headers, body = raw(portal, get("/api/v1/sources", many))
    assert status == 431
    api_error(431, headers, body)


def test_a_header_over_the_limit_answers_431_in_json(portal: RunningPortal) -> None:
    big = [f"X-Big: {'b' * (MAX_HEADER_FIELD_BYTES + 10)}"]
    status, headers, body = raw(portal, get("/api/v1/sources", big))
    assert status == 431
    api_error(431, headers, body)


def test_a_body_over_the_limit_answers_413(portal: RunningPortal) -> None:
    announced = [f"Content-Length: {MAX_BODY_BYTES + 1}"]
    status, headers, body = raw(portal, get("/api/v1/search", announced))
    assert status == 413
    api_error(413, headers, body)
    form = ["Content-Type: application/x-www-form-urlencoded", *announced]
    status, _headers, _body = raw(portal, get("/oai", form, method="POST"))
    assert status == 413


def test_a_request_that_is_not_http_answers_400_in_json(portal: RunningPortal) -> None:
    status, headers, body = raw(portal, b"GET /api/v1/sources HTTP/9.9\r\n\r\n")
    assert status == 400
    api_error(400, headers, body)
