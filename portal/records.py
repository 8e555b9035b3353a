"""Record pages ``/records/<id>``: every field, provenance, quality; FAIR Signposting in
``Link`` headers and a linkset; the record as JSON, JSON-LD, DCAT (Turtle, RDF/XML) and
DataCite XML by content negotiation or at ``/records/<id>/metadata/<format>``."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from lxml import etree
from markupsafe import Markup

from harvester.enrich.clusters.identity import default_cluster_id
from portal.dcat import add_record, new_graph
from portal.jsonld import record_jsonld, record_page
from portal.oai.datacite import oai_datacite
from portal.services import services
from portal.signposting import LINKSET_TYPE, METADATA_FORMATS, link_header, record_links
from portal.signposting import linkset as linkset_of

blueprint = Blueprint("records", __name__)
OFFERED = ("text/html", "application/json", *METADATA_FORMATS.values())
RDF_FORMATS = {"text/turtle": "turtle", "application/rdf+xml": "xml"}
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


def _live(record_id: str) -> dict[str, Any]:
    """The live record with this id, or a 404."""
    record = load_record(record_id)
    if record is None:
        abort(404)
    return record


def metadata_response(record: dict[str, Any], media_type: str) -> Response:
    """The record's metadata in one of :data:`METADATA_FORMATS`."""
    if media_type == "application/ld+json":
        response = jsonify(record_jsonld(record))
    elif media_type in RDF_FORMATS:
        graph = new_graph()
        add_record(graph, record, record_page(record))
        response = Response(graph.serialize(format=RDF_FORMATS[media_type]))
    else:
        wrapper = oai_datacite(record, record_page(record))
        resource = wrapper.find(".//{http://datacite.org/schema/kernel-4}resource")
        assert resource is not None  # oai_datacite always wraps one resource
        body = etree.tostring(resource, xml_declaration=True, encoding="UTF-8")
        response = Response(body)
    response.mimetype = media_type
    return response


@blueprint.get("/records/<record_id>")
def show(record_id: str) -> ResponseReturnValue:
    """The record, in the representation the client accepts, with its signposting."""
    record = _live(record_id)
    links = record_links(record)
    headers = {"Vary": "Accept", "Link": link_header(links)}
    wanted = request.accept_mimetypes.best_match(OFFERED, default="text/html")
    if wanted == "application/json":
        response = jsonify({**record, "listings": [x["id"] for x in cluster_listings(record)]})
        response.headers.update(headers)
        return response
    if wanted in METADATA_FORMATS.values():
        response = metadata_response(record, str(wanted))
        response.headers.update(headers)
        return response
    embedded = json.dumps(record_jsonld(record), ensure_ascii=False)
    embedded = embedded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # < > & are escaped above, so the JSON cannot end the script element it sits in.
    script = Markup(embedded)  # noqa: S704
    formats = {
        name: url_for("records.metadata", record_id=record_id, fmt=name)
        for name in METADATA_FORMATS
    }
    body = render_template(
        "record.html",
        record=record,
        jsonld=script,
        formats=formats,
        listings=cluster_listings(record),
    )
    return body, 200, headers


@blueprint.get("/records/<record_id>/metadata/<fmt>")
def metadata(record_id: str, fmt: str) -> ResponseReturnValue:
    """The record's metadata in one format: jsonld, ttl, rdf or datacite."""
    media_type = METADATA_FORMATS.get(fmt)
    if media_type is None:
        abort(404)
    record = _live(record_id)
    response = metadata_response(record, media_type)
    response.headers["Link"] = f'<{record_page(record)}> ; rel="describes"'
    return response


@blueprint.get("/records/<record_id>/linkset")
def linkset(record_id: str) -> ResponseReturnValue:
    """The record page's typed links as an RFC 9264 linkset."""
    record = _live(record_id)
    response = jsonify(linkset_of(record, record_links(record)))
    response.mimetype = LINKSET_TYPE
    return response
