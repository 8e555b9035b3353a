"""``/catalog``: the aggregate as a DCAT-AP 3.0.1 catalogue, for the European data portal
and any DCAT harvester.

Turtle (the default), RDF/XML or JSON-LD by content negotiation (or ``?format=ttl|rdf|
jsonld``); paged with Hydra (``hydra:PagedCollection`` with ``hydra:nextPage``, as the
European data portal's harvester follows it), ordered by when each record last changed here;
``from`` and ``until`` (OAI-PMH style UTC datestamps, day or second) select the records that
changed in that range, for incremental harvesting. Datasets are ``dcat:Dataset`` with their
distributions; projects and other resources ``dcat:Resource`` (DCAT-AP has no class for a
project: ``dcat:Resource`` is the class DCAT gives every catalogued thing, and the catalogue
lists them with ``dcat:resource``); each has a ``dcat:CatalogRecord`` naming its source
record. Records withdrawn at the source are left out (OAI-PMH reports deletions).
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Final

from flask import Blueprint, Response, abort, request
from flask.typing import ResponseReturnValue
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from harvester.fetch.oai.protocol import GRANULARITY_SECONDS, OAIError, date_bounds
from portal.dcat import HYDRA, add_record, new_graph
from portal.jsonld import record_page
from portal.oai.config import oai_config
from portal.oai.document import load
from portal.public_url import public_request_url, public_url_for
from portal.services import services

blueprint = Blueprint("catalog", __name__)

FORMATS: Final = {
    "ttl": ("text/turtle", "turtle"),
    "rdf": ("application/rdf+xml", "xml"),
    "jsonld": ("application/ld+json", "json-ld"),
}
"""Each serialisation's name in ``?format=``, media type and rdflib format."""
PAGE_SIZE: Final = 100
MAX_PAGE_SIZE: Final = 500


class CatalogError(ValueError):
    """A request argument the catalogue cannot use; answered with HTTP 400."""


def _chosen_format() -> tuple[str, str]:
    """The media type and rdflib format the client asked for (Turtle by default)."""
    named = request.args.get("format")
    if named is not None:
        if named not in FORMATS:
            raise CatalogError(f"format must be one of {', '.join(FORMATS)}, not {named!r}")
        return FORMATS[named]
    offered = [media for media, _ in FORMATS.values()]
    best = request.accept_mimetypes.best_match(offered, default="text/turtle")
    return next(pair for pair in FORMATS.values() if pair[0] == best)


def _cursor(text: str | None) -> tuple[datetime, str] | None:
    """The keyset position a ``cursor`` argument encodes."""
    if not text:
        return None
    try:
        stamp, _, record_id = base64.urlsafe_b64decode(text.encode()).decode().partition("|")
        return datetime.fromisoformat(stamp), record_id
    except ValueError:
        raise CatalogError("cursor is not one this catalogue gave") from None


def _encode_cursor(changed_at: datetime, record_id: str) -> str:
    return base64.urlsafe_b64encode(f"{changed_at.isoformat()}|{record_id}".encode()).decode()


def _page_size() -> int:
    """The ``limit`` argument, 1..MAX_PAGE_SIZE (PAGE_SIZE when not given)."""
    text = request.args.get("limit")
    if text is None:
        return PAGE_SIZE
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE_SIZE:
        raise CatalogError(f"limit must be a whole number from 1 to {MAX_PAGE_SIZE}")
    return int(text)


def _describe_catalog(graph: Graph, catalog: URIRef) -> None:
    """The catalogue itself: title, description, publisher, home page."""
    name = oai_config().repository_name
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(name, lang="en")))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                "Citizen-science projects and datasets harvested from many platforms and "
                "normalised into one model, each with the record it was harvested from.",
                lang="en",
            ),
        )
    )
    publisher = BNode()
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(name)))
    home = URIRef(public_url_for("search.page"))
    graph.add((catalog, FOAF.homepage, home))
    graph.add((home, RDF.type, FOAF.Document))


def catalog_page() -> tuple[Graph, int]:
    """One page of the catalogue as a graph, and how many records it holds."""
    args = request.args
    try:
        from_, until = date_bounds(args.get("from"), args.get("until"), GRANULARITY_SECONDS)
    except OAIError as exc:
        raise CatalogError(str(exc)) from None
    size = _page_size()
    after = _cursor(args.get("cursor"))
    store = services().store
    page = store.list_changes(None, from_, until, after, size + 1)
    more, page = len(page) > size, page[:size]
    graph = new_graph()
    catalog = URIRef(public_url_for("catalog.show"))
    _describe_catalog(graph, catalog)
    shown = 0
    for row, _changed in page:
        if row.deleted:
            continue
        document = load(row)
        add_record(graph, document, record_page(document), catalog)
        shown += 1
    _hydra(graph, size, page[-1] if more else None)
    return graph, shown


def _hydra(graph: Graph, size: int, last: tuple[object, datetime] | None) -> None:
    """The Hydra paging of this page: its first page and, when there is one, the next."""
    kept = {k: v for k, v in request.args.items() if k not in ("cursor",)}
    this = URIRef(public_request_url())
    graph.add((this, RDF.type, HYDRA.PagedCollection))
    graph.add((this, HYDRA.itemsPerPage, Literal(size, datatype=XSD.integer)))
    first = public_url_for("catalog.show", **kept)
    graph.add((this, HYDRA.firstPage, URIRef(first)))
    if last is not None:
        row, changed_at = last
        cursor = _encode_cursor(changed_at, str(getattr(row, "id", "")))
        following = public_url_for("catalog.show", **kept, cursor=cursor)
        graph.add((this, HYDRA.nextPage, URIRef(following)))


@blueprint.get("/catalog")
def show() -> ResponseReturnValue:
    """One page of the DCAT-AP catalogue, in the serialisation asked for."""
    try:
        media_type, rdf_format = _chosen_format()
        graph, _count = catalog_page()
    except CatalogError as exc:
        abort(Response(f"{exc}\n", status=400, mimetype="text/plain"))
    body = graph.serialize(format=rdf_format)
    return Response(body, mimetype=media_type, headers={"Vary": "Accept"})
