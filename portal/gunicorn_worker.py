"""gunicorn's threaded worker, answering requests it cannot read in the API's JSON shape.

gunicorn refuses a request line or headers over its limits (:mod:`portal.limits`) before the
app sees the request, with a ``text/html`` page of its own. This worker answers those in
the API's one error shape instead (``{"error": {"status", "code", "message"}}``): 414 for
a request line too long, 431 for too many or too large header fields, 400 for anything
else gunicorn cannot parse. Other errors are gunicorn's own business.
"""

from __future__ import annotations

import json
from typing import Any

from gunicorn import util
from gunicorn.http.errors import (
    InvalidHeader,
    InvalidHeaderName,
    InvalidHTTPVersion,
    InvalidRequestLine,
    InvalidRequestMethod,
    LimitRequestHeaders,
    LimitRequestLine,
    ObsoleteFolding,
)
from gunicorn.workers.gthread import ThreadWorker

from portal.limits import MAX_HEADER_FIELD_BYTES, MAX_HEADER_FIELDS, MAX_REQUEST_LINE

UNREADABLE = (
    InvalidRequestLine,
    InvalidRequestMethod,
    InvalidHTTPVersion,
    InvalidHeader,
    InvalidHeaderName,
    ObsoleteFolding,
)
REASONS = {400: "Bad Request", 414: "URI Too Long", 431: "Request Header Fields Too Large"}
CODES = {400: "bad-request", 414: "uri-too-long", 431: "request-header-fields-too-large"}


def refusal(exc: BaseException) -> tuple[int, str] | None:
    """The status and message for a request gunicorn could not read, or None."""
    if isinstance(exc, LimitRequestLine):
        return 414, f"the request line is over {MAX_REQUEST_LINE:,} bytes"
    if isinstance(exc, LimitRequestHeaders):
        return 431, (
            f"at most {MAX_HEADER_FIELDS} header fields of at most "
            f"{MAX_HEADER_FIELD_BYTES:,} bytes each ({exc})"
        )
    if isinstance(exc, UNREADABLE):
        return 400, f"the request cannot be read as HTTP/1.1 ({type(exc).__name__})"
    return None


def error_bytes(status: int, message: str) -> bytes:
    """A whole HTTP response holding one API error."""
    body = json.dumps({"error": {"status": status, "code": CODES[status], "message": message}})
    head = (
        f"HTTP/1.1 {status} {REASONS[status]}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return (head + body).encode("latin-1")


class JsonErrorWorker(ThreadWorker):  # type: ignore[misc]
    """:class:`ThreadWorker` whose refusals of unreadable requests are API errors."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        """An API error for a request over the limits or unreadable; gunicorn's answer for
        anything else."""
        found = refusal(exc)
        if found is None:
            super().handle_error(req, client, addr, exc)
            return
        status, message = found
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, error_bytes(status, message))
        except OSError:
            self.log.debug("Failed to send error message.")
