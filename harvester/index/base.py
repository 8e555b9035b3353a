"""The one interface every search backend offers, and what a search returns."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from harvester.index.documents import IndexDocument
from harvester.index.query import SearchQuery

MARK_OPEN = "<mark>"
MARK_CLOSE = "</mark>"

Matched = Literal["words", "meaning", "both"]
VectorItem = tuple[str, Sequence[str], npt.NDArray[np.int8]]
"""A record id, the languages of its versions ("" where untold), their vectors as rows of
signed bytes (see :mod:`harvester.enrich.vectors`)."""


@dataclass(frozen=True)
class Hit:
    """One result: the record's id, its summary, and highlighted HTML (escaped, with marks);
    why it came (its words, its meaning or both) and, when by meaning, the language of the
    version of the record that was nearest."""

    id: str
    summary: Mapping[str, Any]
    title_html: str
    snippet_html: str
    matched: Matched = "words"
    matched_language: str | None = None


@dataclass(frozen=True)
class FacetCount:
    """How many results carry a value; ``selected`` when it is one of the active filters."""

    value: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class SearchResult:
    """One page of results, the total, and every facet's counts."""

    total: int
    hits: list[Hit]
    facets: Mapping[str, list[FacetCount]]
    query: SearchQuery
    sort: str
    mode: str = "lexical"
    """How the hits were found: ``lexical``, ``semantic`` or ``hybrid`` (what was asked
    for, unless the index has no vectors or no encoder: then ``lexical``)."""

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (command line, API)."""
        return {
            "total": self.total,
            "page": self.query.page,
            "per_page": self.query.per_page,
            "sort": self.sort,
            "mode": self.mode,
            "hits": [
                {
                    "id": h.id,
                    "title_html": h.title_html,
                    "snippet_html": h.snippet_html,
                    "matched": h.matched,
                    "matched_language": h.matched_language,
                    **h.summary,
                }
                for h in self.hits
            ],
            "facets": {
                name: [{"value": c.value, "count": c.count, "selected": c.selected} for c in counts]
                for name, counts in self.facets.items()
            },
        }


@dataclass(frozen=True)
class FairCount:
    """One FAIRsFAIR indicator over a selection."""

    indicator: str
    applicable: int
    passed: int

    @property
    def share(self) -> float | None:
        """The share passing among those it applies to; None when it applies to none."""
        return self.passed / self.applicable if self.applicable else None


@dataclass(frozen=True)
class Insights:
    """A selection counted: its total, each dimension's values, the FAIR profile. Every
    count counts clusters (a record without a cluster is one); ``records`` is how many
    index documents the selection holds."""

    total: int
    dimensions: Mapping[str, list[FacetCount]]
    fair: list[FairCount]
    query: SearchQuery
    records: int


@dataclass(frozen=True)
class Suggestion:
    """A title that starts with (a word starting with) what was typed."""

    id: str
    title: str


@dataclass
class IndexStats:
    """What a batch of index changes did."""

    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


Progress = Callable[[int], None]


class SearchIndex(Protocol):
    """A search backend: the embedded SQLite FTS5 one or Elasticsearch."""

    name: str

    def upsert(self, documents: Iterable[IndexDocument]) -> IndexStats:
        """Add or replace documents (by id)."""
        ...

    def delete(self, ids: Iterable[str]) -> IndexStats:
        """Remove documents by id; unknown ids are ignored."""
        ...

    def rebuild(
        self,
        documents: Iterable[IndexDocument],
        progress: Progress | None = None,
        vectors: Iterable[VectorItem] = (),
    ) -> int:
        """Replace the whole index with these documents and their ``vectors``; searches
        keep answering meanwhile."""
        ...

    def set_vectors(self, items: Sequence[VectorItem]) -> int:
        """Give documents (by id) their vectors, replacing older ones; unknown ids are
        skipped. Returns how many documents got them."""
        ...

    def semantic_ready(self) -> bool:
        """True when searches can match by meaning (an encoder, and vectors indexed)."""
        ...

    def search(self, query: SearchQuery) -> SearchResult:
        """Answer a query: one page of hits, the total and all facet counts."""
        ...

    def insights(self, query: SearchQuery) -> Insights:
        """Count the query's selection by every dimension, by year and by FAIR indicator
        (see :mod:`harvester.index.insights`); its paging and sort are ignored."""
        ...

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles for what has been typed so far."""
        ...

    def count(self) -> int:
        """How many documents are searchable."""
        ...

    def ping(self) -> bool:
        """True when the backend answers."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
