"""Records of the common model as OAI-PMH metadata: ``oai_dc`` and ``oai_datacite``
(DataCite kernel 4), the provenance ``<about>`` container, and the sets a record is in.

Everything is built as an lxml element tree: harvested text only ever becomes element text or
attribute values, which lxml escapes; characters XML 1.0 forbids are replaced by U+FFFD.
A record arrives as the JSON mapping the store keeps (``harvester.core.model.Record`` dumped).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from babel import Locale
from lxml import etree

from harvester.fetch.oai.protocol import (
    DC_NS,
    GRANULARITY_SECONDS,
    OAI_DC_NS,
    OAI_DC_SCHEMA,
    XSI_NS,
    format_datestamp,
    parse_datestamp,
)
from harvester.normalise.vocab.topics import fields_of_science
from harvester.store import NormalisedRow

OAI_DATACITE_NS: Final = "http://schema.datacite.org/oai/oai-1.1/"
OAI_DATACITE_SCHEMA: Final = "http://schema.datacite.org/oai/oai-1.1/oai.xsd"
DATACITE_NS: Final = "http://datacite.org/schema/kernel-4"
DATACITE_SCHEMA: Final = "http://schema.datacite.org/meta/kernel-4/metadata.xsd"
PROVENANCE_NS: Final = "http://www.openarchives.org/OAI/2.0/provenance"
PROVENANCE_SCHEMA: Final = "http://www.openarchives.org/OAI/2.0/provenance.xsd"
XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
DATACENTRE_SYMBOL: Final = "CSFINDER"
UNAVAILABLE: Final = ":unav"

_ILLEGAL_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
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
_DC_TYPES: Final = {
    "project": "Project",
    "dataset": "Dataset",
    "publication": "Text",
    "resource": "InteractiveResource",
}
_DATACITE_TYPES: Final = {
    "project": "Project",
    "dataset": "Dataset",
    "publication": "Text",
    "resource": "Other",
}
_ID_TYPES: Final = {
    "doi": "DOI",
    "handle": "Handle",
    "ark": "ARK",
    "urn": "URN",
    "url": "URL",
    "isbn": "ISBN",
    "issn": "ISSN",
}
_RESOLVERS: Final = {
    "doi": "https://doi.org/",
    "handle": "https://hdl.handle.net/",
    "ark": "https://n2t.net/",
}
_RELATION_TYPES: Final = frozenset(
    [
        "IsCitedBy",
        "Cites",
        "IsSupplementTo",
        "IsSupplementedBy",
        "IsContinuedBy",
        "Continues",
        "IsNewVersionOf",
        "IsPreviousVersionOf",
        "IsPartOf",
        "HasPart",
        "IsPublishedIn",
        "IsReferencedBy",
        "References",
        "IsDocumentedBy",
        "Documents",
        "IsCompiledBy",
        "Compiles",
        "IsVariantFormOf",
        "IsOriginalFormOf",
        "IsIdenticalTo",
        "HasMetadata",
        "IsMetadataFor",
        "Reviews",
        "IsReviewedBy",
        "IsDerivedFrom",
        "IsSourceOf",
        "Describes",
        "IsDescribedBy",
        "HasVersion",
        "IsVersionOf",
        "Requires",
        "IsRequiredBy",
        "Obsoletes",
        "IsObsoletedBy",
        "Collects",
        "IsCollectedBy",
        "HasTranslation",
        "IsTranslationOf",
        "Other",
    ]
)
_RELATED_ID_TYPES: Final = frozenset(
    [
        "ARK",
        "arXiv",
        "bibcode",
        "CSTR",
        "DOI",
        "EAN13",
        "EISSN",
        "Handle",
        "IGSN",
        "ISBN",
        "ISSN",
        "ISTC",
        "LISSN",
        "LSID",
        "PMID",
        "PURL",
        "RAiD",
        "RRID",
        "SWHID",
        "UPC",
        "URL",
        "URN",
        "w3id",
    ]
)
_ACCESS_RIGHTS: Final = {
    "open": "info:eu-repo/semantics/openAccess",
    "embargoed": "info:eu-repo/semantics/embargoedAccess",
    "restricted": "info:eu-repo/semantics/restrictedAccess",
    "closed": "info:eu-repo/semantics/closedAccess",
}
_SOURCE_FORMATS: Final = {
    "oai_dc": OAI_DC_NS,
    "oai_datacite": OAI_DATACITE_NS,
    "datacite": DATACITE_NS,
}
_NOT_CREATORS: Final = ("publisher", "funder", "sponsor")


def clean(text: object) -> str:
    """Text safe for an XML 1.0 document (forbidden characters become U+FFFD)."""
    return _ILLEGAL_XML.sub("\ufffd", str(text))


def sub(
    parent: etree._Element, tag: str, text: object = None, **attrib: str | None
) -> etree._Element:
    """Append a child element with escaped text and attributes (None values left out)."""
    element = etree.SubElement(parent, tag)
    for name, value in attrib.items():
        if value is not None:
            element.set(XML_LANG if name == "lang" else name, clean(value))
    if text is not None:
        element.text = clean(text)
    return element


def slug(text: str) -> str:
    """A setSpec part from a free name: ``csfinder demo`` → ``csfinder-demo``."""
    return _SLUG_DROP.sub("-", text.strip().lower()).strip("-")


def country_name(code: str) -> str:
    """An English country name for a set (the code when unknown)."""
    return str(Locale("en").territories.get(code.upper(), code))


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


def load(row: NormalisedRow) -> dict[str, Any]:
    """The record's document as a mapping (empty for most deleted records)."""
    found = json.loads(row.document or "{}")
    return found if isinstance(found, dict) else {}


def _year(*values: object) -> str | None:
    for value in values:
        if isinstance(value, str) and re.match(r"^\d{4}", value):
            return value[:4]
    return None


def _names(doc: Mapping[str, Any], keep: Callable[[str], bool]) -> list[dict[str, Any]]:
    return [o for o in doc.get("organisations") or [] if keep(str(o.get("role") or "").lower())]


def _is_creator(role: str) -> bool:
    return not any(word in role for word in _NOT_CREATORS)


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
    rights = _ACCESS_RIGHTS.get(str(doc.get("access_rights") or ""))
    return [*seen, rights] if rights else seen


def oai_dc(doc: Mapping[str, Any], record_url: str) -> etree._Element:
    """The record as simple Dublin Core (``oai_dc:dc``)."""
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def dc(name: str, text: object, lang: str | None = None) -> None:
        if text is not None and str(text).strip():
            sub(root, f"{{{DC_NS}}}{name}", text, lang=lang)

    dc("title", doc.get("title"))
    for alternate in doc.get("alternate_titles") or []:
        dc("title", alternate.get("value"), alternate.get("lang"))
    for organisation in _names(doc, _is_creator):
        dc("creator", organisation.get("name"))
    labels = fields_of_science()
    for keyword in doc.get("keywords") or []:
        dc("subject", keyword)
    for topic in doc.get("topics") or []:
        dc("subject", f"{topic} {labels.get(topic, '')}".strip())
    for sdg in doc.get("sdgs") or []:
        dc("subject", f"SDG {sdg}")
    dc("description", doc.get("description"))
    publishers = _names(doc, lambda role: role == "publisher")
    for organisation in publishers:
        dc("publisher", organisation.get("name"))
    if not publishers:
        dc("publisher", (doc.get("provenance") or {}).get("platform"))
    for organisation in _names(doc, lambda role: not _is_creator(role) and role != "publisher"):
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


@dataclass(frozen=True)
class _MainId:
    value: str
    kind: str


def _main_identifier(doc: Mapping[str, Any], record_url: str) -> _MainId:
    identifiers = doc.get("identifiers") or []
    for wanted in ("doi", "handle", "ark", "urn"):
        for identifier in identifiers:
            if identifier.get("scheme") == wanted:
                return _MainId(str(identifier["value"]), _ID_TYPES[wanted])
    return _MainId(str(doc.get("url") or record_url), "URL")


def _related_type(related: Mapping[str, Any]) -> str | None:
    scheme = str(related.get("scheme") or "")
    for known in _RELATED_ID_TYPES:
        if scheme.lower() == known.lower():
            return known
    value = str(related.get("identifier") or "")
    if value.startswith("10."):
        return "DOI"
    if value.startswith(("https://", "http://")):
        return "URL"
    return None


def oai_datacite(doc: Mapping[str, Any], record_url: str) -> etree._Element:
    """The record as DataCite kernel 4 inside the ``oai_datacite`` 1.1 wrapper."""
    root = etree.Element(f"{{{OAI_DATACITE_NS}}}oai_datacite", nsmap={None: OAI_DATACITE_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DATACITE_NS} {OAI_DATACITE_SCHEMA}")
    sub(root, f"{{{OAI_DATACITE_NS}}}schemaVersion", "4")
    sub(root, f"{{{OAI_DATACITE_NS}}}datacentreSymbol", DATACENTRE_SYMBOL)
    payload = sub(root, f"{{{OAI_DATACITE_NS}}}payload")
    resource = etree.SubElement(payload, f"{{{DATACITE_NS}}}resource", nsmap={None: DATACITE_NS})
    resource.set(f"{{{XSI_NS}}}schemaLocation", f"{DATACITE_NS} {DATACITE_SCHEMA}")

    def el(parent: etree._Element, name: str, text: object = None, **attrib: Any) -> Any:
        return sub(parent, f"{{{DATACITE_NS}}}{name}", text, **attrib)

    provenance = doc.get("provenance") or {}
    main = _main_identifier(doc, record_url)
    el(resource, "identifier", main.value, identifierType=main.kind)

    creators = el(resource, "creators")
    organisations = [o for o in _names(doc, _is_creator) if str(o.get("name") or "").strip()]
    for organisation in organisations:
        creator = el(creators, "creator")
        el(creator, "creatorName", organisation["name"], nameType="Organizational")
        ror = str(organisation.get("identifier") or "")
        if "ror.org/" in ror:
            el(
                creator,
                "nameIdentifier",
                ror,
                nameIdentifierScheme="ROR",
                schemeURI="https://ror.org/",
            )
    if not organisations:
        el(el(creators, "creator"), "creatorName", UNAVAILABLE)

    titles = el(resource, "titles")
    el(titles, "title", doc.get("title") or UNAVAILABLE)
    for alternate in doc.get("alternate_titles") or []:
        el(
            titles,
            "title",
            alternate.get("value"),
            titleType="AlternativeTitle",
            lang=alternate.get("lang"),
        )
    publishers = _names(doc, lambda role: role == "publisher")
    publisher = next((str(o["name"]) for o in publishers if o.get("name")), None)
    el(resource, "publisher", publisher or provenance.get("platform") or UNAVAILABLE)
    year = _year(
        doc.get("date_modified"),
        doc.get("start_date"),
        provenance.get("datestamp"),
        provenance.get("harvested_at"),
    )
    el(resource, "publicationYear", year or str(datetime.now(UTC).year))
    kind = str(doc.get("kind") or "resource")
    el(resource, "resourceType", kind, resourceTypeGeneral=_DATACITE_TYPES.get(kind, "Other"))

    labels = fields_of_science()
    subjects: list[tuple[str, dict[str, str]]] = [(str(k), {}) for k in doc.get("keywords") or []]
    subjects += [
        (
            labels.get(str(t), str(t)),
            {"subjectScheme": "Fields of Science and Technology", "classificationCode": str(t)},
        )
        for t in doc.get("topics") or []
    ]
    subjects += [
        (f"SDG {n}", {"subjectScheme": "Sustainable Development Goals"})
        for n in doc.get("sdgs") or []
    ]
    if subjects:
        parent = el(resource, "subjects")
        for text, attrib in subjects:
            el(parent, "subject", text, **attrib)

    contributors = _names(doc, lambda role: not _is_creator(role) and role != "publisher")
    funders = [o for o in contributors if o.get("name")]
    if funders:
        funding = el(resource, "fundingReferences")
        for organisation in funders:
            el(el(funding, "fundingReference"), "funderName", organisation["name"])

    dates: list[tuple[str, str]] = []
    if doc.get("date_modified"):
        dates.append((str(doc["date_modified"]), "Updated"))
    if doc.get("start_date") or doc.get("end_date"):
        span = f"{doc.get('start_date') or 'unknown'}/{doc.get('end_date') or 'open'}"
        dates.append((span, "Coverage"))
    if dates:
        parent = el(resource, "dates")
        for text, date_type in dates:
            el(parent, "date", text, dateType=date_type)
    languages = doc.get("languages") or []
    if languages:
        el(resource, "language", languages[0])

    alternates: list[tuple[str, str]] = []
    for identifier in doc.get("identifiers") or []:
        scheme, value = str(identifier.get("scheme")), str(identifier.get("value"))
        if value != main.value:
            alternates.append((value, _ID_TYPES.get(scheme, scheme.upper())))
    if doc.get("url") and doc["url"] != main.value:
        alternates.append((str(doc["url"]), "URL"))
    if alternates:
        parent = el(resource, "alternateIdentifiers")
        for value, id_type in alternates:
            el(parent, "alternateIdentifier", value, alternateIdentifierType=id_type)

    typed = [(r, _related_type(r)) for r in doc.get("related") or []]
    related = [(r, t) for r, t in typed if t]
    if related:
        parent = el(resource, "relatedIdentifiers")
        for item, id_type in related:
            relation = str(item.get("relation") or "")
            el(
                parent,
                "relatedIdentifier",
                item.get("identifier"),
                relatedIdentifierType=str(id_type),
                relationType=relation if relation in _RELATION_TYPES else "Other",
            )

    licence = doc.get("license") or {}
    rights_access = _ACCESS_RIGHTS.get(str(doc.get("access_rights") or ""))
    if licence or rights_access:
        parent = el(resource, "rightsList")
        if licence:
            spdx = licence.get("spdx")
            el(
                parent,
                "rights",
                licence.get("text") or spdx or licence.get("url"),
                rightsURI=licence.get("url"),
                rightsIdentifier=spdx,
                rightsIdentifierScheme="SPDX" if spdx else None,
                schemeURI="https://spdx.org/licenses/" if spdx else None,
            )
        if rights_access:
            el(parent, "rights", str(doc.get("access_rights")), rightsURI=rights_access)

    if doc.get("description"):
        parent = el(resource, "descriptions")
        el(parent, "description", doc["description"], descriptionType="Abstract")

    geo = doc.get("geo") or {}
    places = [country_name(c) for c in doc.get("countries") or []]
    places += [str(r) for r in doc.get("regions") or []]
    if places or geo.get("points") or geo.get("boxes"):
        parent = el(resource, "geoLocations")
        for place in places:
            el(el(parent, "geoLocation"), "geoLocationPlace", place)
        for point in geo.get("points") or []:
            where = el(el(parent, "geoLocation"), "geoLocationPoint")
            el(where, "pointLongitude", point["lon"])
            el(where, "pointLatitude", point["lat"])
        for box in geo.get("boxes") or []:
            where = el(el(parent, "geoLocation"), "geoLocationBox")
            el(where, "westBoundLongitude", box["west"])
            el(where, "eastBoundLongitude", box["east"])
            el(where, "southBoundLatitude", box["south"])
            el(where, "northBoundLatitude", box["north"])
    return root


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


FORMATS: Final[dict[str, tuple[str, str, Callable[[Mapping[str, Any], str], etree._Element]]]] = {
    "oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS, oai_dc),
    "oai_datacite": (OAI_DATACITE_SCHEMA, OAI_DATACITE_NS, oai_datacite),
}
"""metadataPrefix to (schema, namespace, builder)."""
