"""A record as schema.org JSON-LD, embedded in its page and served on request."""

from __future__ import annotations

from typing import Any

from portal.public_url import public_url_for

KIND_TYPES = {
    "project": "ResearchProject",
    "dataset": "Dataset",
    "publication": "ScholarlyArticle",
    "resource": "CreativeWork",
}


def record_jsonld(record: dict[str, Any]) -> dict[str, Any]:
    """schema.org description of a record; nothing a person's e-mail could hide in."""
    page = public_url_for("records.show", record_id=record["id"])
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": KIND_TYPES.get(str(record.get("kind")), "CreativeWork"),
        "@id": page,
        "name": record.get("title"),
        "description": record.get("description"),
        "url": record.get("url") or page,
        "keywords": record.get("keywords") or None,
        "inLanguage": record.get("languages") or None,
        "startDate": record.get("start_date"),
        "endDate": record.get("end_date"),
        "dateModified": record.get("date_modified"),
        "identifier": [
            {"@type": "PropertyValue", "propertyID": i["scheme"], "value": i["value"]}
            for i in record.get("identifiers") or []
        ]
        or None,
        "spatialCoverage": [
            {"@type": "Place", "address": {"@type": "PostalAddress", "addressCountry": c}}
            for c in record.get("countries") or []
        ]
        or None,
        "license": _license(record.get("license")),
        "sourceOrganization": [
            {"@type": "Organization", "name": o["name"]} for o in record.get("organisations") or []
        ]
        or None,
        "isBasedOn": (record.get("provenance") or {}).get("original_url"),
    }
    return {key: value for key, value in data.items() if value not in (None, [], "")}


def _license(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    if value.get("url"):
        return str(value["url"])
    if value.get("spdx"):
        return f"https://spdx.org/licenses/{value['spdx']}.html"
    return str(value["text"]) if value.get("text") else None
