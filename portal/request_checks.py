"""What every request is checked for before any view runs: a query string in UTF-8 and a body
within :data:`~portal.limits.MAX_BODY_BYTES`.

Query strings that are not UTF-8 are refused with HTTP 400 before any view reads them.
A WSGI server hands the query string over as bytes, and Werkzeug decodes it strictly when
``request.args`` is first read, so raw bytes that are not UTF-8 (``?q=\\xff``) would raise
inside whatever view read it first. :func:`init_query_string` checks the query string once,
before every view, and raises :class:`InvalidQueryString` (a 400 saying which byte is
wrong), which each surface answers in its own error shape: the API and the exports in
their JSON shape, ``/oai`` as ``badArgument``, the search page as itself, other pages as an
HTML error page. :class:`LenientRequest` reads such a query string with U+FFFD in place of
the bad bytes, so that an error page that shows the parameters can still be drawn. A body
over the limit (announced by Content-Length, or found so while read) answers 413.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Flask, Request, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.utils import cached_property

from portal.limits import MAX_BODY_BYTES


class InvalidQueryString(BadRequest):
    """A query string that is not UTF-8; the description says where."""


class LenientRequest(Request):
    """Flask's request, whose ``args`` never raise on bytes that are not UTF-8."""

    @cached_property
    def args(self) -> MultiDict[str, str]:
        """The URL parameters, bytes that are not UTF-8 read as U+FFFD."""
        text = self.query_string.decode("utf-8", "replace")
        pairs = parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote")
        return self.parameter_storage_class(pairs)


def query_string_problem(raw: bytes) -> str | None:
    """Why a raw query string cannot be read, or None when it is UTF-8."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (
            f"the query string is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at position "
            f"{exc.start}); percent-encode its text as UTF-8"
        )
    return None


def init_request_checks(app: Flask) -> None:
    """Read requests leniently; refuse a query string that is not UTF-8, or a body over the
    limit, before any view."""
    app.request_class = LenientRequest
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @app.before_request
    def _checked_request() -> None:
        problem = query_string_problem(request.query_string)
        if problem is not None:
            raise InvalidQueryString(problem)
        limit = app.config["MAX_CONTENT_LENGTH"]
        if request.content_length is not None and request.content_length > limit:
            raise RequestEntityTooLarge(f"the request body is over {limit:,} bytes")
