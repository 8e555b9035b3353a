"""The one registry of named transforms a crosswalk may chain.

A transform takes the list of values a field has so far and an optional argument, and
returns a new list. Real logic lives in named, tested functions (many in
:mod:`harvester.vocab`); a crosswalk only names them. A value a vocabulary cannot place is
reported through :class:`Issues`, never raised, so one odd record never stops a run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harvester import vocab
from harvester.normalise.values import TransformError, XmlValue, as_text, lang_of

Values = list[Any]


class Issues:
    """Collects the per-field problems transforms meet on one record."""

    def __init__(self) -> None:
        self.invalid: list[str] = []

    def reject(self, what: str, value: Any) -> None:
        """Note a value a vocabulary could not place."""
        shown = as_text(value)
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        self.invalid.append(f"{what}: {shown!r} not recognised")


TransformFunction = Callable[[Values, Any, Issues], Values]


@dataclass(frozen=True)
class Transform:
    """A registered transform: its function and whether it takes an argument."""

    name: str
    function: TransformFunction
    argument: bool = False
    doc: str = ""


REGISTRY: dict[str, Transform] = {}


def transform(
    name: str, *, argument: bool = False
) -> Callable[[TransformFunction], TransformFunction]:
    """Register a function under ``name``."""

    def register(function: TransformFunction) -> TransformFunction:
        if name in REGISTRY:
            raise ValueError(f"transform '{name}' registered twice")
        doc = (function.__doc__ or "").strip().splitlines()[0] if function.__doc__ else ""
        REGISTRY[name] = Transform(name, function, argument, doc)
        return function

    return register


def _texts(values: Values) -> list[str]:
    return [text for text in (as_text(v).strip() for v in values) if text]


def _vocabulary(
    values: Values, issues: Issues | None, what: str, lookup: Callable[[str], Any]
) -> Values:
    """Look every value up; unplaced ones are reported, unless ``issues`` is ``None``."""
    out: Values = []
    for value in values:
        text = as_text(value).strip()
        if not text:
            continue
        found = lookup(text)
        if found is None or found == []:
            if issues is not None:
                issues.reject(what, text)
        elif isinstance(found, list):
            out.extend(found)
        else:
            out.append(found)
    return out


# -- plain list and text handling ------------------------------------------------------


@transform("text")
def _text(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Values as plain text, empty ones dropped."""
    return _texts(values)


@transform("trim")
def _trim(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Collapse inner whitespace and strip the ends; keep ``xml:lang``."""
    out: Values = []
    for value in values:
        text = " ".join(as_text(value).split())
        if text:
            out.append(
                XmlValue(text, value.lang, value.attrs) if isinstance(value, XmlValue) else text
            )
    return out


@transform("first")
def _first(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Only the first value."""
    return values[:1]


@transform("rest")
def _rest(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Every value but the first."""
    return values[1:]


@transform("unique")
def _unique(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Drop repeated values (by text, case-insensitively), keeping the first."""
    seen: set[str] = set()
    out: Values = []
    for value in values:
        key = (
            as_text(value).casefold()
            if not isinstance(value, dict)
            else repr(sorted(value.items()))
        )
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


@transform("join", argument=True)
def _join(values: Values, separator: Any, _issues: Issues) -> Values:
    """All values joined into one with the given separator."""
    texts = _texts(values)
    return [str(separator).join(texts)] if texts else []


@transform("split", argument=True)
def _split(values: Values, separators: Any, _issues: Issues) -> Values:
    """Each value split on any of the given separator characters."""
    pattern = "|".join(re.escape(s) for s in str(separators))
    return [
        part.strip() for text in _texts(values) for part in re.split(pattern, text) if part.strip()
    ]


@transform("lower")
def _lower(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Lower-case text."""
    return [text.lower() for text in _texts(values)]


@transform("const", argument=True)
def _const(values: Values, constant: Any, _issues: Issues) -> Values:
    """The given constant, whatever the values (for example a default ``kind``)."""
    return [constant]


@transform("default", argument=True)
def _default(values: Values, fallback: Any, _issues: Issues) -> Values:
    """The given value when there are none."""
    return values or [fallback]


@transform("lang-text")
def _lang_text(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Text with its language, as ``{value, lang}``."""
    out: Values = []
    for value in values:
        text = " ".join(as_text(value).split())
        if text:
            lang = lang_of(value)
            out.append({"value": text, "lang": vocab.language_code(lang) if lang else None})
    return out


@transform("strip-html")
def _strip_html(values: Values, _arg: Any, _issues: Issues) -> Values:
    """HTML (also double-escaped) reduced to plain text."""
    return [text for text in (vocab.plain_text(t) for t in _texts(values)) if text]


@transform("clean-description")
def _clean_description(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Plain text with every e-mail address removed: what public descriptions carry."""
    return [text for text in (vocab.clean_description(t) for t in _texts(values)) if text]


# -- controlled vocabularies -----------------------------------------------------------


@transform("iso-date")
def _iso_date(values: Values, _arg: Any, issues: Issues) -> Values:
    """Dates in the forms providers use, as ISO 8601 keeping their precision."""
    return _vocabulary(values, issues, "date", vocab.iso_date)


@transform("country")
def _country(values: Values, _arg: Any, issues: Issues) -> Values:
    """Country names (any EU language), codes and place strings to ISO 3166-1 alpha-2."""
    return _vocabulary(values, issues, "country", vocab.country_codes)


@transform("find-countries")
def _find_countries(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Country codes found in free place strings; places without one are fine."""
    return _vocabulary(values, None, "country", vocab.country_codes)


@transform("language")
def _language(values: Values, _arg: Any, issues: Issues) -> Values:
    """Language names and codes to ISO 639-1."""
    return _vocabulary(values, issues, "language", vocab.language_code)


@transform("spdx-license")
def _spdx_license(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Licence URLs, names and spellings to ``{spdx, text, url}`` (SPDX id where known)."""
    out: Values = []
    for text in _texts(values):
        if text.lower().startswith("info:eu-repo/semantics/"):
            continue  # access rights, not a licence
        url = text if re.match(r"https?://", text) else None
        out.append({"spdx": vocab.spdx_license(text), "text": None if url else text, "url": url})
    return out


@transform("access-rights")
def _access_rights(values: Values, _arg: Any, issues: Issues) -> Values:
    """COAR / eu-repo access terms and words to open, embargoed, restricted, closed..."""
    return _vocabulary(values, issues, "access rights", vocab.access_rights)


@transform("find-access-rights")
def _find_access_rights(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Access terms among mixed values (licences beside them are fine)."""
    return _vocabulary(values, None, "access rights", vocab.access_rights)


@transform("status")
def _status(values: Values, _arg: Any, issues: Issues) -> Values:
    """Project status words (several languages) to the PPSR Core vocabulary."""
    return _vocabulary(values, issues, "status", vocab.project_status)


@transform("topics")
def _topics(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Keywords and subjects to field-of-science ids (unplaced keywords are fine)."""
    return [topic for text in _texts(values) for topic in vocab.topics(text)]


@transform("sdgs")
def _sdgs(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Sustainable Development Goals named or numbered in the text."""
    return [goal for text in _texts(values) for goal in vocab.sdg_numbers(text)]


# -- identifiers and links -------------------------------------------------------------

_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_HANDLE = re.compile(r"^(?:hdl:|https?://hdl\.handle\.net/)(\d[\w.]*/\S+)$", re.IGNORECASE)
_ARK = re.compile(r"^(?:https?://\S+/)?(ark:/?\d{5}/\S+)$", re.IGNORECASE)
_URN = re.compile(r"^(urn:[a-z0-9][a-z0-9-]{1,31}:\S+)$", re.IGNORECASE)
_URL = re.compile(r"^https?://[^\s/@]+\.[^\s/@]+(?:[/?#]\S*)?$", re.IGNORECASE)


def identifier_of(text: str) -> dict[str, str] | None:
    """Recognise a DOI, Handle, ARK, URN or URL in any of its usual spellings."""
    text = text.strip()
    for scheme, pattern in (("doi", _DOI), ("handle", _HANDLE), ("ark", _ARK), ("urn", _URN)):
        match = pattern.match(text)
        if match:
            value = match.group(1)
            return {"scheme": scheme, "value": value.lower() if scheme == "doi" else value}
    if _URL.match(text):
        return {"scheme": "url", "value": text}
    return None


@transform("identifier")
def _identifier(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Identifier strings to ``{scheme, value}``; unrecognised schemes become ``other``."""
    out: Values = []
    for text in _texts(values):
        if " " in text:
            continue  # a citation or a sentence, not an identifier
        out.append(identifier_of(text) or {"scheme": "other", "value": text})
    return out


@transform("urls")
def _urls(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Only the values that are http(s) URLs with a host."""
    return [text for text in _texts(values) if _URL.match(text)]


@transform("related", argument=True)
def _related(values: Values, relation: Any, _issues: Issues) -> Values:
    """Identifiers of related things, with the given relation."""
    out: Values = []
    for text in _texts(values):
        found = identifier_of(text)
        scheme = found["scheme"] if found else None
        out.append({"relation": str(relation), "identifier": text, "scheme": scheme})
    return out


_KINDS = {
    "project": "project",
    "researchproject": "project",
    "dataset": "dataset",
    "data": "dataset",
    "datapaper": "publication",
    "text": "publication",
    "article": "publication",
    "publication": "publication",
    "journalarticle": "publication",
    "book": "publication",
    "bookpart": "publication",
    "report": "publication",
    "preprint": "publication",
    "conferencepaper": "publication",
    "doctoralthesis": "publication",
    "masterthesis": "publication",
    "dissertation": "publication",
}


def kind_of(text: str) -> str:
    """Resource types (DataCite, COAR/eu-repo, schema.org, dc:type) to the model's kinds."""
    key = text.strip().rsplit("/", 1)[-1].rsplit("#", 1)[-1].rsplit(":", 1)[-1]
    return _KINDS.get("".join(ch for ch in key.lower() if ch.isalnum()), "resource")


@transform("kind")
def _kind(values: Values, _arg: Any, _issues: Issues) -> Values:
    """The first recognised resource type as project, dataset or publication."""
    kinds = [kind_of(text) for text in _texts(values)]
    specific = [kind for kind in kinds if kind != "resource"]
    return specific[:1] or kinds[:1]


@transform("url")
def _url(values: Values, _arg: Any, issues: Issues) -> Values:
    """Only http(s) URLs with a host; anything else (mailto: included) is reported."""
    return _vocabulary(values, issues, "URL", lambda t: t if _URL.match(t) else None)


@transform("organisation", argument=True)
def _organisation(values: Values, role: Any, _issues: Issues) -> Values:
    """Names to organisations with the given role (``~`` for none)."""
    return [{"name": " ".join(text.split()), "role": role} for text in _texts(values)]


def unknown_transform_message(name: str) -> str:
    """Say what is wrong with a transform name, listing the known ones."""
    return f"unknown transform '{name}' (known: {', '.join(sorted(REGISTRY))})"


__all__ = ["REGISTRY", "Issues", "Transform", "TransformError", "identifier_of"]
