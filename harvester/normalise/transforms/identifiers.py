"""Identifier and link transforms: DOIs, Handles, ARKs, URNs and URLs recognised in their
usual spellings, landing pages (from keys, or through the identifiers' resolvers), and
related resources with their relation."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from harvester.normalise.transforms.common import as_texts, vocabulary_lookup
from harvester.normalise.transforms.registry import Issues, Values, transform
from harvester.normalise.values import as_text

_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_HANDLE = re.compile(r"^(?:hdl:|https?://hdl\.handle\.net/)(\d[\w.]*/\S+)$", re.IGNORECASE)
_ARK = re.compile(r"^(?:https?://\S+/)?(ark:/?\d{5}/\S+)$", re.IGNORECASE)
_URN = re.compile(r"^(urn:[a-z0-9][a-z0-9-]{1,31}:\S+)$", re.IGNORECASE)
WEB_URL = re.compile(r"^https?://[^\s/@]+\.[^\s/@]+(?:[/?#]\S*)?$", re.IGNORECASE)
"""An http(s) URL with a host: what counts as a web address."""


def identifier_of(text: str) -> dict[str, str] | None:
    """Recognise a DOI, Handle, ARK, URN or URL in any of its usual spellings."""
    found = _scheme_and_value(text.strip())
    return None if found is None else {"scheme": found[0], "value": found[1]}


@lru_cache(maxsize=8192)
def _scheme_and_value(text: str) -> tuple[str, str] | None:
    """:func:`identifier_of` as an immutable pair, cached: related and alternate
    identifiers recur across a harvest."""
    for scheme, pattern in (("doi", _DOI), ("handle", _HANDLE), ("ark", _ARK), ("urn", _URN)):
        match = pattern.match(text)
        if match:
            value = match.group(1)
            return scheme, value.lower() if scheme == "doi" else value
    if WEB_URL.match(text):
        return "url", text
    return None


@transform("identifier")
def _identifier(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Identifier strings to ``{scheme, value}``; unrecognised schemes become ``other``."""
    out: Values = []
    for text in as_texts(values):
        if " " in text:
            continue  # a citation or a sentence, not an identifier
        out.append(identifier_of(text) or {"scheme": "other", "value": text})
    return out


@transform("urls")
def _urls(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Only the values that are http(s) URLs with a host."""
    return [text for text in as_texts(values) if WEB_URL.match(text)]


@transform("related", argument=True)
def _related(values: Values, relation: Any, _issues: Issues) -> Values:
    """Identifiers of related things, with the given relation."""
    out: Values = []
    for text in as_texts(values):
        found = identifier_of(text)
        scheme = found["scheme"] if found else None
        out.append({"relation": str(relation), "identifier": text, "scheme": scheme})
    return out


@transform("url")
def _url(values: Values, _arg: Any, issues: Issues) -> Values:
    """Only http(s) URLs with a host; anything else (mailto: included) is reported."""
    return vocabulary_lookup(values, issues, "URL", lambda t: t if WEB_URL.match(t) else None)


@transform("prefix", argument=True)
def _prefix(values: Values, base: Any, _issues: Issues) -> Values:
    """The argument followed by each value, URL-quoted: landing pages from keys and slugs."""
    return [f"{base}{quote(text, safe='-._~')}" for text in as_texts(values)]


@transform("related-objects")
def _related_objects(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Objects ``{relation, identifier, scheme}`` (DataCite relatedIdentifiers, Zenodo
    related_identifiers) as related resources, relations spelt as DataCite does."""
    out: Values = []
    for value in values:
        if not isinstance(value, dict):
            continue
        identifier = " ".join(as_text(value.get("identifier")).split())
        if not identifier:
            continue
        relation = as_text(value.get("relation")).strip() or "related"
        given = as_text(value.get("scheme")).strip().lower() or None
        found = identifier_of(identifier)
        scheme = given or (found["scheme"] if found else None)
        relation = relation[:1].upper() + relation[1:]
        out.append({"relation": relation, "identifier": identifier, "scheme": scheme})
    return out


_RESOLVER_BASES = {
    "doi": "https://doi.org/",
    "handle": "https://hdl.handle.net/",
    "ark": "https://n2t.net/",
}


@transform("landing-url")
def _landing_url(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Identifiers as web addresses: URLs as given; DOIs, Handles and ARKs through their
    resolvers (https://doi.org/...); anything else is left out."""
    out: Values = []
    for text in as_texts(values):
        if WEB_URL.match(text):
            out.append(text)
            continue
        found = identifier_of(text)
        if found is not None and found["scheme"] in _RESOLVER_BASES:
            out.append(_RESOLVER_BASES[found["scheme"]] + found["value"])
    return out
