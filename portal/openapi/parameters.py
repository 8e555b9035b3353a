"""The parameters of the JSON API and the exports, as typed models.

Names, enums and limits come from the query validation (:mod:`harvester.index.query`) and
the record model, so that the document and the code cannot drift apart. Each field's JSON
Schema is the parameter's schema in the document; a facet is a repeatable parameter
(``country=NL&country=DE``: form style, exploded) and ``bbox`` four numbers joined by commas
(form style, not exploded).

Every request to the API is read into its operation's models before its view runs
(:mod:`portal.openapi.checking`), which check what the document says (and, beyond what JSON
Schema can say, the order of years, the bounding box's south and north, and the paging
window): what they refuse answers 400, naming the parameter. Every model refuses parameters
it does not declare. (The search page itself, for people, still skips the empty fields its
form sends.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict
from pydantic.json_schema import SkipJsonSchema

from harvester.core.model import RECORD_ID_PATTERN
from harvester.index.insights import DIMENSIONS
from harvester.index.query import (
    ACCESS,
    FACETS,
    KINDS,
    MAX_PER_PAGE,
    MAX_VALUES_PER_FACET,
    MAX_WINDOW,
    TWO_LETTERS,
    YEAR,
    Mode,
    Sort,
)

if TYPE_CHECKING:
    KindName = str
    AccessName = str
    FacetName = str
    DimensionName = str
else:  # the values of run-time constants, as Literal types
    KindName = Literal[tuple(sorted(KINDS))]
    AccessName = Literal[tuple(sorted(ACCESS))]
    FacetName = Literal[FACETS]
    DimensionName = Literal[DIMENSIONS]

MAX_SUGGESTIONS = 20
DEFAULT_SUGGESTIONS = 8
MAX_RUNS = 200
DEFAULT_RUNS = 50
MAX_SDG = 17

EXPLODED: JsonDict = {"style": "form", "explode": True}
JOINED: JsonDict = {"style": "form", "explode": False}
FACET_NOTE = (
    "Repeat for several values (OR); different filters combine with AND. An empty value is "
    "refused, as is any value the schema does not take."
)

TwoLetters = Annotated[str, Field(pattern=TWO_LETTERS.pattern)]
Year = Annotated[str, Field(pattern=YEAR.pattern)]


def _digits(value: object) -> object:
    """A number written as the query validation reads it: ASCII digits, no sign."""
    if isinstance(value, str) and not (value.strip().isascii() and value.strip().isdigit()):
        raise ValueError(f"a whole number written in digits, not {value!r}")
    return value


def _year(value: object) -> object:
    """A year written as the query validation reads it: one to four digits."""
    if isinstance(value, str) and not YEAR.match(value.strip()):
        raise ValueError(f"a year such as 2021, not {value!r}")
    return value


Sdg = Annotated[int, Field(ge=1, le=MAX_SDG), BeforeValidator(_digits)]
YearNumber = Annotated[int, Field(ge=0, le=9999), BeforeValidator(_year)]
Whole = Annotated[int, BeforeValidator(_digits)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
BoundingBox = tuple[Longitude, Latitude, Longitude, Latitude]
"""West, south, east, north."""
Absent = SkipJsonSchema[None]
"""A parameter that may be left out (the document shows only the type it takes)."""


def facet(description: str) -> Any:
    """A facet filter: a repeatable parameter, at most MAX_VALUES_PER_FACET values."""
    return Field(
        default_factory=list,
        max_length=MAX_VALUES_PER_FACET,
        description=f"{description} {FACET_NOTE}",
        json_schema_extra=EXPLODED,
    )


class NoParameters(BaseModel):
    """An operation that takes no query parameters: any is refused."""

    model_config = ConfigDict(extra="forbid")


class ExportParameters(BaseModel):
    """The search page's parameters: free text, sort, facets, ranges (paging accepted, and
    ignored, so that a search's URL exports as it is)."""

    model_config = ConfigDict(extra="forbid")

    q: str | Absent = Field(
        None, description='Free text: words, "quoted phrases", prefix* and -excluded words.'
    )
    sort: Sort | Absent = Field(
        None,
        description="Order of the results; relevance with text, newest without, when not given.",
    )
    mode: Mode | Absent = Field(
        None,
        description="How the text finds records: by its words (lexical), by its meaning in any "
        "language (semantic), or both, their orders fused (hybrid). Hybrid when not given, "
        "where vectors exist; lexical otherwise. Each hit says how it matched.",
    )
    lang: TwoLetters | Absent = Field(
        None,
        description="The language of the text (ISO 639-1), for matching the stems of its "
        "words; told from the text, or the page's language, when not given.",
    )
    kind: list[KindName] = facet("What the record describes.")
    country: list[TwoLetters] = facet("Country concerned, ISO 3166-1 alpha-2 (any case).")
    language: list[TwoLetters] = facet("Language of the record, ISO 639-1 (any case).")
    topic: list[str] = facet("Field of science, a code such as `1.6`.")
    sdg: list[Sdg] = facet(f"UN Sustainable Development Goal, 1 to {MAX_SDG}.")
    status: list[str] = facet("Activity status, a PPSR Core term such as `Active`.")
    license: list[str] = facet("Licence: an SPDX id such as `CC-BY-4.0`, or `other`.")
    access: list[AccessName] = facet("Access rights.")
    platform: list[str] = facet("Platform the record was harvested from.")
    source: list[str] = facet("Source id (see /api/v1/sources).")
    has_pid: list[Literal["true", "false"]] = facet(
        "Whether the record has a persistent identifier (DOI, Handle, ...)."
    )
    year: list[Year] = facet("Year of the record's first known date.")
    participation: list[str] = facet(
        "What participants do, a task as the source names it, such as `Observation`."
    )
    policy_relevance: list[str] = facet(
        "A phase of the policy cycle the project bears on, such as `Early-warning`."
    )
    policy_aims: list[Literal["true", "false"]] = facet(
        "Whether the project's results are meant to be used in policy making."
    )
    funder: list[str] = facet("A funder or sponsor, by name as the source gives it.")
    for_schools: list[Literal["true", "false"]] = facet("Whether the project suits schools.")
    year_from: YearNumber | Absent = Field(
        None, description="Only records whose year is this or later (not after year_to)."
    )
    year_to: YearNumber | Absent = Field(
        None, description="Only records whose year is this or earlier."
    )
    bbox: BoundingBox | Absent = Field(
        None,
        description="Only records located in this box: west,south,east,north in degrees "
        "(longitudes -180..180, latitudes -90..90, south not above north; "
        "west > east crosses the antimeridian).",
        json_schema_extra=JOINED,
    )

    page: Whole | Absent = Field(
        None, ge=1, description="Accepted and ignored: an export holds every result."
    )
    per_page: Whole | Absent = Field(
        None, ge=1, le=MAX_PER_PAGE, description="Accepted and ignored: an export is not paged."
    )
    collapse: bool | Absent = Field(
        None, description="Accepted and ignored: an export has one row per record."
    )

    @field_validator("bbox")
    @classmethod
    def _south_not_above_north(cls, box: BoundingBox | None) -> BoundingBox | None:
        if box is not None and box[1] > box[3]:
            raise ValueError(f"bbox {','.join(f'{x:g}' for x in box)}: south is above north")
        return box

    @model_validator(mode="after")
    def _years_in_order(self) -> Self:
        start, end = self.year_from, self.year_to
        if start is not None and end is not None and start > end:
            raise ValueError(f"year_from {start} is after year_to {end}")
        return self


class SearchParameters(ExportParameters):
    """The search page's parameters; any other is refused."""

    page: Whole = Field(
        1, ge=1, description=f"Page number; page × per_page may not exceed {MAX_WINDOW:,}."
    )
    collapse: bool = Field(
        True,
        description="One hit per cluster (the same project listed on several platforms: the "
        "hit is its richest listing, `listings` names the others; totals and facet counts "
        "count clusters) or, with `false`, one hit per listing.",
    )
    per_page: Whole = Field(20, ge=1, le=MAX_PER_PAGE, description="Hits per page.")

    @model_validator(mode="after")
    def _within_the_window(self) -> Self:
        if self.page * self.per_page > MAX_WINDOW:
            raise ValueError(f"only the first {MAX_WINDOW:,} results can be paged through")
        return self


class InsightsParameters(ExportParameters):
    """The search page's parameters but paging (sort changes nothing counted); any other is
    refused."""

    model_config = ConfigDict(extra="forbid")

    collapse: bool = Field(
        True,
        description="Which documents are counted, as the search with the same parameters "
        "finds them: each cluster (the same project listed on several platforms) matched as "
        "a whole or, with `false`, each listing matched on its own. Either way a cluster "
        "counts once; with `true` (the default) the totals are the search's totals.",
    )


class InsightsCsvParameters(InsightsParameters):
    """One dimension, and the search page's parameters but paging."""

    dimension: DimensionName = Field(
        description="The dimension counted: a facet, or `year_started`, `year_active`, "
        "`year_ended`."
    )


class SuggestParameters(BaseModel):
    """What has been typed, and how many titles to suggest."""

    model_config = ConfigDict(extra="forbid")

    q: str | Absent = Field(None, description="What has been typed so far.")
    limit: Whole = Field(
        DEFAULT_SUGGESTIONS, ge=1, le=MAX_SUGGESTIONS, description="How many suggestions at most."
    )


class RunsParameters(BaseModel):
    """How many of a source's runs to list."""

    model_config = ConfigDict(extra="forbid")

    limit: Whole = Field(DEFAULT_RUNS, ge=1, le=MAX_RUNS, description="How many runs at most.")


class RecordPath(BaseModel):
    """The record in the path."""

    record_id: str = Field(
        pattern=RECORD_ID_PATTERN, description="The record's id: `<source id>:<16 hex digits>`."
    )


class SourcePath(BaseModel):
    """The source in the path."""

    source_id: str = Field(description="The source's id.")
