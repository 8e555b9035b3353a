"""Raw records from a file on disk, for ``csfinder map`` and the golden tests.

A file may hold one record's metadata, a bare OAI ``<record>``, a whole OAI-PMH response
with many records, one JSON object, or a JSON API page (a list, or an object whose
``data``, ``results``, ``items`` or ``hits.hits`` holds the records).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from harvester.errors import MalformedResponseError
from harvester.normalise.crosswalk import Crosswalk
from harvester.oai.records import read_record
from harvester.oai.xml import parse_xml
from harvester.records import RawRecord, RecordFailure

OAI = "{http://www.openarchives.org/OAI/2.0/}"
PAGE_KEYS = ("data", "results", "items", "records", "@graph")


def raw_records_from_file(
    path: Path, crosswalk: Crosswalk, source_id: str = "file"
) -> Iterator[RawRecord | RecordFailure]:
    """Yield the records a file holds, as raw records of ``crosswalk``'s format.

    Raises:
        MalformedResponseError: the file is not well-formed XML or JSON.
    """
    body = path.read_bytes()
    if crosswalk.format == "json":
        yield from _json_records(body, path, crosswalk.name, source_id)
    else:
        yield from _xml_records(body, path, crosswalk.name, source_id)


def _xml_records(
    body: bytes, path: Path, prefix: str, source_id: str
) -> Iterator[RawRecord | RecordFailure]:
    root = parse_xml(body).root
    if root.tag == OAI + "OAI-PMH":
        for element in root.iter(OAI + "record"):
            yield read_record(element, source_id, prefix)
    elif root.tag == OAI + "record":
        yield read_record(root, source_id, prefix)
    else:
        payload = etree.tostring(root, encoding="unicode")
        yield RawRecord(source_id, path.name, None, prefix, payload)


def _json_records(
    body: bytes, path: Path, prefix: str, source_id: str
) -> Iterator[RawRecord | RecordFailure]:
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise MalformedResponseError(f"{path}: not valid JSON: {exc}") from None
    items = _page_items(document)
    for number, item in enumerate(items if items is not None else [document], start=1):
        identifier = _json_identifier(item) or f"{path.name}#{number}"
        payload = json.dumps(item, ensure_ascii=False)
        yield RawRecord(source_id, identifier, None, prefix, payload, media_type="application/json")


def _page_items(document: Any) -> list[Any] | None:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
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
