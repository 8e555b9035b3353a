"""A record as simple Dublin Core (``oai_dc``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from lxml import etree

from harvester.fetch.oai.protocol import DC_NS, OAI_DC_NS, OAI_DC_SCHEMA, XSI_NS
from harvester.normalise.vocab.topics import fields_of_science
from portal.oai.document import (
    ACCESS_RIGHTS,
    country_name,
    is_creator,
    organisations_where,
)
from portal.oai.xml import sub

_DC_TYPES: Final = {
    "project": "Project",
    "dataset": "Dataset",
    "publication": "Text",
    "resource": "InteractiveResource",
}
_RESOLVERS: Final = {
    "doi": "https://doi.org/",
    "handle": "https://hdl.handle.net/",
    "ark": "https://n2t.net/",
}


def _identifier_url(scheme: str, value: str) -> str | None:
    if value.startswith(("https://", "http://")):
        return value
    base = _RESOLVERS.get(scheme)
    return base + value if base else None


def _licence_texts(doc: Mapping[str, Any]) -> list[str]:
    licence = doc.get("license") or {}
    texts = [licence.get("spdx"), licence.get("text"), licence.get("url")]
    seen: list[str] = []
    for text in texts:
        if text and text not in seen:
            seen.append(str(text))
    rights = ACCESS_RIGHTS.get(str(doc.get("access_rights") or ""))
    return [*seen, rights] if rights else seen


def oai_dc(doc: Mapping[str, Any], record_url: str) -> etree._Element:
    """The record as simple Dublin Core (``oai_dc:dc``)."""
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def dc(name: str, text: object, lang: str | None = None) -> None:
        if text is not None and str(text).strip():
            sub(root, f"{{{DC_NS}}}{name}", text, lang=lang)

    dc("title", doc.get("title"), doc.get("title_lang"))
    for alternate in doc.get("alternate_titles") or []:
        dc("title", alternate.get("value"), alternate.get("lang"))
    for organisation in organisations_where(doc, is_creator):
        dc("creator", organisation.get("name"))
    labels = fields_of_science()
    for keyword in doc.get("keywords") or []:
        dc("subject", keyword)
    for topic in doc.get("topics") or []:
        dc("subject", f"{topic} {labels.get(topic, '')}".strip())
    for sdg in doc.get("sdgs") or []:
        dc("subject", f"SDG {sdg}")
    dc("description", doc.get("description"), doc.get("description_lang"))
    for version in doc.get("alternate_descriptions") or []:
        dc("description", version.get("value"), version.get("lang"))
    publishers = organisations_where(doc, lambda role: role == "publisher")
    for organisation in publishers:
        dc("publisher", organisation.get("name"))
    if not publishers:
        dc("publisher", (doc.get("provenance") or {}).get("platform"))
    for organisation in organisations_where(
        doc, lambda role: not is_creator(role) and role != "publisher"
    ):
        dc("contributor", organisation.get("name"))
    dc("date", doc.get("date_modified"))
    if doc.get("start_date") or doc.get("end_date"):
        dc("date", f"{doc.get('start_date') or ''}/{doc.get('end_date') or ''}")
    kind = str(doc.get("kind") or "")
    dc("type", _DC_TYPES.get(kind, kind))
    dc("identifier", doc.get("url"))
    for identifier in doc.get("identifiers") or []:
        scheme, value = str(identifier.get("scheme")), str(identifier.get("value"))
        url = _identifier_url(scheme, value)
        if url != doc.get("url"):
            dc("identifier", url or f"{scheme}:{value}")
    dc("identifier", record_url)
    for language in doc.get("languages") or []:
        dc("language", language)
    for related in doc.get("related") or []:
        dc("relation", related.get("identifier"))
    for country in doc.get("countries") or []:
        dc("coverage", country_name(country))
    for region in doc.get("regions") or []:
        dc("coverage", region)
    for text in _licence_texts(doc):
        dc("rights", text)
    return root
