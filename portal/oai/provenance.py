"""The OAI ``provenance`` container: where and when a record was harvested."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from lxml import etree

from harvester.fetch.oai.protocol import (
    GRANULARITY_SECONDS,
    OAI_DC_NS,
    XSI_NS,
    format_datestamp,
    parse_datestamp,
)
from portal.oai.datacite import DATACITE_NS, OAI_DATACITE_NS
from portal.oai.xml import sub

PROVENANCE_NS: Final = "http://www.openarchives.org/OAI/2.0/provenance"
PROVENANCE_SCHEMA: Final = "http://www.openarchives.org/OAI/2.0/provenance.xsd"
_SOURCE_FORMATS: Final = {
    "oai_dc": OAI_DC_NS,
    "oai_datacite": OAI_DATACITE_NS,
    "datacite": DATACITE_NS,
}


def _utc_stamp(text: object) -> str | None:
    """A source datestamp as an OAI UTC datestamp, or None when it is not a date."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        moment, granularity = parse_datestamp(text.strip())
        return format_datestamp(moment, granularity)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_datestamp(moment, GRANULARITY_SECONDS)


def provenance(doc: Mapping[str, Any]) -> etree._Element | None:
    """The OAI ``provenance`` container of a record (None when its document lacks one)."""
    origin = doc.get("provenance") or {}
    harvested = _utc_stamp(origin.get("harvested_at"))
    if not origin or harvested is None:
        return None
    root = etree.Element(f"{{{PROVENANCE_NS}}}provenance", nsmap={None: PROVENANCE_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{PROVENANCE_NS} {PROVENANCE_SCHEMA}")
    description = sub(
        root, f"{{{PROVENANCE_NS}}}originDescription", harvestDate=harvested, altered="true"
    )
    fmt = str(origin.get("metadata_format") or "")
    sub(description, f"{{{PROVENANCE_NS}}}baseURL", origin.get("endpoint") or "")
    sub(description, f"{{{PROVENANCE_NS}}}identifier", origin.get("source_identifier") or "")
    datestamp = _utc_stamp(origin.get("datestamp")) or harvested
    sub(description, f"{{{PROVENANCE_NS}}}datestamp", datestamp)
    sub(description, f"{{{PROVENANCE_NS}}}metadataNamespace", _SOURCE_FORMATS.get(fmt, fmt))
    return root
