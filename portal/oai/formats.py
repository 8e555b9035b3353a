"""The metadata formats the provider offers: ``oai_dc`` and ``oai_datacite`` (DataCite
kernel 4), each a writer from a record's document (the JSON mapping the store keeps) to an
lxml element tree.

The writers live in :mod:`portal.oai.dublin_core` and :mod:`portal.oai.datacite`; the
provenance ``<about>`` container in :mod:`portal.oai.provenance`; the sets a record is in,
in :mod:`portal.oai.sets`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from lxml import etree

from harvester.fetch.oai.protocol import OAI_DC_NS, OAI_DC_SCHEMA
from portal.oai.datacite import OAI_DATACITE_NS, OAI_DATACITE_SCHEMA, oai_datacite
from portal.oai.dublin_core import oai_dc

Writer = Callable[[Mapping[str, Any], str], etree._Element]
"""A record's document and its portal page URL, as a metadata element."""

FORMATS: Final[dict[str, tuple[str, str, Writer]]] = {
    "oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS, oai_dc),
    "oai_datacite": (OAI_DATACITE_SCHEMA, OAI_DATACITE_NS, oai_datacite),
}
"""metadataPrefix to (schema, namespace, builder)."""
