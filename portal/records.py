"""Record pages ``/records/<id>``: every field, provenance, quality; JSON and JSON-LD too."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from flask import Blueprint, abort, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from harvester.enrich.clusters.identity import default_cluster_id
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
    """The live record with this id, as a mapping with its cluster's id, or None."""
    store = services().store
    row = store.get_normalised(record_id)
    if row is None or row.deleted:
        return None
    found: dict[str, Any] = json.loads(row.document)
    member = store.members_of([record_id]).get(record_id)
    found["cluster_id"] = member.cluster_id if member else default_cluster_id(record_id)
    return found


def cluster_listings(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Every live listing of the record's cluster (the record included), representative
    first: its id, platform, source and links."""
    store = services().store
    members = store.cluster_members([record["cluster_id"]]).get(record["cluster_id"], [])
    ids = [m.record_id for m in members] or [record["id"]]
    documents = store.documents(ids)
    listings = []
    for record_id in ids:
        if record_id not in documents:
            continue
        other = json.loads(documents[record_id])
        provenance = other.get("provenance") or {}
        listings.append(
            {
                "id": record_id,
                "title": other.get("title"),
                "platform": provenance.get("platform"),
                "source_id": provenance.get("source_id"),
                "source_name": provenance.get("source_name"),
                "url": other.get("url"),
                "original_url": provenance.get("original_url"),
                "current": record_id == record["id"],
            }
        )
    return listings


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
        return jsonify({**record, "listings": [x["id"] for x in cluster_listings(record)]})
    embedded = json.dumps(record_jsonld(record), ensure_ascii=False)
    embedded = embedded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # < > & are escaped above, so the JSON cannot end the script element it sits in.
    script = Markup(embedded)  # noqa: S704
    response_body = render_template(
        "record.html", record=record, jsonld=script, listings=cluster_listings(record)
    )
    return response_body, 200, {"Vary": "Accept"}
