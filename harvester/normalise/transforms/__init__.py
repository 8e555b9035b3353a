"""The one registry of named transforms a crosswalk may chain.

A transform takes the list of values a field has so far and an optional argument, and
returns a new list. Real logic lives in named, tested functions (many in
:mod:`harvester.normalise.vocab`); a crosswalk only names them. A value a vocabulary cannot place is
reported through :class:`Issues`, never raised, so one odd record never stops a run.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from harvester.core.model import contains_email
from harvester.normalise import vocab
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
    return [text for value in values if (text := as_text(value).strip())]


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
            out.append(value.with_text(text) if isinstance(value, XmlValue) else text)
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
    if len(values) < 2:
        return list(values)
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
    pattern = _separator_pattern(str(separators))
    return [part.strip() for text in _texts(values) for part in pattern.split(text) if part.strip()]


@lru_cache(maxsize=64)
def _separator_pattern(separators: str) -> re.Pattern[str]:
    """A pattern matching any one of the separator characters (compiled once)."""
    return re.compile("|".join(re.escape(s) for s in separators))


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
    if _URL.match(text):
        return "url", text
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


@lru_cache(maxsize=4096)
def kind_of(text: str) -> str:
    """Resource types (DataCite, COAR/eu-repo, schema.org, dc:type) to the model's kinds
    (cached: a harvest has few distinct types)."""
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


# -- JSON APIs: landing pages from keys, geometry, placeholders, nested objects -------

_UNKNOWN_WORDS = frozenset(
    ["unknown", "not known", "n/a", "na", "none", "null", "-", "?", "tbd", "not specified"]
)
_YEAR_END = re.compile(r"^(\d{4})-12-31T23:59:59(?:\.0+)?(?:Z|[+-]00(?::?00)?)?$", re.IGNORECASE)
_LAT_LON = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*,\s*([-+]?\d+(?:\.\d+)?)\s*$")
_BOX = ("west", "south", "east", "north")
_DIFFICULTY = {
    "easy": "Easy",
    "beginner": "Easy",
    "medium": "Medium",
    "moderate": "Medium",
    "intermediate": "Medium",
    "hard": "Hard",
    "difficult": "Hard",
    "advanced": "Hard",
}
_FROM_HOME_TAGS = frozenset(["participate from home", "from home", "at home", "home"])
_ONLINE_TAGS = frozenset(["online", "participate online", "virtual"])


@transform("prefix", argument=True)
def _prefix(values: Values, base: Any, _issues: Issues) -> Values:
    """The argument followed by each value, URL-quoted: landing pages from keys and slugs."""
    return [f"{base}{quote(text, safe='-._~')}" for text in _texts(values)]


@transform("drop-unknown")
def _drop_unknown(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Drop placeholder texts that say nothing is known ("Unknown", "n/a", "-", ...)."""
    return [
        value
        for value in values
        if not (
            isinstance(value, str | XmlValue)
            and as_text(value).strip().casefold() in _UNKNOWN_WORDS
        )
    ]


_MIDNIGHT = re.compile(
    r"^(\d{4}-\d{2}-\d{2})T00:00:00(?:\.0+)?(?:Z|[+-]00(?::?00)?)$", re.IGNORECASE
)


@transform("midnight-date")
def _midnight_date(values: Values, _arg: Any, _issues: Issues) -> Values:
    """``YYYY-MM-DDT00:00:00`` (UTC), a plain date stored as a time stamp, as ``YYYY-MM-DD``."""
    out: Values = []
    for value in values:
        match = _MIDNIGHT.match(value.strip()) if isinstance(value, str) else None
        out.append(match.group(1) if match else value)
    return out


@transform("year-placeholder")
def _year_placeholder(values: Values, _arg: Any, _issues: Issues) -> Values:
    """``YYYY-12-31T23:59:59`` (UTC), which stands for a year only, as ``YYYY``."""
    out: Values = []
    for value in values:
        match = _YEAR_END.match(value.strip()) if isinstance(value, str) else None
        out.append(match.group(1) if match else value)
    return out


def _number(value: Any) -> float | None:
    """A finite number from a JSON number or numeric text, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _positions(coordinates: Any) -> list[tuple[float, float]]:
    """Every ``[lon, lat]`` position in nested GeoJSON coordinates."""
    if not isinstance(coordinates, list):
        return []
    if len(coordinates) >= 2 and all(not isinstance(c, list) for c in coordinates[:2]):
        lon, lat = _number(coordinates[0]), _number(coordinates[1])
        return [(lon, lat)] if lon is not None and lat is not None else []
    return [found for item in coordinates for found in _positions(item)]


def _geojson_shape(value: dict[str, Any]) -> tuple[str, dict[str, float]] | None:
    """A GeoJSON geometry: a Point as a point, anything else as its bounding box."""
    found = _positions(value.get("coordinates"))
    if not found:
        return None
    if value.get("type") == "Point":
        lon, lat = found[0]
        return "points", {"lat": lat, "lon": lon}
    lons, lats = [lon for lon, _ in found], [lat for _, lat in found]
    return "boxes", {"west": min(lons), "south": min(lats), "east": max(lons), "north": max(lats)}


def geo_shape(value: Any) -> tuple[str, dict[str, float]] | None:
    """Read one point or box: ``"lat,lon"``, ``{lat, lon}``, ``{west, south, east, north}``,
    or a GeoJSON geometry (also as JSON text). None when ``value`` is none of these.

    Raises:
        ValueError: coordinates are given but are not numbers, or out of range.
    """
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{"):
            try:
                value = json.loads(text)
            except ValueError:
                return None
        else:
            match = _LAT_LON.match(text)
            if not match:
                return None
            value = {"lat": match.group(1), "lon": match.group(2)}
    if not isinstance(value, dict):
        return None
    if "coordinates" in value:
        shape = _geojson_shape(value)
    elif any(value.get(key) is not None for key in _BOX):
        numbers = {key: _number(value.get(key)) for key in _BOX}
        if any(number is None for number in numbers.values()):
            raise ValueError("a box needs west, south, east and north")
        shape = "boxes", {key: float(number or 0) for key, number in numbers.items()}
    elif value.get("lat") is not None or value.get("lon") is not None:
        lat, lon = _number(value.get("lat")), _number(value.get("lon"))
        if lat is None or lon is None:
            raise ValueError("a point needs a numeric lat and lon")
        shape = "points", {"lat": lat, "lon": lon}
    else:
        return None
    if shape is None:
        return None
    kind, where = shape
    lats = [where[k] for k in ("lat", "south", "north") if k in where]
    lons = [where[k] for k in ("lon", "west", "east") if k in where]
    if any(abs(lat) > 90 for lat in lats) or any(abs(lon) > 180 for lon in lons):
        raise ValueError("coordinates out of range")
    if kind == "boxes" and where["south"] > where["north"]:
        raise ValueError("south is north of north")
    return kind, where


@transform("geo-shapes")
def _geo_shapes(values: Values, _arg: Any, issues: Issues) -> Values:
    """Points and boxes (``"lat,lon"``, ``{lat, lon}``, ``{west, south, east, north}``,
    GeoJSON) to one ``{points, boxes}`` value; broken coordinates are reported."""
    geo: dict[str, list[dict[str, float]]] = {"points": [], "boxes": []}
    for value in values:
        try:
            shape = geo_shape(value)
        except ValueError as exc:
            issues.reject(f"geo ({exc})", json.dumps(value, default=str))
            continue
        if shape is not None:
            geo[shape[0]].append(shape[1])
    return [geo] if geo["points"] or geo["boxes"] else []


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


def _strings(value: Any) -> list[str]:
    """The texts in a value that is a text, or a list of texts or named objects."""
    items = value if isinstance(value, list) else [value]
    return [text for text in (" ".join(as_text(item).split()) for item in items) if text]


@transform("participation")
def _participation(values: Values, _arg: Any, issues: Issues) -> Values:
    """Objects ``{tasks, tags, audience, difficulty, from_home, online}`` (a JMESPath
    multi-select hash) to the model's participation; tags such as "Participate from home"
    set ``from_home`` or ``online``, difficulty is Easy, Medium or Hard."""
    out: Values = []
    for value in values:
        if not isinstance(value, dict):
            continue
        tags = {tag.casefold() for tag in _strings(value.get("tags"))}
        built: dict[str, Any] = {
            "tasks": _strings(value.get("tasks")),
            "audience": _strings(value.get("audience")),
        }
        for flag, words in (("from_home", _FROM_HOME_TAGS), ("online", _ONLINE_TAGS)):
            given = value.get(flag)
            if isinstance(given, bool):
                built[flag] = given
            elif tags & words:
                built[flag] = True
        for text in _strings(value.get("difficulty"))[:1]:
            level = _DIFFICULTY.get(text.casefold())
            if level is None:
                issues.reject("difficulty", text)
            else:
                built["difficulty"] = level
        if any(built.get(key) not in (None, []) for key in built):
            out.append(built)
    return out


@transform("range-end")
def _range_end(values: Values, _arg: Any, issues: Issues) -> Values:
    """The end of each date range ("2019/2021" gives 2021); a single date has no end."""
    out: Values = []
    for text in _texts(values):
        start, end = vocab.date_range(text)
        if end is not None:
            out.append(end)
        elif start is None:
            issues.reject("date", text)
    return out


@transform("organisation-objects")
def _organisation_objects(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Objects ``{name, role, identifier}`` (a JMESPath multi-select hash) to organisations;
    objects without a name are dropped."""
    out: Values = []
    for value in values:
        if not isinstance(value, dict):
            continue
        name = " ".join(as_text(value.get("name")).split())
        if name:
            role = " ".join(as_text(value.get("role")).split()) or None
            identifier = " ".join(as_text(value.get("identifier")).split()) or None
            out.append({"name": name, "role": role, "identifier": identifier})
    return out


# -- DataCite XML: date ranges, places, element structure, organisations, rights ------


_ISO_RANGE = re.compile(r"^\s*(\d{4}[^/]*?)?\s*/\s*(\d{4}[^/]*?|\.\.)?\s*$")


def _date_range(text: str) -> tuple[str | None, str | None]:
    """An ISO 8601 ``start/end`` range (either end may be open) read end by end, else
    :func:`vocab.date_range`, which may read "2012-01-05/2013-01-05" as one date-time."""
    match = _ISO_RANGE.match(text)
    if match is None or not (match.group(1) or match.group(2)):
        return vocab.date_range(text)
    start = vocab.iso_date(match.group(1)) if match.group(1) else None
    stop = vocab.iso_date(match.group(2)) if match.group(2) not in (None, "..") else None
    if start is not None and stop is not None and stop[: len(start)] < start[: len(stop)]:
        stop = None  # an end before the start is a typo, not an end
    return start, stop


def _range_ends(values: Values, issues: Issues | None, end: bool) -> list[str]:
    """One end of every range; a time without a zone is ambiguous, so only its day is kept."""
    found: list[str] = []
    for text in _texts(values):
        start, stop = _date_range(text)
        if start is None and stop is None:
            if issues is not None:
                issues.reject("date range", text)
            continue
        chosen = stop if end else start
        if chosen is not None:
            found.append(chosen[:10] if "T" in chosen and not chosen.endswith("Z") else chosen)
    return found


@transform("date-range-start")
def _date_range_start(values: Values, _arg: Any, issues: Issues) -> Values:
    """The earliest start of the dates and ranges given ("2019-03-01/2020-12-31")."""
    starts = _range_ends(values, issues, end=False)
    return [min(starts)] if starts else []


@transform("date-range-end")
def _date_range_end(values: Values, _arg: Any, _issues: Issues) -> Values:
    """The latest end of the ranges given; single dates and open ranges have none."""
    ends = _range_ends(values, None, end=True)
    return [max(ends)] if ends else []


_PLACE_PARTS = re.compile(r"[,;|/()\[\]\n]+")


def _is_code_part(part: str) -> bool:
    return len(part) == 2 and part.isalpha() and vocab.country_codes(part) == [part.upper()]


@transform("find-countries-in-places")
def _find_countries_in_places(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Countries named in place strings. A two-letter code counts only as the whole value:
    in "Frederick, MD" it is a state or province, not a country."""
    out: Values = []
    for text in _texts(values):
        parts = [part.strip() for part in _PLACE_PARTS.split(text) if part.strip()]
        if len(parts) > 1:
            text = ", ".join(part for part in parts if not _is_code_part(part))
        out.extend(vocab.country_codes(text) or [])
    return out


def _local(node: Any) -> str:
    tag = node.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _children(node: Any, name: str) -> list[Any]:
    """The child elements of ``node`` whose local name is ``name``, in any namespace."""
    tag = _any_namespace(name)
    if tag is None:
        return [child for child in node if _local(child) == name]
    return list(node.iterchildren(tag))


_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


@lru_cache(maxsize=256)
def _any_namespace(name: str) -> str | None:
    """lxml's tag filter for elements of local name ``name`` in any namespace or none
    (``{*}name``), where ``name`` is a plain name the filter reads as such."""
    return "{*}" + name if _PLAIN_NAME.fullmatch(name) else None


def _child_text(node: Any, name: str) -> str | None:
    """The whitespace-normalised text of the first child element called ``name``."""
    for child in _children(node, name):
        text = " ".join("".join(child.itertext()).split())
        return text or None
    return None


def _node_text(node: Any) -> str:
    return " ".join("".join(node.itertext()).split())


def _lookup(value: XmlValue, spec: str) -> str | None:
    """``text()``, ``@attribute``, ``child`` or ``child/@attribute`` of one element."""
    if spec == "text()":
        return " ".join(value.text.split()) or None
    if spec.startswith("@"):
        return value.attrs.get(spec[1:]) or None
    node = value.node
    if node is None or len(node) == 0:
        return None  # no children to look in
    child_name, _, attribute = spec.partition("/@")
    for child in _children(node, child_name):
        if attribute:
            found = {k.rpartition("}")[2]: v for k, v in child.attrib.items()}.get(attribute)
            return " ".join(str(found or "").split()) or None
        return _node_text(child) or None
    return None


@transform("xml-object", argument=True)
def _xml_object(values: Values, spec: Any, _issues: Issues) -> Values:
    """XML elements to objects: the argument maps each key to ``text()``, ``@attribute``,
    a child element's local name or ``child/@attribute`` (or a list of these, the first
    found wins); keys found empty are left out."""
    if not isinstance(spec, dict):
        raise TransformError("xml-object needs a mapping of keys to text(), @attr or child")
    out: Values = []
    for value in values:
        if not isinstance(value, XmlValue):
            continue
        built: dict[str, str] = {}
        for key, where in spec.items():
            for choice in where if isinstance(where, list) else [where]:
                found = _lookup(value, str(choice))
                if found is not None:
                    built[str(key)] = found
                    break
        if built:
            out.append(built)
    return out


def _coordinates(text: str, count: int) -> list[str] | None:
    parts = text.replace(",", " ").split()
    return parts if len(parts) == count else None


@transform("datacite-geo")
def _datacite_geo(values: Values, _arg: Any, issues: Issues) -> Values:
    """DataCite geoLocationPoint, geoLocationBox and geoLocationPolygon elements (kernel 4
    child elements; kernel 3 "lat lon" and "south west north east" text) as ``{lat, lon}``,
    ``{west, south, east, north}`` and GeoJSON polygons, for ``geo-shapes``."""
    out: Values = []
    for value in values:
        node = value.node if isinstance(value, XmlValue) else None
        if node is None:
            continue
        name, text = _local(node), _node_text(node)
        if name == "geoLocationPoint":
            lat, lon = _child_text(node, "pointLatitude"), _child_text(node, "pointLongitude")
            if lat is None and lon is None:
                pair = _coordinates(text, 2)
                if pair is None:
                    issues.reject("geoLocationPoint (kernel 3: 'lat lon')", text)
                    continue
                lat, lon = pair
            out.append({"lat": lat, "lon": lon})
        elif name == "geoLocationBox":
            box = {
                key: _child_text(node, child)
                for key, child in (
                    ("west", "westBoundLongitude"),
                    ("south", "southBoundLatitude"),
                    ("east", "eastBoundLongitude"),
                    ("north", "northBoundLatitude"),
                )
            }
            if all(number is None for number in box.values()):
                four = _coordinates(text, 4)
                if four is None:
                    issues.reject("geoLocationBox (kernel 3: 'south west north east')", text)
                    continue
                box = dict(zip(("south", "west", "north", "east"), four, strict=True))
            out.append(box)
        elif name == "geoLocationPolygon":
            ring = [
                [lon, lat]
                for point in _children(node, "polygonPoint")
                if (lon := _child_text(point, "pointLongitude")) is not None
                and (lat := _child_text(point, "pointLatitude")) is not None
            ]
            if ring:
                out.append({"type": "Polygon", "coordinates": [ring]})
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
    for child in _children(node, "nameIdentifier"):
        attrs = {k.rpartition("}")[2]: v for k, v in child.attrib.items()}
        found = _ror(_node_text(child), attrs.get("nameIdentifierScheme"), attrs.get("schemeURI"))
        if found:
            return found
    return None


def _affiliations(node: Any) -> list[dict[str, Any]]:
    out = []
    for child in _children(node, "affiliation"):
        name = _node_text(child)
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
    return name.casefold() in _UNKNOWN_WORDS or contains_email(name)


def _datacite_party(node: Any, name: str, attrs: dict[str, str]) -> list[dict[str, Any]]:
    """The organisations one publisher, creator or contributor element names."""
    if name == "publisher":
        text = _node_text(node)
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
    text = _node_text(name_node)
    if text and not _placeholder(text):
        party = {"name": text, "role": role or None, "identifier": _name_identifier(node)}
        found.insert(0, party)
    return found


_NAME_TAGS = {"creator": "{*}creatorName", "contributor": "{*}contributorName"}
"""The name element of a creator or contributor, in any namespace or none."""


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
        for party in _datacite_party(node, _local(node), value.attrs):
            key = (party["name"].casefold(), party["role"])
            if key not in kept:
                kept[key] = party
            elif kept[key]["identifier"] is None:
                kept[key]["identifier"] = party["identifier"]
    return list(kept.values())


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
    for text in _texts(values):
        if _URL.match(text):
            out.append(text)
            continue
        found = identifier_of(text)
        if found is not None and found["scheme"] in _RESOLVER_BASES:
            out.append(_RESOLVER_BASES[found["scheme"]] + found["value"])
    return out


def _is_access_term(text: str) -> bool:
    return text.lower().startswith("info:eu-repo/semantics/") or (
        vocab.access_rights(text) is not None and vocab.spdx_license(text) is None
    )


@transform("datacite-license")
def _datacite_license(values: Values, _arg: Any, _issues: Issues) -> Values:
    """DataCite rights to ``{spdx, text, url}``, licences with a known SPDX id first. The SPDX
    id comes from ``rightsURI``, else ``rightsIdentifier``, else the text (where the URI and
    the identifier disagree, the URI is what a reader follows). Access terms
    ("info:eu-repo/semantics/...", "Open Access") are not licences."""
    found: Values = []
    for value in values:
        text = " ".join(as_text(value).split())
        attrs = value.attrs if isinstance(value, XmlValue) else {}
        uri = attrs.get("rightsURI", "").strip()
        given = attrs.get("rightsIdentifier", "").strip()
        if not given and all(_is_access_term(t) for t in (uri, text) if t):
            continue
        spdx = next((s for s in map(vocab.spdx_license, (uri, given, text)) if s), None)
        url = uri if _URL.match(uri) else None
        shown = text or given or None
        if spdx or shown or url:
            found.append({"spdx": spdx, "text": shown, "url": url})
    return sorted(found, key=lambda licence: licence["spdx"] is None)


# -- schema.org and DCAT: geometry, local date-times ----------------------------------

_LOCAL_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_WKT = re.compile(
    r"^\s*(?:<([^>]*)>\s*)?(POINT|MULTIPOINT|LINESTRING|MULTILINESTRING|POLYGON|MULTIPOLYGON|"
    r"GEOMETRYCOLLECTION|ENVELOPE)\s*(?:ZM|Z|M)?\s*(\(.*\))\s*$",
    re.IGNORECASE | re.DOTALL,
)
_LAT_LON_CRS = re.compile(r"EPSG/0/4326$|EPSG:4326$", re.IGNORECASE)


@transform("drop-local-time")
def _drop_local_time(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Date-times without a time zone cut to their day (the model keeps only UTC times)."""
    out: Values = []
    for value in values:
        match = _LOCAL_DATETIME.match(value.strip()) if isinstance(value, str) else None
        out.append(match.group(1) if match else value)
    return out


def _numbers(text: str) -> list[float] | None:
    """The numbers in a whitespace- or comma-separated list, or None if one is not a number."""
    found = [_number(part) for part in re.split(r"[\s,]+", text.strip()) if part]
    return [n for n in found if n is not None] if all(n is not None for n in found) else None


def _lat_lon_box(pairs: list[tuple[float, float]]) -> dict[str, float]:
    lats, lons = [lat for lat, _ in pairs], [lon for _, lon in pairs]
    return {"west": min(lons), "south": min(lats), "east": max(lons), "north": max(lats)}


def _schema_shape(kind: str, text: str) -> dict[str, float] | None:
    """One GeoShape property: ``box`` is "south west north east", ``polygon`` and ``line``
    are "lat lon" pairs (their bounding box), ``circle`` "lat lon radius" (its centre)."""
    numbers = _numbers(text)
    if not numbers:
        return None
    if kind == "box":
        if len(numbers) != 4:
            return None
        south, west, north, east = numbers
        return {"west": west, "south": south, "east": east, "north": north}
    if kind == "circle":
        return {"lat": numbers[0], "lon": numbers[1]} if len(numbers) == 3 else None
    if len(numbers) < 2 or len(numbers) % 2:
        return None
    return _lat_lon_box(list(zip(numbers[::2], numbers[1::2], strict=True)))


def _schema_geo_nodes(node: Any, issues: Issues, out: Values, depth: int = 0) -> None:
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node:
            _schema_geo_nodes(item, issues, out, depth + 1)
        return
    if not isinstance(node, dict):
        return
    if node.get("latitude") is not None or node.get("longitude") is not None:
        out.append({"lat": node.get("latitude"), "lon": node.get("longitude")})
    for kind in ("box", "polygon", "line", "circle"):
        for text in _texts(node[kind] if isinstance(node.get(kind), list) else [node.get(kind)]):
            shape = _schema_shape(kind, text)
            if shape is None:
                issues.reject(f"geo ({kind})", text)
            else:
                out.append(shape)
    for key in ("geo", "containsPlace"):
        _schema_geo_nodes(node.get(key), issues, out, depth + 1)


@transform("schema-geo")
def _schema_geo(values: Values, _arg: Any, issues: Issues) -> Values:
    """schema.org Places, GeoCoordinates and GeoShapes (box "south west north east",
    polygon, line, circle) as ``{lat, lon}`` and ``{west, south, east, north}``, for
    ``geo-shapes``."""
    out: Values = []
    _schema_geo_nodes(values, issues, out)
    return out


def _wkt_shape(match: re.Match[str]) -> dict[str, float] | None:
    crs, kind, body = match.group(1) or "", match.group(2).upper(), match.group(3)
    if kind == "ENVELOPE":  # ENVELOPE(minX, maxX, maxY, minY), as CQL and GeoSPARQL use it
        numbers = _numbers(body.strip("()"))
        if not numbers or len(numbers) != 4:
            return None
        west, east, north, south = numbers
        return {"west": west, "south": south, "east": east, "north": north}
    pairs: list[tuple[float, float]] = []
    for chunk in re.findall(r"[^(),]+", body):
        if not chunk.strip() or chunk.strip().upper() == "EMPTY":
            continue
        numbers = _numbers(chunk)
        if not numbers or len(numbers) < 2:
            return None
        x, y = numbers[0], numbers[1]
        pairs.append((x, y) if _LAT_LON_CRS.search(crs.strip()) else (y, x))
    if not pairs:
        return None
    if kind == "POINT":
        return {"lat": pairs[0][0], "lon": pairs[0][1]}
    return _lat_lon_box(pairs)


@transform("wkt")
def _wkt(values: Values, _arg: Any, issues: Issues) -> Values:
    """WKT geometries (GeoSPARQL literals, with or without a CRS IRI in front) as a point
    or their bounding box, for ``geo-shapes``; other values (GeoJSON) pass unchanged."""
    out: Values = []
    for value in values:
        text = as_text(value).strip()
        match = _WKT.match(text)
        if match is None:
            out.append(text or value)
            continue
        shape = _wkt_shape(match)
        if shape is None:
            issues.reject("geometry (WKT)", text)
        else:
            out.append(shape)
    return out


_TIME = "http://www.w3.org/2006/time#"
_PERIOD_KEYS = {
    "start": ("startDate", "dcat:startDate", "schema:startDate", _TIME + "hasBeginning"),
    "end": ("endDate", "dcat:endDate", "schema:endDate", _TIME + "hasEnd"),
}
_INSTANT_KEYS = tuple(_TIME + name for name in ("inXSDDate", "inXSDDateTime", "inXSDDateTimeStamp"))


def _period_text(value: Any, depth: int = 0) -> str | None:
    """The first date in a period's start or end: text, literal, list or time:Instant."""
    if depth > 4:
        return None
    if isinstance(value, list):
        found = (_period_text(item, depth + 1) for item in value)
        return next((text for text in found if text), None)
    if isinstance(value, dict) and "value" not in value:
        found = (_period_text(value.get(key), depth + 1) for key in _INSTANT_KEYS)
        return next((text for text in found if text), None)
    return as_text(value).strip() or None


@transform("period", argument=True)
def _period(values: Values, end: Any, _issues: Issues) -> Values:
    """The start (argument ``start``) or end (``end``) of each period: objects with
    startDate/endDate (schema.org, DCAT, time:hasBeginning/hasEnd) or range texts
    ("2019/2021"); a date given alone is a start, never an end."""
    if end not in ("start", "end"):
        raise TransformError("period needs 'start' or 'end'")
    out: Values = []
    for value in values:
        if isinstance(value, dict) and "value" not in value:
            found = _period_text([value.get(key) for key in _PERIOD_KEYS[str(end)]])
        else:
            text = as_text(value).strip()
            found = vocab.date_range(text)[0 if end == "start" else 1] if text else None
        if found:
            out.append(found)
    return out


def unknown_transform_message(name: str) -> str:
    """Say what is wrong with a transform name, listing the known ones."""
    return f"unknown transform '{name}' (known: {', '.join(sorted(REGISTRY))})"


__all__ = ["REGISTRY", "Issues", "Transform", "TransformError", "identifier_of"]
