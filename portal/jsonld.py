"""A record as schema.org JSON-LD, embedded in its page and served on request.

Beside schema.org it uses registered vocabularies, so that machines need no guessing: DCAT
types, DCMI terms (access rights as COAR IRIs), PROV-O provenance (the page's description
was derived from the source record by a harvest, a ``prov:Activity``). Licences are SPDX
IRIs. Everything comes from the record as harvested: nothing is invented, and no person's
e-mail address is ever written (the model holds none).

The context is inline (no remote context to fetch), so any JSON-LD processor reads it
offline.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlencode

from harvester.normalise.quality import is_known_spdx
from portal.public_url import public_url_for
from portal.vocabularies import (
    COAR_ACCESS_RIGHTS,
    SPDX_BASE,
    eu_country,
    eu_language,
    safe_iri,
)

CONTEXT = {
    "@vocab": "https://schema.org/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
}
KIND_TYPES = {
    "project": "ResearchProject",
    "dataset": "Dataset",
    "publication": "ScholarlyArticle",
    "resource": "CreativeWork",
}
DCAT_TYPES = {"dataset": "http://www.w3.org/ns/dcat#Dataset"}
"""The DCAT class of each kind, given as schema.org additionalType (a project or other
resource is a dcat:Resource)."""
AGENT_TYPES = {"person": "Person", "organisation": "Organization"}


def record_page(record: dict[str, Any]) -> str:
    """The record page's absolute URL."""
    return public_url_for("records.show", record_id=record["id"])


def record_jsonld(record: dict[str, Any]) -> dict[str, Any]:
    """schema.org (with DCAT, DCMI terms and PROV) description of a record."""
    page = record_page(record)
    access = str(record.get("access_rights") or "")
    coar = COAR_ACCESS_RIGHTS.get(access) if record.get("kind") != "project" else None
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": KIND_TYPES.get(str(record.get("kind")), KIND_TYPES["resource"]),
        "@id": page,
        "additionalType": DCAT_TYPES.get(
            str(record.get("kind")), "http://www.w3.org/ns/dcat#Resource"
        ),
        "name": record.get("title"),
        "description": record.get("description"),
        "url": record.get("url") or page,
        "identifier": [
            {"@type": "PropertyValue", "propertyID": i["scheme"], "value": i["value"]}
            for i in record.get("identifiers") or []
        ]
        or None,
        "keywords": record.get("keywords") or None,
        "inLanguage": record.get("languages") or None,
        "creator": [agent(a) for a in record.get("creators") or []] or None,
        "publisher": agent(record["publisher"]) if record.get("publisher") else None,
        "datePublished": record.get("date_published"),
        "dateCreated": record.get("date_created"),
        "dateModified": record.get("date_modified"),
        "startDate": record.get("start_date"),
        "endDate": record.get("end_date"),
        "spatialCoverage": [
            {"@type": "Place", "address": {"@type": "PostalAddress", "addressCountry": c}}
            for c in record.get("countries") or []
        ]
        or None,
        "dct:spatial": _iris(eu_country(str(c)) for c in record.get("countries") or []),
        "dct:language": _iris(eu_language(str(c)) for c in record.get("languages") or []),
        "license": licence_iri(record.get("license")),
        "isAccessibleForFree": (access == "open") if coar else None,
        "conditionsOfAccess": coar[1] if coar else None,
        "dct:accessRights": {"@id": coar[0]} if coar else None,
        "distribution": [data_download(d) for d in record.get("distributions") or []] or None,
        "sourceOrganization": [
            {"@type": "Organization", "name": o["name"]} for o in record.get("organisations") or []
        ]
        or None,
        "variableMeasured": [
            {"@type": "PropertyValue", "name": name} for name in record.get("variables") or []
        ]
        or None,
        **related_properties(record.get("related") or []),
        "isBasedOn": source_record_url(record),
        "prov:wasDerivedFrom": _iri(source_record_url(record)),
        "prov:wasGeneratedBy": harvest_activity(record),
    }
    return {key: value for key, value in data.items() if value not in (None, [], "")}


RELATIONS = {
    "IsPartOf": "isPartOf",
    "HasPart": "hasPart",
    "Cites": "citation",
    "References": "citation",
    "IsSupplementTo": "isPartOf",
    "IsDerivedFrom": "isBasedOn",
    "IsVersionOf": "isBasedOn",
    "IsNewVersionOf": "isBasedOn",
}
"""DataCite relation types with a schema.org property; every relation is also dct:relation."""
RESOLVERS = {"doi": "https://doi.org/", "handle": "https://hdl.handle.net/"}


def related_iri(related: dict[str, Any]) -> str | None:
    """A related resource's identifier as an IRI (DOIs and Handles resolved), or None."""
    value = str(related.get("identifier") or "")
    if value.startswith(("https://", "http://")):
        return safe_iri(value)
    prefix = RESOLVERS.get(str(related.get("scheme") or "").lower())
    if prefix is None and value.startswith("10.") and "/" in value:
        prefix = RESOLVERS["doi"]
    return safe_iri(prefix + quote(value, safe="/:;()")) if prefix else None


def related_properties(related: list[dict[str, Any]]) -> dict[str, Any]:
    """Related resources as schema.org properties (where one fits) and dct:relation."""
    found: dict[str, list[dict[str, str]]] = {}
    for item in related:
        iri = related_iri(item)
        if iri is None:
            continue
        name = RELATIONS.get(str(item.get("relation")))
        if name:
            found.setdefault(name, []).append({"@id": iri})
        found.setdefault("dct:relation", []).append({"@id": iri})
    return found


def agent(value: dict[str, Any]) -> dict[str, Any]:
    """A creator or publisher as a schema.org Person or Organization."""
    found: dict[str, Any] = {"name": value.get("name")}
    kind = AGENT_TYPES.get(str(value.get("kind")))
    if kind:
        found["@type"] = kind
    if value.get("identifier"):
        found["@id"] = value["identifier"]
    return found


def data_download(value: dict[str, Any]) -> dict[str, Any]:
    """A distribution as a schema.org DataDownload."""
    size = value.get("size_bytes")
    found = {
        "@type": "DataDownload",
        "name": value.get("title"),
        "contentUrl": value.get("download_url") or value.get("access_url"),
        "encodingFormat": value.get("media_type") or value.get("format"),
        "contentSize": f"{size} B" if size is not None else value.get("size_text"),
    }
    return {key: item for key, item in found.items() if item is not None}


def licence_iri(value: Any) -> str | None:
    """The licence as its SPDX IRI (for a licence SPDX lists), else its URL, else its text."""
    if not isinstance(value, dict):
        return None
    if value.get("spdx") and is_known_spdx(str(value["spdx"])):
        return SPDX_BASE + str(value["spdx"])
    if value.get("url"):
        return str(value["url"])
    return str(value["text"]) if value.get("text") else None


def source_record_url(record: dict[str, Any]) -> str | None:
    """Where the source serves this record: its own link, or the OAI-PMH GetRecord URL."""
    origin = record.get("provenance") or {}
    if origin.get("original_url"):
        return safe_iri(str(origin["original_url"]))
    endpoint = str(origin.get("endpoint") or "")
    if origin.get("protocol") == "oai-pmh" and endpoint.startswith(("http://", "https://")):
        query = urlencode(
            {
                "verb": "GetRecord",
                "identifier": origin.get("source_identifier"),
                "metadataPrefix": origin.get("metadata_format"),
            }
        )
        return f"{endpoint}?{query}"
    return None


def harvest_activity(record: dict[str, Any]) -> dict[str, Any]:
    """The harvest that made this record, as a PROV activity."""
    origin = record.get("provenance") or {}
    activity: dict[str, Any] = {
        "@type": "prov:Activity",
        "name": f"csfinder harvest of {origin.get('source_name')}",
        "prov:endedAtTime": origin.get("harvested_at"),
        "prov:wasAssociatedWith": {"@type": "prov:SoftwareAgent", "name": "csfinder"},
    }
    endpoint = str(origin.get("endpoint") or "")
    if endpoint.startswith(("http://", "https://")):
        activity["prov:used"] = {"@id": endpoint}
    return activity


def _iris(values: Iterable[str | None]) -> list[dict[str, str]] | None:
    """IRIs as JSON-LD node references, the missing ones left out."""
    return [{"@id": value} for value in values if value] or None


def _iri(value: str | None) -> dict[str, str] | None:
    return {"@id": value} if value else None
