"""Turning the ``<record>`` elements of a ListRecords page into raw records."""

from __future__ import annotations

from lxml import etree
from sickle.models import Header

from harvester.core.records import RawRecord, RecordFailure

_OAI = "{http://www.openarchives.org/OAI/2.0/}"


def read_record(element: etree._Element, source_id: str, prefix: str) -> RawRecord | RecordFailure:
    """Read one ``<record>``; a record that cannot be used becomes a failure with its reason."""
    header_element = element.find(_OAI + "header")
    if header_element is None:
        return RecordFailure(None, "record without a <header>")
    header = Header(header_element)
    identifier = (header.identifier or "").strip()
    if not identifier:
        return RecordFailure(None, "record header has no identifier")
    datestamp = (header.datestamp or "").strip() or None
    sets = tuple(spec.strip() for spec in header.setSpecs if spec and spec.strip())
    if header.deleted:
        return RawRecord(source_id, identifier, datestamp, prefix, None, True, sets)
    container = element.find(_OAI + "metadata")
    children = [c for c in container if isinstance(c.tag, str)] if container is not None else []
    if not children:
        return RecordFailure(identifier, "record is not deleted but has no metadata")
    if len(children) > 1:
        return RecordFailure(identifier, f"<metadata> holds {len(children)} elements, not one")
    payload = etree.tostring(children[0], encoding="unicode")
    return RawRecord(source_id, identifier, datestamp, prefix, payload, False, sets)


def read_page(
    items: list[etree._Element], source_id: str, prefix: str
) -> tuple[list[RawRecord], list[RecordFailure]]:
    """Read every record of a page, keeping failures apart."""
    records: list[RawRecord] = []
    failures: list[RecordFailure] = []
    for item in items:
        try:
            result = read_record(item, source_id, prefix)
        except Exception as exc:  # one bad record never fails the run
            result = RecordFailure(None, f"unreadable record: {type(exc).__name__}: {exc}")
        if isinstance(result, RawRecord):
            records.append(result)
        else:
            failures.append(result)
    return records, failures
