"""The ``/oai`` endpoint: one OAI-PMH request in, the provider's answer out (HTTP 200)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from portal.oai.config import oai_config
from portal.oai.provider import Provider, Request, utc_now
from portal.public_url import public_host, public_root, public_url_for
from portal.request_checks import InvalidQueryString
from portal.services import services

blueprint = Blueprint("oai", __name__)

CONTENT_TYPE = "text/xml; charset=utf-8"


def _record_url(record_id: str) -> str:
    try:
        return public_url_for("records.show", record_id=record_id)
    except Exception:  # the records blueprint may not be registered
        return f"{public_root()}/records/{record_id}"


@blueprint.route("/oai", methods=["GET", "POST"])
def endpoint() -> Response:
    """Answer one OAI-PMH request."""
    params = request.form if request.method == "POST" else request.args
    answer = Provider(services().store, oai_config()).answer(_request(params.to_dict(flat=False)))
    return Response(answer, status=200, content_type=CONTENT_TYPE)


@blueprint.errorhandler(InvalidQueryString)
def _unreadable(exc: InvalidQueryString) -> Response:
    """``badArgument`` (HTTP 200, as every OAI-PMH error) for a query string not in UTF-8."""
    message = exc.description or "The request cannot be read."
    answer = Provider(services().store, oai_config()).error(_request({}), "badArgument", message)
    return Response(answer, status=200, content_type=CONTENT_TYPE)


def _request(params: dict[str, list[str]]) -> Request:
    return Request(
        params=params,
        base_url=public_url_for("oai.endpoint"),
        host=public_host(),
        now=utc_now(),
        record_url=_record_url,
    )
