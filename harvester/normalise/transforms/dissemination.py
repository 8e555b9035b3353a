"""Attribution and distribution transforms: creators and publishers as agents
``{name, kind, identifier}`` (ORCID and ROR ids as URLs, never an e-mail address), and files
or endpoints as distributions ``{title, download_url, access_url, media_type, format,
size_bytes, size_text, checksum}``, from JSON objects or DataCite XML elements."""

from __future__ import annotations

import re
from typing import Any

from harvester.core.model import contains_email
from harvester.normalise.transforms.elements import child_elements, local_name, node_text
from harvester.normalise.transforms.media_types import file_name, media_type_from_name
from harvester.normalise.transforms.registry import Issues, Values, transform
from harvester.normalise.transforms.text import UNKNOWN_WORDS
from harvester.normalise.values import XmlValue, as_text

_KINDS = {
    "person": "person",
    "personal": "person",
    "organization": "organisation",
    "organisation": "organisation",
    "organizational": "organisation",
    "foaf:person": "person",
    "foaf:organization": "organisation",
    "http://xmlns.com/foaf/0.1/person": "person",
    "http://xmlns.com/foaf/0.1/organization": "organisation",
}
"""Agent types as sources name them (schema.org @type, DataCite nameType, FOAF)."""

_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
_ROR = re.compile(r"ror\.org/(0[a-z0-9]{8})$")


def agent_identifier(value: Any) -> str | None:
    """An ORCID or ROR id as its https URL; other http(s) identifiers as they are."""
    text = " ".join(as_text(value).split())
    if not text:
        return None
    orcid = _ORCID.search(text)
    if orcid and ("orcid" in text.lower() or text == orcid.group(1)):
        return f"https://orcid.org/{orcid.group(1)}"
    ror = _ROR.search(text.rstrip("/"))
    if ror:
        return f"https://ror.org/{ror.group(1)}"
    return text if text.startswith(("https://", "http://")) else None


def _kind(value: Any) -> str | None:
    """``person``, ``organisation`` or None, from whatever type a source gives."""
    texts = value if isinstance(value, list) else [value]
    for text in texts:
        found = _KINDS.get(as_text(text).strip().lower())
        if found:
            return found
    return None


def _agent(name: Any, kind: Any, identifier: Any) -> dict[str, Any] | None:
    """An agent, or None for a missing or placeholder name or one holding an e-mail."""
    text = " ".join(as_text(name).split())
    if not text or text.casefold() in UNKNOWN_WORDS or contains_email(text):
        return None
    return {"name": text, "kind": _kind(kind), "identifier": agent_identifier(identifier)}


@transform("agents", argument=True)
def _agents(values: Values, kind: Any, _issues: Issues) -> Values:
    """Names, or objects ``{name, kind, identifier}``, to agents; the argument is the kind
    of plain names (``~`` for unknown)."""
    out: Values = []
    for value in values:
        if isinstance(value, dict):
            found = _agent(value.get("name"), value.get("kind") or kind, value.get("identifier"))
        else:
            found = _agent(value, kind, None)
        if found and found not in out:
            out.append(found)
    return out


def _datacite_agent(node: Any, name_tag: str) -> dict[str, Any] | None:
    """One DataCite creator or contributor element as an agent."""
    names = child_elements(node, name_tag)
    if not names:
        return None
    name_node = names[0]
    text = node_text(name_node)
    if not text:
        given = " ".join(node_text(n) for n in child_elements(node, "givenName"))
        family = " ".join(node_text(n) for n in child_elements(node, "familyName"))
        text = ", ".join(part for part in (family, given) if part)
    identifier = None
    for child in child_elements(node, "nameIdentifier"):
        identifier = agent_identifier(node_text(child))
        if identifier:
            break
    return _agent(text, name_node.get("nameType"), identifier)


@transform("datacite-agents")
def _datacite_agents(values: Values, _arg: Any, _issues: Issues) -> Values:
    """DataCite creator and publisher elements to agents: creators with their nameType and
    first ORCID or ROR nameIdentifier; the publisher as an organisation with its ROR id."""
    out: Values = []
    for value in values:
        node = value.node if isinstance(value, XmlValue) else None
        if node is None:
            continue
        tag = local_name(node)
        if tag == "publisher":
            found = _agent(node_text(node), "organization", value.attrs.get("publisherIdentifier"))
        elif tag in ("creator", "contributor"):
            found = _datacite_agent(node, f"{tag}Name")
        else:
            found = None
        if found and found not in out:
            out.append(found)
    return out


_SIZE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([kmgtp]?i?b|bytes?|octets?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1000, "m": 1000**2, "g": 1000**3, "t": 1000**4, "p": 1000**5}
_IANA = "http://www.iana.org/assignments/media-types/"
_FORMAT_MEDIA_TYPES = {"dwc_archive": "application/zip", "eml": "application/xml"}
"""Format names whose media type is fixed (a Darwin Core Archive is a ZIP file)."""


def size_in_bytes(value: Any) -> int | None:
    """A byte count from a number or a text such as '15 MB', '2.5 GiB' or '1234 bytes'."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = as_text(value).strip()
    if text.isdigit():
        return int(text)
    if re.fullmatch(r"\d+\.0*", text):
        return int(text.split(".", 1)[0])
    match = _SIZE.match(text)
    if not match:
        return None
    number = float(match.group(1).replace(",", "."))
    unit = match.group(2).lower()
    prefix = unit[0] if unit[0] in "kmgtp" else ""
    base = 1024 if "i" in unit[1:2] else 1000
    return int(number * (base ** list(_UNITS).index(prefix)))


_EXACT = re.compile(r"^\s*(\d+)(\.0*)?\s*(b|bytes?|octets?)?\s*$", re.IGNORECASE)


def exact_bytes(value: Any) -> int | None:
    """A byte count the source states exactly ('1234', '1234 bytes', '1234 B'), or None
    for a rounded size ('15 MB', '33kB') or anything else: a size in kilobytes or more is
    kept as the source's text, never published as a false count of bytes."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    match = _EXACT.match(as_text(value))
    return int(match.group(1)) if match else None


def media_type_of(value: Any) -> str | None:
    """A media type from 'text/csv', its IANA IRI, or None for anything else."""
    text = as_text(value).strip()
    for base in (_IANA, _IANA.replace("http://", "https://", 1)):
        text = text.removeprefix(base)
    text = text.split(";", 1)[0].strip().lower()
    return text if re.fullmatch(r"[a-z0-9][\w.+-]*/[a-z0-9][\w.+-]*", text) else None


def _format_name(value: Any) -> str | None:
    """A format name; an EU file-type IRI (…/file-type/CSV) to its code."""
    text = " ".join(as_text(value).split())
    if "/file-type/" in text:
        return text.rstrip("/").rsplit("/", 1)[1]
    return text or None


def _distribution(value: dict[str, Any]) -> dict[str, Any] | None:
    """One distribution object, its fields tidied; None when it says nothing. A format the
    source gives where a media type belongs ("zip" as schema.org encodingFormat) is kept as
    the format's name; a downloadable file without a stated media type gets the one its
    name (or its URL's) stands for, marked as read from the name."""
    title = " ".join(as_text(value.get("title")).split()) or None
    media_type = media_type_of(value.get("media_type")) or media_type_of(value.get("format"))
    named = [
        _format_name(v)
        for v in (value.get("format"), value.get("media_type"))
        if as_text(v).strip() and not media_type_of(v)
    ]
    name = named[0] if named else None
    if media_type is None and name:
        media_type = _FORMAT_MEDIA_TYPES.get(name.casefold())
    download = as_text(value.get("download_url")).strip() or None
    from_name = False
    if media_type is None and download:
        media_type = media_type_from_name(title or "") or media_type_from_name(
            file_name(download) or ""
        )
        from_name = media_type is not None
    size_bytes = exact_bytes(value.get("size"))
    size_text = None if size_bytes is not None else as_text(value.get("size")).strip() or None
    found = {
        "title": title,
        "download_url": download,
        "access_url": as_text(value.get("access_url")).strip() or None,
        "media_type": media_type,
        "format": name,
        "size_bytes": size_bytes,
        "size_text": size_text,
        "checksum": as_text(value.get("checksum")).strip() or None,
        "media_type_from_name": from_name,
    }
    keys = ("download_url", "access_url", "media_type", "format", "size_bytes", "size_text")
    return found if any(found[key] is not None for key in keys) else None


def _quantity(value: Any) -> str | None:
    """A size as text: a schema.org QuantitativeValue ``{value, unitText}`` or plain text."""
    if isinstance(value, dict):
        amount = as_text(value.get("value")).strip()
        unit = as_text(value.get("unitText") or value.get("unitCode")).strip()
        return " ".join(part for part in (amount, unit) if part) or None
    return as_text(value).strip() or None


@transform("distributions")
def distributions(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Objects ``{title, download_url, access_url, media_type, format, size, checksum}``
    to distributions: media types from IANA IRIs or, for a downloadable file, its name's
    extension; EU file-type IRIs to their codes; sizes in bytes when the source counts
    bytes, else as the source writes them. An object ``{whole_size}`` is the size of the
    whole data (schema.org Dataset ``size``): the only distribution's size when it states
    none, else kept as a distribution of its own."""
    out: Values = []
    whole = [
        _quantity(v["whole_size"]) for v in values if isinstance(v, dict) and "whole_size" in v
    ]
    for value in values:
        found = (
            _distribution(value) if isinstance(value, dict) and "whole_size" not in value else None
        )
        if found and found not in out:
            out.append(found)
    for size in filter(None, whole):
        counted = exact_bytes(size)
        sized = {"size_bytes": counted, "size_text": None if counted is not None else size}
        if len(out) == 1 and out[0]["size_bytes"] is None and out[0]["size_text"] is None:
            out[0] = {**out[0], **sized}
        else:
            out.append(_distribution({"size": size}))
    return [d for d in out if d]
