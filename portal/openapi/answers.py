"""The answers of the JSON API and the exports, as typed models: bodies and headers.

A model's docstring is its description in the document. The models describe the mappings
the views send; they are not used to build or check answers at run time (that would cost
every request). The record itself is ``mappings/record.schema.json``
(:mod:`portal.openapi.record`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from harvester.core.model import SOURCE_ID_PATTERN
from harvester.core.sources import Protocol
from harvester.index.query import MAX_PER_PAGE, MAX_WINDOW, Mode, Sort
from harvester.store import FAILED, RUNNING, STALLED, SUCCEEDED
from portal.openapi.parameters import (
    MAX_SUGGESTIONS,
    Absent,
    DimensionName,
    FacetName,
    KindName,
    TwoLetters,
)

if TYPE_CHECKING:
    RunStatus = str
else:
    RunStatus = Literal[RUNNING, SUCCEEDED, FAILED, STALLED]

Count = Annotated[int, Field(ge=0)]
Link = Annotated[str, Field(json_schema_extra={"format": "uri-reference"})]


# -- search -------------------------------------------------------------------------------


class FacetCount(BaseModel):
    """How many results have one value of a facet."""

    value: str
    count: Count
    selected: bool = Field(description="One of the active filters.")


class Hit(BaseModel):
    """One result: a summary of the record, and its title and a snippet as HTML (text
    escaped, matched words in <mark>)."""

    id: str
    title_html: str
    snippet_html: str
    matched: Literal["words", "meaning", "both"] = Field(
        description="Why the record is a hit: its words match the text, its meaning is near "
        "the text's (in any language), or both."
    )
    matched_language: TwoLetters | None = Field(
        description="When matched by meaning: the language of the record's text that was "
        "nearest (ISO 639-1), if known."
    )
    title: str | None = None
    title_lang: str | None = Field(
        None, description="ISO 639-1 code of the title's language, where the source says."
    )
    kind: KindName | None = None
    description: str | None = Field(
        None, description="Plain text, shortened to about 300 characters."
    )
    countries: list[str] = []
    languages: list[str] = []
    start_date: str | None = None
    end_date: str | None = None
    date_modified: str | None = None
    status: str | None = None
    url: str | None = None
    license: str | None = None
    platform: str | None = None
    source_id: str | None = None
    source_name: str | None = None
    score: float | None = None


class Links(BaseModel):
    """This page, the first, and the ones before and after it (null at either end)."""

    self_: Link | None = Field(alias="self")
    first: Link | None
    prev: Link | None
    next: Link | None


class SearchResult(BaseModel):
    """One page of results, the total and every facet's counts."""

    total: Count = Field(description="Records found (all of them, not one page).")
    page: int = Field(ge=1)
    per_page: int = Field(ge=1, le=MAX_PER_PAGE)
    sort: Sort
    mode: Mode = Field(
        description="How the hits were found: lexical when the index has no vectors or no "
        "encoder, whatever was asked."
    )
    hits: list[Hit] = Field(max_length=MAX_PER_PAGE)
    facets: dict[FacetName, list[FacetCount]] = Field(
        description="Counts of each facet's values among the results."
    )
    links: Links


class LabelledCount(BaseModel):
    """One value of a dimension: its code, its name in the reader's language, and how many
    of the selection carry it."""

    value: str
    label: str
    count: Count


class FairShare(BaseModel):
    """One FAIRsFAIR indicator over the selection."""

    indicator: str = Field(description="The metric's id, such as `FsF-F1-02D`.")
    label: str
    principle: Literal["F", "A", "I", "R", ""]
    applicable: Count = Field(description="Records of the selection it applies to.")
    passed: Count = Field(description="Of those, how many passed it.")
    share: float | None = Field(ge=0, le=1, description="passed / applicable; null for none.")


class InsightsLinks(BaseModel):
    """This answer, the insights page and the search page of the same selection."""

    self_: Link = Field(alias="self")
    page: Link
    search: Link


class InsightsResult(BaseModel):
    """A selection counted: by every dimension, by year, and by FAIR indicator. Each
    cluster (one project or dataset listed on several platforms) counts once, a record
    alone in its cluster as itself. With `collapse` true (the default) the selection is the
    search's, one document per cluster, matched as a whole: the total and the facets' counts
    are the search's for the same parameters (where the query does not filter that facet).
    With `collapse=false` the listings are matched one by one, as the search lists them, and
    a cluster still counts once. A record with several values of a dimension counts under
    each."""

    total: Count = Field(
        description="Clusters in the selection (the search's total when collapsed)."
    )
    counted: Literal["clusters"] = Field(description="The unit counted.")
    records: Count = Field(
        description="Index documents the selection holds: one per cluster when collapsed, "
        "the listings with `collapse=false` (the search's total either way)."
    )
    dimensions: dict[DimensionName, list[LabelledCount]] = Field(
        description="Each dimension's values, the most common first (years in order), at "
        "most 500 each; selected values are listed even when no record carries them."
    )
    fair: list[FairShare]
    snapshot: datetime | None = Field(
        description="When the newest successful harvest of the sources in the selection ended."
    )
    sources: list[str] = Field(description="The sources in the selection, by name.")
    links: InsightsLinks


class Suggestion(BaseModel):
    """A title with a word starting as typed."""

    id: str
    title: str


class Suggestions(BaseModel):
    """What was typed, and titles for it, best records first."""

    q: str
    suggestions: list[Suggestion] = Field(max_length=MAX_SUGGESTIONS)


# -- sources and runs ---------------------------------------------------------------------


class RunCounts(BaseModel):
    """What a run did to the records it saw."""

    seen: Count
    added: Count
    updated: Count
    unchanged: Count
    deleted: Count
    failed: Count


class Checkpoint(BaseModel):
    """Where an unfinished run resumes."""

    set_: str | None = Field(None, alias="set")
    resumption_token: str | None = None


class Run(BaseModel):
    """One harvest run of a source."""

    id: int
    source: str
    status: RunStatus
    mode: str = Field(description="full or incremental.")
    started_at: datetime
    ended_at: datetime | None = None
    heartbeat_at: datetime | Absent = None
    from_date: str | None = None
    response_date: str | None = None
    resumed_run_id: int | None = None
    counts: RunCounts
    error: str | None = None
    checkpoint: Checkpoint | Absent = None


class ErrorSample(BaseModel):
    """A record the run could not take, and why."""

    identifier: str | None
    reason: str


class RunWithErrors(Run):
    """One harvest run of a source, with samples of its errors."""

    error_samples: list[ErrorSample]


class Runs(BaseModel):
    """A source's runs, newest first."""

    source: str
    runs: list[RunWithErrors]


class Source(BaseModel):
    """A harvested source: platform, protocol, last run, record counts, quality."""

    id: str = Field(pattern=SOURCE_ID_PATTERN)
    name: str
    platform: str | None = None
    protocol: Protocol | None = None
    url: str | None = None
    enabled: bool | Absent = None
    schedule: str | None = Field(None, description="A cron expression.")
    last_run: Run | None
    records: Count = Field(description="Records stored, deleted ones included.")
    deleted: Count
    mean_score: float | None = Field(None, description="Mean quality score.")


class Sources(BaseModel):
    """Every source."""

    sources: list[Source]


# -- records and this document ------------------------------------------------------------


class RecordJsonLd(BaseModel):
    """schema.org JSON-LD."""

    model_config = ConfigDict(extra="allow")

    context: str = Field(alias="@context")
    type: str = Field(alias="@type")
    id: str = Field(alias="@id")


class RecordHeaders(BaseModel):
    """Headers of a record answer."""

    vary: str = Field(alias="Vary", description="The answer depends on Accept.")


class OpenApiDocument(BaseModel):
    """OpenAPI 3.1."""

    model_config = ConfigDict(extra="allow")

    openapi: str


# -- exports ------------------------------------------------------------------------------


class ExportRecord(BaseModel):
    """One exported record (a CSV row has the same columns)."""

    id: str
    title: str | None
    kind: str | None = None
    platform: str | None = None
    source: str | None = None
    countries: list[str] = []
    languages: list[str] = []
    start_date: str | None = None
    end_date: str | None = None
    date_modified: str | None = None
    status: str | None = None
    license: str | None = None
    url: str | None = None
    record_page: str = Field(json_schema_extra={"format": "uri"})
    cluster_id: str | None = Field(
        None, description="The record's cluster: records of one project on several platforms."
    )


class Export(BaseModel):
    """A search's results as one JSON document."""

    generated_at: datetime | Absent = None
    query: dict[str, list[str]] | Absent = Field(
        None, description="The parameters of the search exported."
    )
    limit: Count = Field(le=MAX_WINDOW)
    total: Count = Field(description="Records the search found.")
    truncated: bool = Field(description="True when the search found more records than the limit.")
    records: list[ExportRecord]


class CsvFile(RootModel[str]):
    """CSV (RFC 4180), UTF-8 with a byte order mark."""


class ExportHeaders(BaseModel):
    """Headers of an export."""

    content_disposition: str = Field(
        alias="Content-Disposition", description="`attachment` with a file name."
    )
    limit: Count = Field(
        alias="X-Export-Limit",
        le=MAX_WINDOW,
        description="The most rows an export sends (the portal's EXPORT_LIMIT setting, "
        f"{MAX_WINDOW:,} at most).",
    )
    total: Count = Field(alias="X-Export-Total", description="How many records the search found.")
    truncated: Literal["true", "false"] = Field(
        alias="X-Export-Truncated",
        description="`true` when the search found more records than the limit, so only "
        "the first X-Export-Limit of them are sent.",
    )


# -- errors -------------------------------------------------------------------------------


class ErrorDetail(BaseModel):
    """What went wrong."""

    model_config = ConfigDict(extra="forbid")

    status: int = Field(ge=400, le=599)
    code: str = Field(
        pattern="^[a-z0-9-]+$",
        description="bad-parameter, not-found, method-not-allowed, internal-error, ...",
    )
    message: str = Field(description="What went wrong, in English.")


class Error(BaseModel):
    """Every error of the API and the exports, whatever its cause."""

    model_config = ConfigDict(extra="forbid")

    error: ErrorDetail
