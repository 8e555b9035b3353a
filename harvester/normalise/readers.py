"""Reading a raw payload into the document a crosswalk's paths run over.

``xml`` gives an lxml element (entities never resolved); ``json`` the parsed JSON;
``jsonld`` the first node of a wanted ``@type`` (schema.org JSON-LD, from ``@graph``,
lists or nesting), with ``schema:`` / ``https://schema.org/`` prefixes taken off keys
and types; ``rdf`` (DCAT in RDF/XML, Turtle or JSON-LD, read with rdflib) a plain dict
per resource of a wanted ``rdf:type``, keyed by compact predicate names (``dct:title``),
each holding a list of ``{"value", "lang"}`` literals, IRIs, or nested resource dicts.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from typing import Any

from lxml import etree
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from harvester.core.jsonld import jsonld_nodes

RDF_PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "adms": "http://www.w3.org/ns/adms#",
    "schema": "http://schema.org/",
    "locn": "http://www.w3.org/ns/locn#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "prov": "http://www.w3.org/ns/prov#",
    "spdx": "http://spdx.org/rdf/terms#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
}
MAX_DEPTH = 3
XML_START = re.compile(r"<(?:\?xml|!--|[A-Za-z_][\w.-]*(?::[\w.-]+)?[\s/>])")


_PARSERS = threading.local()


class UnreadablePayload(ValueError):
    """The payload cannot be read in the crosswalk's format."""


def read_document(payload: str, fmt: str, types: tuple[str, ...] = ()) -> Any:
    """Parse a payload for a crosswalk of format ``fmt``.

    Raises:
        UnreadablePayload: not well-formed, or no node of a wanted type.
    """
    try:
        if fmt == "xml":
            return etree.fromstring(payload.encode("utf-8"), _xml_parser())
        if fmt == "json":
            return json.loads(payload)
        if fmt == "jsonld":
            nodes = list(jsonld_nodes(json.loads(payload), types))
            if not nodes:
                raise UnreadablePayload(f"no JSON-LD node of type {', '.join(types)}")
            return nodes[0]
        resources = list(rdf_resources(parse_graph(payload), types))
        if not resources:
            raise UnreadablePayload(f"no RDF resource of type {', '.join(types)}")
        return resources[0][1]
    except UnreadablePayload:
        raise
    except Exception as exc:  # any parser's complaint is one clear reason
        raise UnreadablePayload(f"{type(exc).__name__}: {' '.join(str(exc).split())}") from exc


def _xml_parser() -> etree.XMLParser:
    """This thread's XML parser (entities never resolved, no network, no DTD), made once:
    lxml parsers are reusable but not to be shared between threads."""
    parser: etree.XMLParser | None = getattr(_PARSERS, "xml", None)
    if parser is None:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        _PARSERS.xml = parser
    return parser


# -- RDF (DCAT) ------------------------------------------------------------------------


def parse_graph(payload: str) -> Graph:
    """Parse RDF/XML, Turtle or JSON-LD (guessed from the first character)."""
    text = payload.lstrip()
    graph = Graph()
    if XML_START.match(text):
        graph.parse(data=text, format="xml")
    elif text.startswith(("{", "[")):
        graph.parse(data=text, format="json-ld")
    else:
        graph.parse(data=text, format="turtle")
    return graph


def compact(iri: str) -> str:
    """A predicate or type IRI as ``prefix:name`` where a known prefix fits."""
    if iri.startswith("http://purl.org/dc/terms/#"):  # a common misspelling of dct:
        return "dct:" + iri.rsplit("#", 1)[1]
    for prefix, namespace in RDF_PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    return RDF_PREFIXES[prefix] + local if prefix in RDF_PREFIXES else name


def rdf_resources(graph: Graph, types: tuple[str, ...]) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Each resource of a wanted ``rdf:type``: its node and its description as a dict."""
    seen: set[Any] = set()
    for kind in types:
        for subject in graph.subjects(RDF.type, URIRef(_expand(kind))):
            if subject not in seen:
                seen.add(subject)
                yield subject, describe(graph, subject)


def describe(graph: Graph, subject: Any, depth: int = 0) -> dict[str, Any]:
    """A resource's properties; blank nodes and typed resources nested a few levels."""
    out: dict[str, Any] = {"@id": str(subject) if not isinstance(subject, BNode) else None}
    for predicate, value in graph.predicate_objects(subject):
        key = compact(str(predicate))
        out.setdefault(key, []).append(_value(graph, value, depth))
    return out


def _value(graph: Graph, value: Any, depth: int) -> Any:
    if isinstance(value, Literal):
        return {"value": str(value), "lang": value.language}
    if depth < MAX_DEPTH and (isinstance(value, BNode) or (value, None, None) in graph):
        return describe(graph, value, depth + 1)
    return str(value)


def subgraph(graph: Graph, subject: Any) -> Graph:
    """The statements :func:`describe` reads for ``subject``: its own, and those of the
    blank nodes and described resources it points to, a few levels deep."""
    out = Graph()
    todo: list[tuple[Any, int]] = [(subject, 0)]
    done: set[Any] = set()
    while todo:
        node, depth = todo.pop()
        if node in done:
            continue
        done.add(node)
        for predicate, value in graph.predicate_objects(node):
            out.add((node, predicate, value))
            if depth < MAX_DEPTH and not isinstance(value, Literal):
                todo.append((value, depth + 1))
    return out
