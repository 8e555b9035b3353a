"""The common record model: what every crosswalk produces and everything downstream reads.

Aligned with PPSR Core (project metadata) and DataCite/DCAT (datasets). Models are frozen
pydantic models that forbid unknown fields; validators normalise what is safe to normalise
(blank strings to ``None``, duplicates out of lists, code case, resolver prefixes off
identifiers, date-times to UTC) and reject the rest with a message naming the problem.

``python -m harvester.core.model > mappings/record.schema.json`` writes the published JSON Schema.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Hashable
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

PPSR_STATUSES = (
    "Not yet started",
    "Active",
    "Periodically active",
    "On hold",
    "Completed",
    "Abandoned",
)
"""The PPSR Core projectStatus terms."""


SCHEMA_ID = "urn:csfinder:schema:record:1"
"""The ``$id`` of the published schema: a stable name, whatever host serves the file."""

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"

UNTITLED = "[untitled]"
"""Placeholder title for records whose source gives none; counted as a missing title."""

SOURCE_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
RECORD_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}:[0-9a-f]{16}$"


USER_ASSIGNED_COUNTRIES = frozenset({"XK"})
"""Codes outside ISO 3166-1 proper that European registries use (XK: Kosovo)."""

Kind = Literal["project", "dataset", "publication", "resource"]
AccessRights = Literal["open", "embargoed", "restricted", "closed", "metadata-only"]
IdentifierScheme = Literal[
    "doi", "handle", "ark", "urn", "url", "isbn", "issn", "orcid", "ror", "other"
]
Problem = Literal["missing", "invalid", "transform-failed"]
Principle = Literal["F", "A", "I", "R"]


# --- value checks -------------------------------------------------------------------------


def _blank_to_none(value: object) -> object:
    """Return None for a blank string, else the value unchanged."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _drop_blanks(value: object) -> object:
    """Drop blank strings from a list (or tuple); other values pass unchanged."""
    if isinstance(value, list | tuple):
        return [item for item in value if not (isinstance(item, str) and not item.strip())]
    return value


def _key(item: object) -> Hashable:
    """A hashable identity for deduplication: models by their JSON, scalars as they are.

    A model whose fields hold only texts and None is keyed by those values themselves:
    they tell two such models apart exactly as their JSON would, without writing it.
    """
    if isinstance(item, str | int | float):
        return item
    if isinstance(item, BaseModel):
        values = tuple(item.__dict__.values())
        if all(value is None or type(value) is str for value in values):
            return ("fields", type(item).__name__, values)
        return (type(item).__name__, item.model_dump_json())
    return item if isinstance(item, Hashable) else json.dumps(item, sort_keys=True, default=str)


def _unique(values: list[Any]) -> list[Any]:
    """Return ``values`` without repeats, keeping the first occurrence's position."""
    if len(values) < 2:
        return values
    seen: set[Hashable] = set()
    kept = []
    for item in values:
        key = _key(item)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


@cache
def _country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code, plus :data:`USER_ASSIGNED_COUNTRIES`."""
    return frozenset(country.alpha_2 for country in pycountry.countries) | USER_ASSIGNED_COUNTRIES


@cache
def _language_codes() -> frozenset[str]:
    """Every ISO 639-1 (two-letter) language code."""
    return frozenset(
        language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2")
    )


def _country(value: str) -> str:
    """Upper-case an ISO 3166-1 alpha-2 code and check that it exists."""
    code = value.upper()
    if code not in _country_codes():
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code (such as 'DE')")
    return code


@lru_cache(maxsize=1024)
def _language(value: str) -> str:
    """Reduce a language tag to its ISO 639-1 code ('en-GB' → 'en') and check that it exists
    (cached: a harvest has few distinct tags)."""
    code = re.split(r"[-_]", value, maxsplit=1)[0].lower()
    if code not in _language_codes():
        raise ValueError(f"'{value}' is not an ISO 639-1 language code (such as 'en')")
    return code


_TOPIC = re.compile(r"\d+(?:\.\d+)*")


def _topic(value: str) -> str:
    """Check a field-of-science code: dotted digits such as '1.6'."""
    if not _TOPIC.fullmatch(value):
        raise ValueError(f"'{value}' is not a field-of-science code (dotted digits such as '1.6')")
    return value


_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DATE_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ"


@lru_cache(maxsize=8192)
def _iso_date(value: str) -> str:
    """Check an ISO 8601 date of year, month or day precision, or a date-time.

    Date-times with an offset are converted to UTC and written ``YYYY-MM-DDThh:mm:ssZ``
    (seconds precision); date-times without a time zone are rejected as ambiguous. Cached,
    as is :func:`_utc_datetime`: dates and harvest times recur (only accepted ones are kept).
    """
    match = _PARTIAL_DATE.fullmatch(value)
    if match:
        year, month, day = (int(part) if part else 1 for part in match.groups())
        try:
            date(year, month, day)
        except ValueError as exc:
            raise ValueError(f"'{value}' is not a real date ({exc})") from exc
        return value
    return _utc_datetime(value)


@lru_cache(maxsize=8192)
def _utc_datetime(value: str) -> str:
    """Check an ISO 8601 date-time with a time zone; return it in UTC as ``...Z``."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not an ISO 8601 date ({_DATE_FORMS})") from None
    if "T" not in value.upper() and " " not in value:
        raise ValueError(f"'{value}' is not an ISO 8601 date-time ({_DATE_FORMS})")
    if moment.tzinfo is None:
        raise ValueError(f"'{value}' has no time zone; give UTC as '...Z'")
    try:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, ValueError) as exc:
        raise ValueError(f"'{value}' is out of range ({exc})") from exc


_SPACE = re.compile(r"\s")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def contains_email(text: str) -> bool:
    """Tell whether ``text`` holds an e-mail address, also when percent-encoded."""
    if "@" not in text and "%40" not in text:
        return False  # an address needs an "@", which only "%40" decodes to
    return bool(_EMAIL.search(text) or _EMAIL.search(unquote(text)))


_PLAIN_WEB_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#]\S*)?")


@lru_cache(maxsize=8192)
def _web_url(value: str) -> str:
    """Check an http(s) URL with a host that carries no e-mail address.

    Cached: the same licence and landing-page URLs recur across a harvest (a URL that
    fails raises each time; only accepted ones are kept). A plain URL (lower-case scheme,
    a host of letters, digits, dots and hyphens, no white space) passes every check below
    but the e-mail one by its form alone, so only that one is made.
    """
    if _PLAIN_WEB_URL.fullmatch(value) and not contains_email(value):
        return value
    return _checked_web_url(value)


def _checked_web_url(value: str) -> str:
    """:func:`_web_url`'s checks, one after the other."""
    if value.lower().startswith("mailto:"):
        raise ValueError("an e-mail address (mailto:) is not allowed here; give a web page URL")
    if contains_email(value):
        raise ValueError("contains an e-mail address, which is never published; give a web page")
    if _SPACE.search(value):
        raise ValueError(f"'{value}' is not a URL: it contains white space")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        if "@" in value:
            raise ValueError(f"'{value}' looks like an e-mail address, not a web page URL")
        raise ValueError(f"'{value}' is not an http:// or https:// URL with a host")
    if "@" in parts.netloc:
        raise ValueError(f"'{value}' carries a user name; give the plain web page URL")
    return value


_SOURCE_ID = re.compile(SOURCE_ID_PATTERN)


def _source_id(value: str) -> str:
    """Check a source id: the same rule as source configuration files."""
    if not _SOURCE_ID.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a source id (lower-case letters, digits, '-' and '_', "
            "starting with a letter or digit, at most 64 characters)"
        )
    return value


# --- reusable field types -----------------------------------------------------------------

Text = Annotated[str, Field(min_length=1)]
OptText = Annotated[str | None, BeforeValidator(_blank_to_none)]
TextList = Annotated[list[Text], BeforeValidator(_drop_blanks), AfterValidator(_unique)]

CountryCode = Annotated[
    str,
    AfterValidator(_country),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$"}),
]
LanguageCode = Annotated[
    str,
    AfterValidator(_language),
    WithJsonSchema({"type": "string", "pattern": "^[a-z]{2}$"}),
]
TopicCode = Annotated[
    str,
    AfterValidator(_topic),
    WithJsonSchema({"type": "string", "pattern": r"^\d+(\.\d+)*$"}),
]
IsoDate = Annotated[
    str,
    AfterValidator(_iso_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}Z)?)?)?$",
        }
    ),
]
UtcDateTime = Annotated[
    str,
    AfterValidator(_utc_datetime),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"}),
]
WebUrl = Annotated[
    str,
    AfterValidator(_web_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]
Sdg = Annotated[int, Field(ge=1, le=17)]
SpdxId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")]


OptDate = Annotated[IsoDate | None, BeforeValidator(_blank_to_none)]
OptUrl = Annotated[WebUrl | None, BeforeValidator(_blank_to_none)]


class _Model(BaseModel):
    """Base of every model part: frozen, strict about unknown fields, whitespace trimmed."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_serialization_defaults_required=True,
    )


# --- parts --------------------------------------------------------------------------------


class LangText(_Model):
    """A text with the language it is written in."""

    value: Text = Field(description="The text.")
    lang: Annotated[LanguageCode | None, BeforeValidator(_blank_to_none)] = Field(
        default=None, description="ISO 639-1 code of the text's language, if known."
    )


_RESOLVERS: dict[str, tuple[str, ...]] = {
    "doi": ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/"),
    "handle": ("https://hdl.handle.net/", "http://hdl.handle.net/"),
    "ark": ("https://n2t.net/", "http://n2t.net/"),
    "orcid": ("https://orcid.org/", "http://orcid.org/"),
    "ror": ("https://ror.org/", "http://ror.org/"),
}
_URI_PREFIXES = {"doi": "doi:", "handle": "hdl:"}
_URL_BASES = {
    "doi": "https://doi.org/",
    "handle": "https://hdl.handle.net/",
    "ark": "https://n2t.net/",
    "orcid": "https://orcid.org/",
    "ror": "https://ror.org/",
}
_IDENTIFIER_FORMS: dict[str, tuple[re.Pattern[str], str]] = {
    "doi": (re.compile(r"10\.\d{4,9}/\S+"), "a DOI such as '10.5281/zenodo.123'"),
    "handle": (re.compile(r"[^/\s]+/\S+"), "a Handle such as '11304/abc'"),
    "ark": (re.compile(r"ark:/?[0-9a-z]+/\S+", re.IGNORECASE), "an ARK such as 'ark:/12345/x'"),
    "urn": (re.compile(r"urn:[a-z0-9][a-z0-9-]{0,31}:\S+", re.IGNORECASE), "a URN"),
    "isbn": (
        re.compile(r"(?:\d[- ]?){9}[\dX]|(?:\d[- ]?){12}\d", re.IGNORECASE),
        "an ISBN-10 or ISBN-13",
    ),
    "issn": (re.compile(r"\d{4}-?\d{3}[\dX]", re.IGNORECASE), "an ISSN such as '1234-567X'"),
    "orcid": (re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]"), "an ORCID iD"),
    "ror": (re.compile(r"0[a-z0-9]{6}\d{2}"), "a ROR id such as '03yrm5c26'"),
}


def _strip_resolver(scheme: str, value: str) -> str:
    """Remove a resolver URL or URI prefix ('https://doi.org/', 'doi:') from a bare id."""
    lowered = value.lower()
    prefixes = (*_RESOLVERS.get(scheme, ()), _URI_PREFIXES.get(scheme, "\0"))
    for prefix in prefixes:
        if lowered.startswith(prefix):
            return value[len(prefix) :]
    return value


class Identifier(_Model):
    """An identifier of the described thing, with its scheme (DataCite identifierType)."""

    scheme: IdentifierScheme = Field(
        description="Identifier scheme: doi, handle, ark, urn, url, isbn, issn, orcid, ror or "
        "other."
    )
    value: Text = Field(
        description="The identifier without resolver prefix (DOIs lower-cased, e.g. "
        "'10.5281/zenodo.123'); a full http(s) URL for scheme 'url'."
    )

    @field_validator("value")
    @classmethod
    def _check_value(cls, value: str, info: ValidationInfo) -> str:
        scheme = info.data.get("scheme")
        if scheme is None or scheme == "other":
            return value
        if scheme == "url":
            return _web_url(value)
        bare = _strip_resolver(scheme, value).strip()
        if scheme == "doi":
            bare = bare.lower()
        pattern, expected = _IDENTIFIER_FORMS[scheme]
        if not pattern.fullmatch(bare):
            raise ValueError(f"'{value}' is not {expected}")
        return bare

    @property
    def url(self) -> str | None:
        """A resolvable https URL for the identifier, where its scheme has a resolver."""
        if self.scheme == "url":
            return self.value
        base = _URL_BASES.get(self.scheme)
        return f"{base}{self.value}" if base else None


class Organisation(_Model):
    """An organisation involved with the project or dataset."""

    name: Text = Field(description="The organisation's name as the source gives it.")
    role: OptText = Field(
        default=None,
        description="Its role (PPSR Core associated-party role or DataCite contributorType), "
        "such as 'Partner', 'Sponsor/funder', 'HostingInstitution'.",
    )
    identifier: OptText = Field(
        default=None, description="An identifier of the organisation, preferably a ROR URL."
    )


class Point(_Model):
    """A point in WGS 84 degrees."""

    lat: float = Field(ge=-90, le=90, description="Latitude in decimal degrees (-90..90).")
    lon: float = Field(ge=-180, le=180, description="Longitude in decimal degrees (-180..180).")


class BoundingBox(_Model):
    """A box in WGS 84 degrees; west > east means it crosses the antimeridian."""

    west: float = Field(ge=-180, le=180, description="Western longitude (-180..180).")
    south: float = Field(ge=-90, le=90, description="Southern latitude (-90..90).")
    east: float = Field(ge=-180, le=180, description="Eastern longitude (-180..180).")
    north: float = Field(ge=-90, le=90, description="Northern latitude (-90..90), >= south.")

    @model_validator(mode="after")
    def _south_of_north(self) -> BoundingBox:
        if self.south > self.north:
            raise ValueError(f"south ({self.south}) is north of north ({self.north})")
        return self


class Geo(_Model):
    """Where the project runs or the data was collected."""

    points: Annotated[list[Point], AfterValidator(_unique)] = Field(
        default_factory=list,
        description="Points (PPSR Core pin or centroid; DataCite geoLocationPoint).",
    )
    boxes: Annotated[list[BoundingBox], AfterValidator(_unique)] = Field(
        default_factory=list, description="Bounding boxes (DataCite geoLocationBox, DCAT bbox)."
    )


class Participation(_Model):
    """How volunteers take part (PPSR Core participation attributes)."""

    tasks: TextList = Field(
        default_factory=list,
        description="What participants do (PPSR Core scientificProcessInvolved terms, e.g. "
        "'Observation', 'Classification or tagging').",
    )
    from_home: bool | None = Field(default=None, description="Participation is possible from home.")
    online: bool | None = Field(default=None, description="Participation happens online.")
    audience: TextList = Field(
        default_factory=list,
        description="Who may take part: ages or groups (PPSR Core projectParticipantAge).",
    )
    difficulty: OptText = Field(
        default=None, description="Difficulty for untrained participants (Easy, Medium, Hard)."
    )


class Related(_Model):
    """A related resource (DataCite relatedIdentifier, DCAT qualified relation)."""

    relation: Text = Field(
        description="How it relates, as a DataCite relationType such as 'IsPartOf', 'References'."
    )
    identifier: Text = Field(description="The related resource's identifier or URL.")
    scheme: OptText = Field(
        default=None, description="The identifier's scheme (DataCite relatedIdentifierType)."
    )


class License(_Model):
    """The licence of the record's content; at least one of its fields is set."""

    spdx: Annotated[SpdxId | None, BeforeValidator(_blank_to_none)] = Field(
        default=None, description="SPDX licence id where known, such as 'CC-BY-4.0'."
    )
    text: OptText = Field(default=None, description="The licence as the source states it.")
    url: OptUrl = Field(default=None, description="A URL of the licence text.")

    @model_validator(mode="after")
    def _something_set(self) -> License:
        if self.spdx is None and self.text is None and self.url is None:
            raise ValueError("a licence needs an SPDX id, a text or a URL")
        return self


class Provenance(_Model):
    """Where and when the record was harvested (lenient: it is filled by the harvester)."""

    source_id: Annotated[str, AfterValidator(_source_id)] = Field(
        description="The configured source's id."
    )
    source_name: Text = Field(description="The source's display name.")
    platform: Text = Field(description="The platform behind the source (e.g. 'zenodo').")
    protocol: Text = Field(description="Harvesting protocol, e.g. 'oai-pmh' or 'json-api'.")
    endpoint: Text = Field(description="The endpoint harvested (base URL).")
    metadata_format: Text = Field(description="Metadata format (OAI metadataPrefix or media type).")
    source_identifier: Text = Field(
        description="The source's own identifier of the record (OAI identifier, API id)."
    )
    datestamp: OptText = Field(
        default=None, description="The source's last-modified stamp, as the source sent it."
    )
    harvested_at: UtcDateTime = Field(description="When the record was harvested (UTC).")
    original_url: OptText = Field(
        default=None, description="A link to the record as the source serves it."
    )


class QualityIssue(_Model):
    """A problem found in one field of one record."""

    field: Text = Field(
        description="The model field concerned ('date' for the dates together, '-' for the "
        "whole payload)."
    )
    problem: Problem = Field(description="missing, invalid or transform-failed.")
    detail: Text = Field(description="What is wrong, for the operator.")


class FairIndicator(_Model):
    """One FAIR indicator's outcome for one record."""

    id: Text = Field(description="Stable indicator id, e.g. 'F1-persistent-id'.")
    principle: Principle = Field(description="The FAIR principle it belongs to: F, A, I or R.")
    passed: bool = Field(description="Whether the record meets the indicator.")
    reason: Text = Field(description="Why it passed or failed.")
    weight: int = Field(ge=1, description="Its weight in the score.")


class Quality(_Model):
    """The record's quality report."""

    issues: Annotated[list[QualityIssue], AfterValidator(_unique)] = Field(
        default_factory=list, description="Missing, invalid and untransformable fields."
    )
    indicators: list[FairIndicator] = Field(
        default_factory=list, description="FAIR indicators with their outcomes."
    )
    score: int = Field(
        default=0, ge=0, le=100, description="Weighted share of indicators passed, 0..100."
    )


# --- the record ---------------------------------------------------------------------------


def record_id(source_id: str, source_identifier: str) -> str:
    """Return the stable id of a source's record.

    The id is ``"<source_id>:<first 16 hex digits of SHA-1(source_identifier, UTF-8)>"``.
    The source id cannot contain ':', so ids of different sources never collide; within a
    source, 64 bits of hash make a collision negligible (about 3 in a million for a source
    of 10 million records). The identifier is hashed exactly as given (OAI identifiers are
    case-sensitive). The result is URL-safe and never changes for the same inputs.

    Args:
        source_id: The configured source's id (``[a-z0-9][a-z0-9_-]{0,63}``).
        source_identifier: The source's own identifier of the record.

    Raises:
        ValueError: The source id is malformed or the identifier empty.
    """
    _source_id(source_id)
    if not source_identifier:
        raise ValueError("a record needs its source's identifier to get an id")
    digest = hashlib.sha1(source_identifier.encode("utf-8"), usedforsecurity=False)
    return f"{source_id}:{digest.hexdigest()[:16]}"


class Record(_Model):
    """A project, dataset, publication or other resource from one source, normalised."""

    id: str = Field(
        pattern=RECORD_ID_PATTERN,
        description="Stable id: '<source id>:<16 hex digits of SHA-1 of the source's "
        "identifier>' (see provenance).",
    )
    kind: Kind = Field(description="project, dataset, publication or resource.")
    title: Text = Field(description="Title (PPSR Core projectName; DataCite title).")
    description: OptText = Field(
        default=None,
        description="Plain-text description (PPSR Core projectDescription; DataCite Abstract).",
    )
    alternate_titles: Annotated[list[LangText], AfterValidator(_unique)] = Field(
        default_factory=list, description="Other titles and translations, with their language."
    )
    keywords: TextList = Field(
        default_factory=list, description="Free keywords and tags (PPSR Core keyword, hasTag)."
    )
    topics: Annotated[list[TopicCode], AfterValidator(_unique)] = Field(
        default_factory=list,
        description="Fields of science as controlled codes such as '1.6' (PPSR Core "
        "projectScienceType).",
    )
    sdgs: Annotated[list[Sdg], AfterValidator(_unique)] = Field(
        default_factory=list, description="UN Sustainable Development Goals stated, 1..17."
    )
    status: OptText = Field(
        default=None,
        description="Activity status, a PPSR Core projectStatus term: "
        + ", ".join(f"'{term}'" for term in PPSR_STATUSES)
        + ".",
    )
    start_date: OptDate = Field(
        default=None, description="Start date, ISO 8601 at the precision known."
    )
    end_date: OptDate = Field(
        default=None, description="End date, ISO 8601 at the precision known."
    )
    date_modified: OptDate = Field(
        default=None,
        description="When the source last changed the described thing's metadata (ISO 8601).",
    )
    countries: Annotated[list[CountryCode], AfterValidator(_unique)] = Field(
        default_factory=list, description="Countries concerned, ISO 3166-1 alpha-2 codes."
    )
    regions: TextList = Field(
        default_factory=list,
        description="Regions or places below or above country level (e.g. UN M.49 regions).",
    )
    geo: Geo | None = Field(default=None, description="Points and bounding boxes.")
    languages: Annotated[list[LanguageCode], AfterValidator(_unique)] = Field(
        default_factory=list, description="Languages of the project or data, ISO 639-1 codes."
    )
    participation: Participation | None = Field(
        default=None, description="How volunteers take part (projects)."
    )
    organisations: Annotated[list[Organisation], AfterValidator(_unique)] = Field(
        default_factory=list, description="Organisations involved, with their roles."
    )
    contact_page: OptUrl = Field(
        default=None,
        description="A web page for contacting the project (never an e-mail address).",
    )
    url: OptUrl = Field(default=None, description="Landing page (PPSR Core projectUrl).")
    identifiers: Annotated[list[Identifier], AfterValidator(_unique)] = Field(
        default_factory=list, description="Identifiers of the described thing (DOI, Handle, ...)."
    )
    related: Annotated[list[Related], AfterValidator(_unique)] = Field(
        default_factory=list, description="Related resources."
    )
    license: License | None = Field(default=None, description="Licence of the content.")
    access_rights: Annotated[AccessRights | None, BeforeValidator(_blank_to_none)] = Field(
        default=None,
        description="Access to the content: open, embargoed, restricted, closed or metadata-only.",
    )
    provenance: Provenance = Field(description="Where and when the record was harvested.")
    quality: Quality = Field(
        default_factory=Quality, description="Missing and invalid fields, FAIR indicators, score."
    )
    cluster_id: OptText = Field(
        default=None,
        description="Shared by records describing the same thing on several platforms.",
    )

    @field_validator("geo")
    @classmethod
    def _empty_geo(cls, value: Geo | None) -> Geo | None:
        return value if value is not None and (value.points or value.boxes) else None

    @field_validator("participation")
    @classmethod
    def _empty_participation(cls, value: Participation | None) -> Participation | None:
        if value is None or value == Participation():
            return None
        return value

    @model_validator(mode="after")
    def _id_matches_provenance(self) -> Record:
        expected = record_id(self.provenance.source_id, self.provenance.source_identifier)
        if self.id != expected:
            raise ValueError(
                f"id '{self.id}' does not match the provenance; record_id() gives '{expected}'"
            )
        return self


# --- the published schema -----------------------------------------------------------------


def record_json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a serialised :class:`Record`."""
    generated = Record.model_json_schema(mode="serialization")
    head = {
        "$schema": SCHEMA_DRAFT,
        "$id": SCHEMA_ID,
        "title": "csfinder record",
        "description": "One citizen-science project, dataset, publication or resource, "
        "harvested from one source and normalised to csfinder's common record model "
        "(aligned with PPSR Core and DataCite/DCAT).",
    }
    return {**head, **{key: value for key, value in generated.items() if key not in head}}


def record_json_schema_text() -> str:
    """Return the schema as written to ``mappings/record.schema.json``."""
    return json.dumps(record_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(record_json_schema_text())
