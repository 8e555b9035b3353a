"""Raw records from a file on disk, for ``csfinder map`` and the golden tests.

A file may hold rows of a CSV file (``.csv``, ``.tsv``), one record's metadata, a bare OAI
``<record>``, a whole OAI-PMH response with many records, one JSON object, or a JSON API
page (a list, or an object whose ``data``, ``results``, ``items``, ``hits.hits``,
Panoptes' ``projects``, DCAT-US's ``dataset`` or PPSR Core's ``Project`` holds the
records). A JSON:API document holding one resource (``{"data": {"attributes": ...}}``)
gives that resource; a JSON:API error document (``{"errors": [...]}``, no ``data``) gives a
:class:`RecordFailure` naming the errors, never a record.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree
from rdflib import URIRef

from harvester.core.errors import MalformedResponseError
from harvester.core.jsonld import jsonld_nodes
from harvester.core.records import RawRecord, RecordFailure
from harvester.core.source_options import CsvOptions
from harvester.fetch.csv.reader import CsvFileError, read_csv_file
from harvester.fetch.oai.records import read_record
from harvester.fetch.oai.xml import parse_xml
from harvester.normalise.crosswalk import Crosswalk
from harvester.normalise.readers import parse_graph, rdf_resources, subgraph

OAI = "{http://www.openarchives.org/OAI/2.0/}"
PAGE_KEYS = ("data", "results", "items", "records", "@graph", "Project", "projects", "dataset")


def raw_records_from_file(
    path: Path,
    crosswalk: Crosswalk,
    source_id: str = "file",
    csv_options: CsvOptions | None = None,
) -> Iterator[RawRecord | RecordFailure]:
    """Yield the records a file holds, as raw records of ``crosswalk``'s format; a
    ``.csv`` or ``.tsv`` file (for a JSON crosswalk) gives its rows, read as the ``csv``
    protocol reads them (``csv_options``: the source's; default: sniffed, rows hashed).

    Raises:
        MalformedResponseError: the file is not well-formed XML, JSON or CSV.
    """
    if crosswalk.format == "json" and path.suffix.lower() in (".csv", ".tsv"):
        try:
            yield from read_csv_file(path, csv_options or CsvOptions(), source_id, crosswalk.name)
        except CsvFileError as exc:
            raise MalformedResponseError(f"{path}: {exc}") from None
        return
    yield from raw_records_from_body(
        path.read_bytes(), Origin(path.name, str(path)), crosswalk, source_id
    )


@dataclass(frozen=True)
class Origin:
    """Where a body came from: ``name`` makes fallback identifiers, ``where`` messages."""

    name: str
    where: str


def raw_records_from_body(
    body: bytes, origin: Origin, crosswalk: Crosswalk, source_id: str = "file"
) -> Iterator[RawRecord | RecordFailure]:
    """Yield the records a body (a file's, or a response's) holds, as raw records.

    Raises:
        MalformedResponseError: the body is not well-formed XML or JSON.
    """
    if crosswalk.format == "json":
        yield from _json_records(body, origin, crosswalk.name, source_id)
    elif crosswalk.format == "jsonld":
        yield from _jsonld_records(body, origin, crosswalk, source_id)
    elif crosswalk.format == "rdf":
        yield from _rdf_records(body, origin, crosswalk, source_id)
    else:
        yield from _xml_records(body, origin, crosswalk.name, source_id)


def _xml_records(
    body: bytes, origin: Origin, prefix: str, source_id: str
) -> Iterator[RawRecord | RecordFailure]:
    root = parse_xml(body).root
    if root.tag == OAI + "OAI-PMH":
        for element in root.iter(OAI + "record"):
            yield read_record(element, source_id, prefix)
    elif root.tag == OAI + "record":
        yield read_record(root, source_id, prefix)
    else:
        payload = etree.tostring(root, encoding="unicode")
        yield RawRecord(source_id, origin.name, None, prefix, payload)


def _json_records(
    body: bytes, origin: Origin, prefix: str, source_id: str
) -> Iterator[RawRecord | RecordFailure]:
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise MalformedResponseError(f"{origin.where}: not valid JSON: {exc}") from None
    failure = _error_document(document)
    if failure is not None:
        yield RecordFailure(origin.name, failure)
        return
    items = _page_items(document)
    for number, item in enumerate(items if items is not None else [document], start=1):
        identifier = _json_identifier(item) or f"{origin.name}#{number}"
        payload = json.dumps(item, ensure_ascii=False)
        yield RawRecord(source_id, identifier, None, prefix, payload, media_type="application/json")


def _error_document(document: Any) -> str | None:
    """Why a JSON:API error document (``errors`` and no ``data``) holds no record."""
    if not isinstance(document, dict) or "data" in document:
        return None
    errors = document.get("errors")
    if not isinstance(errors, list) or not errors:
        return None
    said = []
    for error in errors:
        if isinstance(error, dict):
            parts = (error.get("status"), error.get("title"), error.get("detail"))
            said.append(" ".join(str(part) for part in parts if part not in (None, "")))
    return "error document: " + ("; ".join(text for text in said if text) or "no detail")


def _page_items(document: Any) -> list[Any] | None:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        data = document.get("data")
        if isinstance(data, dict) and isinstance(data.get("attributes"), dict):
            return [data]  # a JSON:API document holding one resource
        hits = document.get("hits")
        if isinstance(hits, dict) and isinstance(hits.get("hits"), list):
            return list(hits["hits"])
        for key in PAGE_KEYS:
            if isinstance(document.get(key), list):
                return list(document[key])
    return None


def _json_identifier(item: Any) -> str | None:
    if not isinstance(item, dict):
        return None
    for key in ("id", "@id", "key", "doi", "identifier", "uuid", "projectId"):
        value = item.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
            return str(value)
    return None


def jsonld_blocks(body: bytes) -> list[Any]:
    """The JSON-LD documents of a file: the file itself, or an HTML page's ld+json scripts."""
    text = body.decode("utf-8", errors="replace").lstrip()
    if not text.startswith("<"):
        return [json.loads(text)]
    page = lxml.html.fromstring(text)
    blocks = []
    for script in page.xpath('//script[@type="application/ld+json"]'):
        try:
            blocks.append(json.loads(script.text or ""))
        except ValueError:
            continue  # one broken block does not hide the others
    return blocks


def _jsonld_records(
    body: bytes, origin: Origin, crosswalk: Crosswalk, source_id: str
) -> Iterator[RawRecord | RecordFailure]:
    try:
        blocks = jsonld_blocks(body)
    except ValueError as exc:
        raise MalformedResponseError(f"{origin.where}: not valid JSON-LD: {exc}") from None
    number = 0
    for block in blocks:
        for node in jsonld_nodes(block, crosswalk.types):
            number += 1
            identifier = node.get("@id") or node.get("url") or f"{origin.name}#{number}"
            payload = json.dumps(node, ensure_ascii=False)
            yield RawRecord(
                source_id,
                str(identifier),
                None,
                crosswalk.name,
                payload,
                media_type="application/ld+json",
            )
    if not number:
        yield RecordFailure(origin.name, f"no JSON-LD node of type {', '.join(crosswalk.types)}")


def _rdf_records(
    body: bytes, origin: Origin, crosswalk: Crosswalk, source_id: str
) -> Iterator[RawRecord | RecordFailure]:
    try:
        graph = parse_graph(body.decode("utf-8", errors="replace"))
    except Exception as exc:  # rdflib raises many kinds
        raise MalformedResponseError(f"{origin.where}: not readable RDF: {exc}") from None
    number = 0
    for subject, _ in rdf_resources(graph, crosswalk.types):
        number += 1
        identifier = str(subject) if isinstance(subject, URIRef) else f"{origin.name}#{number}"
        payload = subgraph(graph, subject).serialize(format="turtle")
        yield RawRecord(
            source_id, identifier, None, crosswalk.name, payload, media_type="text/turtle"
        )
    if not number:
        yield RecordFailure(origin.name, f"no RDF resource of type {', '.join(crosswalk.types)}")
