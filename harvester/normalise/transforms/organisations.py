"""Organisation transforms: names and objects to ``{name, role, identifier}``, and the
organisations in DataCite publisher, creator and contributor elements (affiliations, ROR ids
as https://ror.org/ URLs; persons themselves are left out)."""

from __future__ import annotations

from typing import Any

from harvester.core.model import contains_email
from harvester.normalise import vocab
from harvester.normalise.transforms.common import as_texts
from harvester.normalise.transforms.elements import child_elements, local_name, node_text
from harvester.normalise.transforms.registry import Issues, Values, transform
from harvester.normalise.transforms.text import UNKNOWN_WORDS
from harvester.normalise.values import XmlValue, as_text

_NAME_TAGS = {"creator": "{*}creatorName", "contributor": "{*}contributorName"}
"""The name element of a creator or contributor, in any namespace or none."""


@transform("organisation", argument=True)
def _organisation(values: Values, role: Any, _issues: Issues) -> Values:
    """Names to organisations with the given role (``~`` for none)."""
    return [{"name": " ".join(text.split()), "role": role} for text in as_texts(values)]


@transform("organisation-objects")
def _organisation_objects(values: Values, _arg: Any, issues: Issues) -> Values:
    """Objects ``{name, role, identifier, country, type}`` (a JMESPath multi-select hash) to
    organisations; objects without a name are dropped, a country the vocabulary cannot
    place is reported (and left out). A name that is an e-mail address is no name."""
    out: Values = []
    for value in values:
        if not isinstance(value, dict):
            continue
        name = " ".join(as_text(value.get("name")).split())
        if not name or contains_email(name):
            continue
        found: dict[str, Any] = {"name": name}
        for key in ("role", "identifier", "type"):
            found[key] = " ".join(as_text(value.get(key)).split()) or None
        country = " ".join(as_text(value.get("country")).split())
        if country:
            found["country"] = vocab.country_code(country)
            if found["country"] is None:
                issues.reject("organisation country", country)
        if found["type"] is None:
            del found["type"]
        out.append(found)
    return out


_ORGANISATION_TYPES = frozenset(
    [
        "HostingInstitution",
        "Funder",
        "Sponsor",
        "ResearchGroup",
        "Distributor",
        "RegistrationAgency",
        "RegistrationAuthority",
    ]
)


def _ror(value: str | None, scheme: str | None, scheme_uri: str | None) -> str | None:
    """A ROR id as its https://ror.org/ URL, when the identifier is one."""
    if not value:
        return None
    value = value.strip()
    if "ror.org/" in value:
        return "https://ror.org/" + value.rstrip("/").rsplit("/", 1)[1]
    named_ror = (scheme or "").strip().upper() == "ROR" or "ror.org" in (scheme_uri or "")
    return f"https://ror.org/{value}" if named_ror and value else None


def _name_identifier(node: Any) -> str | None:
    """The first ROR id among the nameIdentifiers of a creator or contributor."""
    for child in child_elements(node, "nameIdentifier"):
        attrs = {k.rpartition("}")[2]: v for k, v in child.attrib.items()}
        found = _ror(node_text(child), attrs.get("nameIdentifierScheme"), attrs.get("schemeURI"))
        if found:
            return found
    return None


def _affiliations(node: Any) -> list[dict[str, Any]]:
    """The affiliations of a creator or contributor, as organisations."""
    out = []
    for child in child_elements(node, "affiliation"):
        name = node_text(child)
        if name:
            attrs = {k.rpartition("}")[2]: v for k, v in child.attrib.items()}
            identifier = _ror(
                attrs.get("affiliationIdentifier"),
                attrs.get("affiliationIdentifierScheme"),
                attrs.get("schemeURI"),
            )
            out.append({"name": name, "role": "affiliation", "identifier": identifier})
    return out


def _placeholder(name: str) -> bool:
    """A name that is no organisation: a placeholder ("None") or an e-mail address."""
    return name.casefold() in UNKNOWN_WORDS or contains_email(name)


def _datacite_party(node: Any, name: str, attrs: dict[str, str]) -> list[dict[str, Any]]:
    """The organisations one publisher, creator or contributor element names."""
    if name == "publisher":
        text = node_text(node)
        identifier = _ror(
            attrs.get("publisherIdentifier"),
            attrs.get("publisherIdentifierScheme"),
            attrs.get("schemeURI"),
        )
        if not text or _placeholder(text):
            return []
        return [{"name": text, "role": "publisher", "identifier": identifier}]
    if name not in ("creator", "contributor"):
        return []
    name_node = next(node.iterchildren(_NAME_TAGS[name]), None)
    found = [party for party in _affiliations(node) if not _placeholder(party["name"])]
    if name_node is None:
        return found
    role = "creator" if name == "creator" else (attrs.get("contributorType") or "").strip()
    if name_node.get("nameType") != "Organizational" and role not in _ORGANISATION_TYPES:
        return found  # a person: only the affiliations are organisations
    text = node_text(name_node)
    if text and not _placeholder(text):
        party = {"name": text, "role": role or None, "identifier": _name_identifier(node)}
        found.insert(0, party)
    return found


@transform("datacite-organisations")
def _datacite_organisations(values: Values, _arg: Any, _issues: Issues) -> Values:
    """DataCite publisher, creator and contributor elements to organisations: the
    publisher; creators and contributors that are organisations (nameType Organizational,
    or an institutional contributorType such as HostingInstitution); every affiliation;
    ROR ids as https://ror.org/ URLs. Persons themselves are left out."""
    kept: dict[tuple[str, str | None], dict[str, Any]] = {}
    for value in values:
        node = value.node if isinstance(value, XmlValue) else None
        if node is None:
            continue
        for party in _datacite_party(node, local_name(node), value.attrs):
            key = (party["name"].casefold(), party["role"])
            if key not in kept:
                kept[key] = party
            elif kept[key]["identifier"] is None:
                kept[key]["identifier"] = party["identifier"]
    return list(kept.values())
