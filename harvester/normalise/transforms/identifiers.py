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
_ISBN = re.compile(
    r"^(?:isbn(?:-1[03])?:?\s*)?((?:97[89][- ]?)?\d[\d -]{7,14}[\dX])$", re.IGNORECASE
)
_ISSN = re.compile(r"^(?:e?issn:?\s*)?(\d{4}-?\d{3}[\dX])$", re.IGNORECASE)
_BARE_HOST = re.compile(
    r"^(?:www\d?\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,24}|xn--[a-z0-9-]+)"
    r"(?::\d{1,5})?(?:[/?#]\S*)?$",
    re.IGNORECASE,
)
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|svg|webp|bmp|tiff?)$", re.IGNORECASE)


def _isbn_digits(text: str) -> str | None:
    """The digits of a valid ISBN-10 or ISBN-13 (check digit tested), else None."""
    digits = re.sub(r"[- ]", "", text).upper()
    if len(digits) == 10 and digits[:9].isdigit():
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return digits if (digits[9].isdigit() or digits[9] == "X") and total % 11 == 0 else None
    if len(digits) == 13 and digits.isdigit() and digits.startswith(("978", "979")):
        total = sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(digits))
        return digits if total % 10 == 0 else None
    return None


def _issn(text: str) -> str | None:
    """A valid ISSN as NNNN-NNNC (check digit tested), else None."""
    digits = text.replace("-", "").upper()
    total = sum((8 - i) * int(c) for i, c in enumerate(digits[:7]))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return f"{digits[:4]}-{digits[4:]}" if digits[7] == expected else None


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
    lowered = text.lower()
    if lowered.startswith("urn:isbn:") or lowered.startswith("urn:issn:"):
        text = text[9:]
    match = _ISSN.match(text)
    if match and (issn := _issn(match.group(1))):
        return "issn", issn
    match = _ISBN.match(text)
    if match and (isbn := _isbn_digits(match.group(1))):
        return "isbn", isbn
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


@transform("web-page")
def _web_page(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Web addresses as people type them into a form: trimmed, a bare host such as
    "www.gt20.eu" given "http://" (never a guess at https), each of several joined by
    ";" on its own. Follow with ``url`` or ``urls``."""
    out: Values = []
    for text in as_texts(values):
        for part in (piece.strip() for piece in text.split(";")):
            if _BARE_HOST.match(part) and not WEB_URL.match(part):
                part = "http://" + part
            if part:
                out.append(part)
    return out


@transform("landing-page")
def _landing_page(values: Values, _arg: Any, issues: Issues) -> Values:
    """Drop (and report) addresses of image files: a picture is no landing page."""
    out: Values = []
    for text in as_texts(values):
        if WEB_URL.match(text) and _IMAGE_FILE.search(text.split("?")[0].split("#")[0]):
            issues.reject("landing page (an image file)", text)
        else:
            out.append(text)
    return out


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


_DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)


@transform("cited", argument=True)
def _cited(values: Values, relation: Any, _issues: Issues) -> Values:
    """Citations ``{identifier, text}`` (GBIF's bibliographicCitations) as related
    resources with the given relation: the identifier the source gives, else the first DOI
    written in the citation's text ('..., DOI: 10.5070/P9401362375, URL: ...'); a citation
    naming none is left out."""
    out: Values = []
    for value in values:
        if not isinstance(value, dict):
            continue
        given = " ".join(as_text(value.get("identifier")).split())
        match = _DOI_IN_TEXT.search(as_text(value.get("text")))
        identifier = given or (match.group(1).rstrip(".,;)") if match else "")
        found = identifier_of(identifier) if identifier else None
        if found is not None:
            item = {
                "relation": str(relation),
                "identifier": found["value"],
                "scheme": found["scheme"],
            }
            if item not in out:
                out.append(item)
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
