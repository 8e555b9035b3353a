"""Error pages in the reader's language (403, 404, 405, 429 and the rest), with the
portal's layout and the headers the error carries (``Allow``, ``Retry-After``)."""

from __future__ import annotations

from flask import render_template
from flask.globals import request_ctx
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _explained(code: int) -> tuple[str, str]:
    """The page's heading and sentence for an HTTP status."""
    if code == 404:
        return gettext("Page not found"), gettext(
            "There is no page at this address: it may have been removed, or the address may "
            "be mistyped."
        )
    if code == 403:
        return gettext("Not allowed"), gettext("This page is for administrators who are logged in.")
    if code == 405:
        return gettext("Not allowed"), gettext("This address does not take that kind of request.")
    if code == 429:
        return gettext("Too many requests"), gettext(
            "Too many requests came from your address. Wait a little, then try again."
        )
    if code < 500:
        return gettext("This request cannot be answered"), gettext(
            "Check the address and the values in it, then try again."
        )
    return gettext("Something went wrong"), gettext(
        "The portal could not answer. Please try again later."
    )


def error_page(exc: HTTPException) -> ResponseReturnValue:
    """The error as an HTML page; as Werkzeug's plain page when the request could not even
    be routed (a host the portal does not serve: no URL can be built for the layout)."""
    code = exc.code or 500
    if request_ctx.url_adapter is None:
        return exc
    title, text = _explained(code)
    headers = {name: value for name, value in exc.get_headers() if name in KEPT_HEADERS}
    own = exc.description if exc.description != type(exc).description else None
    detail = own if code < 500 else None  # what this refusal says (in English), if its own
    page = render_template("error.html", code=code, title=title, text=text, detail=detail)
    return page, code, headers
