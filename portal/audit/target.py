"""The portal under audit, over HTTP: ordinary requests (``requests``, cookies kept) and raw
bytes on a socket of their own, for what no HTTP library sends (bytes that are not UTF-8,
request lines over the limits)."""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

TIMEOUT = 30.0


@dataclass(frozen=True)
class Answer:
    """An answer: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        """The body as UTF-8 text (bad bytes replaced)."""
        return self.body.decode("utf-8", "replace")

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class Target:
    """A running portal at ``base`` (``http://host:port``, no trailing slash)."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "csfinder-audit"

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        """GET ``path`` (cookies kept, redirects not followed)."""
        found = self.session.get(
            self.base + path, headers=headers, timeout=TIMEOUT, allow_redirects=False
        )
        return _answer(found)

    def post(self, path: str, form: dict[str, str]) -> Answer:
        """POST a form to ``path`` (cookies kept, redirects not followed)."""
        found = self.session.post(
            self.base + path, data=form, timeout=TIMEOUT, allow_redirects=False
        )
        return _answer(found)

    def fresh(self) -> Target:
        """Another client of the same portal, with no cookies."""
        return Target(self.base)

    def raw(self, request: bytes) -> Answer:
        """Send ``request`` as it is on a new connection; the answer as read."""
        parts = urlsplit(self.base)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        with socket.create_connection((parts.hostname or "", port), timeout=TIMEOUT) as plain:
            sock = plain
            if parts.scheme == "https":
                context = ssl.create_default_context()
                sock = context.wrap_socket(plain, server_hostname=parts.hostname)
            sock.sendall(request)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        pairs = (line.partition(":") for line in lines[1:])
        headers = {name.strip().lower(): value.strip() for name, _, value in pairs}
        status = int(lines[0].split()[1]) if len(lines[0].split()) > 1 else 0
        return Answer(status, headers, body)

    def raw_get(self, target: bytes, extra: list[bytes] | None = None) -> Answer:
        """A GET of ``target`` (path and query, as bytes) sent raw."""
        host = (urlsplit(self.base).netloc or "localhost").encode("latin-1")
        lines = [b"GET " + target + b" HTTP/1.1", b"Host: " + host, b"Connection: close"]
        return self.raw(b"\r\n".join([*lines, *(extra or [])]) + b"\r\n\r\n")


def _answer(response: requests.Response) -> Answer:
    headers = {name.lower(): value for name, value in response.headers.items()}
    return Answer(response.status_code, headers, response.content)
