"""FAIR Signposting (signposting.org) levels 1 and 2 for record pages: the typed links of a
record as HTTP ``Link`` headers, and as an RFC 9264 linkset (``application/linkset+json``).

Level 1 (``Link`` headers on the page): ``cite-as`` (the persistent identifier's URL, else
the page), ``describedby`` (the metadata in each format, typed), ``item`` (each data file,
typed), ``license``, ``type`` (the schema.org type, and AboutPage), ``author`` (creators
with an ORCID or ROR IRI) and ``linkset``. Level 2: the same links in a linkset, with the
reverse links from the metadata (``describes``) and the files (``collection``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from portal.jsonld import KIND_TYPES, licence_iri, record_page
from portal.public_url import public_url_for

METADATA_FORMATS: Final = {
    "jsonld": "application/ld+json",
    "ttl": "text/turtle",
    "rdf": "application/rdf+xml",
    "datacite": "application/vnd.datacite.datacite+xml",
}
"""The metadata formats of a record page, by the name in their URL."""

PROFILES: Final = {
    "datacite": "http://datacite.org/schema/kernel-4",
    "ttl": "http://data.europa.eu/r5r/",
    "rdf": "http://data.europa.eu/r5r/",
}
"""The profile (DataCite kernel 4, DCAT-AP) each format conforms to."""

LINKSET_TYPE: Final = "application/linkset+json"
RESOLVERS: Final = {"doi": "https://doi.org/", "handle": "https://hdl.handle.net/"}


@dataclass(frozen=True)
class TypedLink:
    """One typed link from the record page."""

    href: str
    rel: str
    type: str | None = None
    profile: str | None = None


def _cite_as(record: Mapping[str, Any], page: str) -> str:
    """The persistent identifier's URL (DOI, Handle), else the page itself."""
    for identifier in record.get("identifiers") or []:
        prefix = RESOLVERS.get(str(identifier.get("scheme")))
        if prefix:
            return prefix + str(identifier["value"])
    return page


def record_links(record: Mapping[str, Any]) -> list[TypedLink]:
    """Every typed link of a record page, in a stable order."""
    page = record_page(dict(record))
    links = [TypedLink(_cite_as(record, page), "cite-as")]
    for name, media_type in METADATA_FORMATS.items():
        href = public_url_for("records.metadata", record_id=record["id"], fmt=name)
        links.append(TypedLink(href, "describedby", media_type, PROFILES.get(name)))
    for distribution in record.get("distributions") or []:
        href = distribution.get("download_url") or distribution.get("access_url")
        if href:
            links.append(TypedLink(str(href), "item", distribution.get("media_type")))
    licence = licence_iri(record.get("license"))
    if licence and licence.startswith(("http://", "https://")):
        links.append(TypedLink(licence, "license"))
    kind = KIND_TYPES.get(str(record.get("kind")), KIND_TYPES["resource"])
    links.append(TypedLink(f"https://schema.org/{kind}", "type"))
    links.append(TypedLink("https://schema.org/AboutPage", "type"))
    for creator in record.get("creators") or []:
        if str(creator.get("identifier") or "").startswith("https://"):
            links.append(TypedLink(str(creator["identifier"]), "author"))
    linkset = public_url_for("records.linkset", record_id=record["id"])
    links.append(TypedLink(linkset, "linkset", LINKSET_TYPE))
    return links


def _quoted(value: str) -> str:
    """A header parameter value, quoted; quotes and backslashes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_UNSAFE: Final = str.maketrans({c: f"%{ord(c):02X}" for c in '<>" ,;\r\n\t'})
"""Characters a harvested URL must not bring into a Link header unescaped."""


def link_header(links: Sequence[TypedLink]) -> str:
    """The links as one HTTP ``Link`` header value (RFC 8288); URLs percent-escape the
    characters that would end a link or split the header."""
    parts = []
    for link in links:
        text = f"<{link.href.translate(_UNSAFE)}> ; rel={_quoted(link.rel)}"
        if link.type:
            text += f" ; type={_quoted(link.type)}"
        if link.profile:
            text += f" ; profile={_quoted(link.profile)}"
        parts.append(text)
    return " , ".join(parts)


def linkset(record: Mapping[str, Any], links: Sequence[TypedLink]) -> dict[str, Any]:
    """The links as an RFC 9264 JSON linkset: the page's links, then the reverse links of
    its metadata (``describes``) and its files (``collection``)."""
    page = record_page(dict(record))
    context: dict[str, Any] = {"anchor": page}
    for link in links:
        if link.rel == "linkset":
            continue
        target: dict[str, str] = {"href": link.href}
        if link.type:
            target["type"] = link.type
        if link.profile:
            target["profile"] = link.profile
        context.setdefault(link.rel, []).append(target)
    contexts = [context]
    for link in links:
        if link.rel == "describedby":
            contexts.append({"anchor": link.href, "describes": [{"href": page}]})
        elif link.rel == "item":
            contexts.append({"anchor": link.href, "collection": [{"href": page}]})
    return {"linkset": contexts}
