"""The OAI-PMH sets a record is in: its source, platform, kind and countries."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from harvester.store import NormalisedRow
from portal.oai.document import country_name, load

_SLUG_DROP: Final = re.compile(r"[^a-z0-9._~!*'()-]+")

KIND_NAMES: Final = {
    "project": "Projects",
    "dataset": "Datasets",
    "publication": "Publications",
    "resource": "Other resources",
}
SET_GROUPS: Final = {
    "platform": "By platform",
    "source": "By harvested source",
    "kind": "By kind of record",
    "country": "By country",
}


def slug(text: str) -> str:
    """A setSpec part from a free name: ``csfinder demo`` → ``csfinder-demo``."""
    return _SLUG_DROP.sub("-", text.strip().lower()).strip("-")


def sets_of(row: NormalisedRow, document: Mapping[str, Any] | None = None) -> list[tuple[str, str]]:
    """The ``(setSpec, setName)`` pairs of a record: its source, platform, kind, countries.

    A deleted record keeps its last document in the store, so it stays in its sets; a
    record without one (an empty document) is only in its source's set, whose name it does
    not know (an empty name, which a live record of the source outranks).
    """
    doc = document if document is not None else load(row)
    provenance = doc.get("provenance") or {}
    pairs = [(f"source:{row.source_id}", str(provenance.get("source_name") or ""))]
    if not doc:
        return pairs
    platform = str(provenance.get("platform") or "")
    if slug(platform):
        pairs.append((f"platform:{slug(platform)}", platform))
    kind = str(doc.get("kind") or row.kind)
    pairs.append((f"kind:{kind}", KIND_NAMES.get(kind, kind)))
    for code in doc.get("countries") or []:
        pairs.append((f"country:{code}", country_name(code)))
    return pairs
