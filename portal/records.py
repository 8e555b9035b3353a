"""Record pages ``/records/<id>``: every field, provenance, quality; JSON and JSON-LD too."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from flask import Blueprint, abort, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from portal.jsonld import record_jsonld
from portal.services import services

blueprint = Blueprint("records", __name__)
OFFERED = ("text/html", "application/ld+json", "application/json")
RESOLVERS = {
    "doi": "https://doi.org/",
    "handle": "https://hdl.handle.net/",
    "ark": "https://n2t.net/",
    "urn": "https://nbn-resolving.org/",
}


@blueprint.app_template_global()
def identifier_url(scheme: str, value: str) -> str | None:
    """A link that resolves an identifier, or None when there is no safe one."""
    if value.startswith(("https://", "http://")):
        return value
    prefix = RESOLVERS.get(scheme)
    return prefix + quote(value, safe="/:.-_~;()") if prefix else None


def load_record(record_id: str) -> dict[str, Any] | None:
    """The live record with this id, as a mapping, or None."""
    row = services().store.get_normalised(record_id)
    if row is None or row.deleted:
        return None
    found: dict[str, Any] = json.loads(row.document)
    return found


@blueprint.get("/records/<record_id>")
def show(record_id: str) -> ResponseReturnValue:
    """The record, in the representation the client accepts."""
    record = load_record(record_id)
    if record is None:
        abort(404)
    wanted = request.accept_mimetypes.best_match(OFFERED, default="text/html")
    if wanted == "application/ld+json":
        response = jsonify(record_jsonld(record))
        response.mimetype = "application/ld+json"
        return response
    if wanted == "application/json":
        return jsonify(record)
    embedded = json.dumps(record_jsonld(record), ensure_ascii=False)
    embedded = embedded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # < > & are escaped above, so the JSON cannot end the script element it sits in.
    script = Markup(embedded)  # noqa: S704
    response_body = render_template("record.html", record=record, jsonld=script)
    return response_body, 200, {"Vary": "Accept"}
