"""What an assessor can learn about one landing page over HTTP, as F-UJI gathers it: the
page itself, its typed links (``Link`` headers, FAIR Signposting), the metadata embedded in
its HTML (JSON-LD, read with extruct), the RDF and DataCite XML it offers by content
negotiation and through ``describedby`` links, and its linkset.

Nothing here knows how csfinder builds its pages: it reads them as it would read any
repository's. Data files are not downloaded (their links and declared types are judged).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final

import extruct
import requests
from lxml import etree
from rdflib import Graph
from requests.utils import parse_header_links

RDF_TYPES: Final = {
    "application/ld+json": "json-ld",
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
}
"""RDF media types tried by content negotiation, and their rdflib parser."""
DATACITE_TYPE: Final = "application/vnd.datacite.datacite+xml"
DATACITE_NS: Final = "http://datacite.org/schema/kernel-4"
LINKSET_TYPE: Final = "application/linkset+json"
TIMEOUT: Final = 20.0


@dataclass
class Evidence:
    """Everything gathered about one landing page."""

    url: str
    status: int = 0
    final_url: str = ""
    links: list[dict[str, str]] = field(default_factory=list)
    embedded: list[dict[str, Any]] = field(default_factory=list)
    embedded_graph: Graph = field(default_factory=Graph)
    negotiated: dict[str, Graph] = field(default_factory=dict)
    described_by: dict[str, int] = field(default_factory=dict)
    datacite: etree._Element | None = None
    linkset: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def graph(self) -> Graph:
        """The embedded and the negotiated RDF together."""
        merged = Graph()
        for part in (self.embedded_graph, *self.negotiated.values()):
            for triple in part:
                merged.add(triple)
        return merged

    def rels(self, rel: str) -> list[dict[str, str]]:
        """The page's typed links of one relation type."""
        return [link for link in self.links if rel in link.get("rel", "").split()]


def _get(session: requests.Session, url: str, accept: str) -> requests.Response | None:
    try:
        return session.get(url, headers={"Accept": accept}, timeout=TIMEOUT)
    except requests.RequestException:
        return None


SCHEMA_CONTEXTS: Final = ("https://schema.org", "http://schema.org")


def offline_context(item: dict[str, Any]) -> dict[str, Any]:
    """A JSON-LD node whose remote schema.org context is replaced by its vocabulary, so
    that it parses without fetching the context (no network is needed or used)."""
    context = item.get("@context")
    names = context if isinstance(context, list) else [context]
    if any(isinstance(n, str) and n.rstrip("/") in SCHEMA_CONTEXTS for n in names):
        kept = [n for n in names if not (isinstance(n, str) and n.rstrip("/") in SCHEMA_CONTEXTS)]
        return {**item, "@context": [{"@vocab": "https://schema.org/"}, *kept]}
    return item


def _parse_rdf(text: str, parser: str, base: str) -> Graph | None:
    """The RDF in ``text``, or None when it does not parse."""
    try:
        return Graph().parse(data=text, format=parser, publicID=base)
    except Exception:
        return None


def gather(url: str, session: requests.Session | None = None) -> Evidence:
    """Fetch the landing page at ``url`` and everything it points machines to."""
    http = session or requests.Session()
    found = Evidence(url)
    page = _get(http, url, "text/html")
    if page is None:
        found.problems.append("the page could not be fetched")
        return found
    found.status, found.final_url = page.status_code, page.url
    found.links = parse_header_links(page.headers.get("Link", "")) if "Link" in page.headers else []
    if page.ok and "html" in page.headers.get("Content-Type", ""):
        data = extruct.extract(page.text, base_url=page.url, syntaxes=["json-ld"], uniform=True)
        found.embedded = list(data.get("json-ld", []))
        for item in found.embedded:
            graph = _parse_rdf(json.dumps(offline_context(item)), "json-ld", page.url)
            if graph is not None:
                found.embedded_graph += graph
    for media_type, parser in RDF_TYPES.items():
        answer = _get(http, page.url, media_type)
        if (
            answer is not None
            and answer.ok
            and media_type in answer.headers.get("Content-Type", "")
        ):
            graph = _parse_rdf(answer.text, parser, page.url)
            if graph is not None:
                found.negotiated[media_type] = graph
    for link in found.rels("describedby"):
        answer = _get(http, link["url"], link.get("type") or "*/*")
        found.described_by[link.get("type", "")] = answer.status_code if answer is not None else 0
        if answer is not None and answer.ok and link.get("type") == DATACITE_TYPE:
            found.datacite = _datacite(answer.content)
    if found.datacite is None:
        answer = _get(http, page.url, DATACITE_TYPE)
        if answer is not None and answer.ok:
            found.datacite = _datacite(answer.content)
    for link in found.rels("linkset"):
        answer = _get(http, link["url"], LINKSET_TYPE)
        if answer is not None and answer.ok:
            try:
                found.linkset = answer.json()
            except ValueError:
                found.problems.append("the linkset is not JSON")
    return found


def _datacite(body: bytes) -> etree._Element | None:
    """A DataCite ``<resource>``, parsed safely (no entities, no network), or None."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return None
    return root if root.tag == f"{{{DATACITE_NS}}}resource" else None
