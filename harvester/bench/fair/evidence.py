"""What an assessor can learn about one landing page over HTTP, as F-UJI gathers it: the
page itself, its typed links (``Link`` headers, FAIR Signposting), the metadata embedded in
its HTML (JSON-LD, read with extruct), the RDF and DataCite XML it offers by content
negotiation and through ``describedby`` links, and its linkset.

Nothing here knows how csfinder builds its pages: it reads them as it would read any
repository's. Data files are fetched only when asked (``fetch_data``), as F-UJI does to
compare them with the metadata: at most their first megabyte, once each.
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
MAX_DATA_BYTES: Final = 1_000_000
"""Bytes of a data file read at most (F-UJI reads as much, then trusts Content-Length)."""


@dataclass(frozen=True)
class DataFile:
    """What a data file answered: its status, served media type and size (the
    ``Content-Length``, else the bytes received when they were all read), and its first
    megabyte as text (to look for the measured variables in)."""

    url: str
    status: int = 0
    content_type: str | None = None
    size: int | None = None
    text: str = ""


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
    fetch_data: bool = False
    session: requests.Session | None = field(default=None, repr=False, compare=False)
    data_files: dict[str, DataFile] = field(default_factory=dict)

    def data_file(self, url: str) -> DataFile | None:
        """The data file at ``url`` as it answered (fetched once), or None when data files
        are not fetched."""
        if not self.fetch_data:
            return None
        if url not in self.data_files:
            self.data_files[url] = fetch_data_file(self.session or requests.Session(), url)
        return self.data_files[url]

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


def fetch_data_file(session: requests.Session, url: str) -> DataFile:
    """GET a data file and read at most :data:`MAX_DATA_BYTES` of it."""
    if not url.lower().startswith(("http://", "https://")):
        return DataFile(url)
    try:
        with session.get(url, headers={"Accept": "*/*"}, timeout=TIMEOUT, stream=True) as answer:
            body = b""
            for chunk in answer.iter_content(chunk_size=65536):
                body += chunk
                if len(body) >= MAX_DATA_BYTES:
                    break
            complete = len(body) < MAX_DATA_BYTES
            length = answer.headers.get("Content-Length", "")
            media = answer.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
            size = int(length) if length.isdigit() else len(body) if complete else None
            text = body[:MAX_DATA_BYTES].decode("utf-8", errors="replace")
            return DataFile(url, answer.status_code, media or None, size, text)
    except requests.RequestException:
        return DataFile(url)


def gather(url: str, session: requests.Session | None = None, fetch_data: bool = False) -> Evidence:
    """Fetch the landing page at ``url`` and everything it points machines to (and, with
    ``fetch_data``, its data files when a metric asks for them)."""
    http = session or requests.Session()
    found = Evidence(url, fetch_data=fetch_data, session=http)
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
