"""A record as DataCite kernel 4 inside the ``oai_datacite`` 1.1 wrapper."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from lxml import etree

from harvester.fetch.oai.protocol import XSI_NS
from harvester.normalise.vocab.topics import fields_of_science
from portal.oai.document import (
    ACCESS_RIGHTS,
    country_name,
    is_creator,
    organisations_where,
)
from portal.oai.xml import sub
from portal.vocabularies import COAR_ACCESS_RIGHTS

OAI_DATACITE_NS: Final = "http://schema.datacite.org/oai/oai-1.1/"
OAI_DATACITE_SCHEMA: Final = "http://schema.datacite.org/oai/oai-1.1/oai.xsd"
DATACITE_NS: Final = "http://datacite.org/schema/kernel-4"
DATACITE_SCHEMA: Final = "http://schema.datacite.org/meta/kernel-4/metadata.xsd"
DATACENTRE_SYMBOL: Final = "CSFINDER"
UNAVAILABLE: Final = ":unav"


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


def _year(*values: object) -> str | None:
    for value in values:
        if isinstance(value, str) and re.match(r"^\d{4}", value):
            return value[:4]
    return None


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


_NAME_SCHEMES: Final = {
    "orcid.org": ("ORCID", "https://orcid.org/"),
    "ror.org": ("ROR", "https://ror.org/"),
}
"""Name identifier hosts and their DataCite nameIdentifierScheme and schemeURI."""


def _creator_agents(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The record's creators, else its creator organisations (as agents)."""
    agents = [a for a in doc.get("creators") or [] if str(a.get("name") or "").strip()]
    if agents:
        return agents
    return [
        {"name": o["name"], "kind": "organisation", "identifier": o.get("identifier")}
        for o in organisations_where(doc, is_creator)
        if str(o.get("name") or "").strip()
    ]


def _size(distribution: Mapping[str, Any]) -> str | None:
    """A distribution's size as DataCite writes it ('1234 bytes')."""
    if distribution.get("size_bytes") is not None:
        return f"{distribution['size_bytes']} bytes"
    return str(distribution["size_text"]) if distribution.get("size_text") else None


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
    for agent in _creator_agents(doc):
        creator = el(creators, "creator")
        person = agent.get("kind") == "person"
        name_type = "Personal" if person else "Organizational" if agent.get("kind") else None
        el(creator, "creatorName", agent["name"], nameType=name_type)
        identifier = str(agent.get("identifier") or "")
        name_scheme = _NAME_SCHEMES.get(identifier.split("/")[2] if "//" in identifier else "")
        if name_scheme:
            el(
                creator,
                "nameIdentifier",
                identifier,
                nameIdentifierScheme=name_scheme[0],
                schemeURI=name_scheme[1],
            )
    if not len(creators):
        el(el(creators, "creator"), "creatorName", UNAVAILABLE)

    titles = el(resource, "titles")
    el(titles, "title", doc.get("title") or UNAVAILABLE, lang=doc.get("title_lang"))
    for alternate in doc.get("alternate_titles") or []:
        el(
            titles,
            "title",
            alternate.get("value"),
            titleType="AlternativeTitle",
            lang=alternate.get("lang"),
        )
    publishers = organisations_where(doc, lambda role: role == "publisher")
    publisher = (doc.get("publisher") or {}).get("name") or next(
        (str(o["name"]) for o in publishers if o.get("name")), None
    )
    el(resource, "publisher", publisher or provenance.get("platform") or UNAVAILABLE)
    year = _year(
        doc.get("date_published"),
        doc.get("date_created"),
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

    contributors = organisations_where(
        doc, lambda role: not is_creator(role) and role != "publisher"
    )
    funders = [o for o in contributors if o.get("name")]
    if funders:
        funding = el(resource, "fundingReferences")
        for organisation in funders:
            el(el(funding, "fundingReference"), "funderName", organisation["name"])

    dates: list[tuple[str, str]] = []
    if doc.get("date_published"):
        dates.append((str(doc["date_published"]), "Issued"))
    if doc.get("date_created"):
        dates.append((str(doc["date_created"]), "Created"))
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

    files = doc.get("distributions") or []
    sizes = [_size(f) for f in files if _size(f)]
    if sizes:
        parent = el(resource, "sizes")
        for size in sizes:
            el(parent, "size", size)
    formats = list(dict.fromkeys(f.get("media_type") or f.get("format") for f in files))
    if any(formats):
        parent = el(resource, "formats")
        for name in filter(None, formats):
            el(parent, "format", name)

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
    rights_access = ACCESS_RIGHTS.get(str(doc.get("access_rights") or ""))
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
            coar = COAR_ACCESS_RIGHTS.get(str(doc.get("access_rights")))
            if coar:
                el(parent, "rights", coar[1], rightsURI=coar[0])

    if doc.get("description"):
        parent = el(resource, "descriptions")
        lang = doc.get("description_lang")
        el(parent, "description", doc["description"], descriptionType="Abstract", lang=lang)
        for version in doc.get("alternate_descriptions") or []:
            lang = version.get("lang")
            el(parent, "description", version.get("value"), descriptionType="Abstract", lang=lang)

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
