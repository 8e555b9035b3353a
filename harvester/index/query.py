"""One query model for every backend: text, facet filters, ranges, sort and paging.

Filters come as ``FIELD=VALUE`` pairs (command line, portal URLs, the JSON API). Several
values of one facet are OR, different facets are AND. A value that cannot be right (an
unknown facet, a year that is not a number, a box outside the globe) is a
:class:`QueryError` saying which; free text never is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, get_args

from harvester.core.errors import CsfinderError
from harvester.core.model import Kind
from harvester.enrich.languages import guess_language
from harvester.index.stemming import with_stems
from harvester.index.text import TextQuery, parse_text

Sort = Literal["relevance", "newest", "title"]
SORTS: tuple[str, ...] = get_args(Sort)
Mode = Literal["lexical", "semantic", "hybrid"]
MODES: tuple[str, ...] = get_args(Mode)
DEFAULT_LANGUAGE = "en"  # stems queries whose language is neither given nor told
MAX_PER_PAGE = 100
MAX_WINDOW = 10_000
MAX_VALUES_PER_FACET = 50

# Facets whose values are counted and can be selected; order is the order shown.
FACETS: tuple[str, ...] = (
    "kind",
    "country",
    "language",
    "topic",
    "sdg",
    "status",
    "license",
    "access",
    "platform",
    "source",
    "has_pid",
    "year",
    "participation",
    "policy_relevance",
    "policy_aims",
    "funder",
    "for_schools",
)
BOOLEAN_FACETS: tuple[str, ...] = ("has_pid", "policy_aims", "for_schools")
RANGE_FILTERS: tuple[str, ...] = ("year_from", "year_to", "bbox")
KINDS: frozenset[str] = frozenset(get_args(Kind))
ACCESS: frozenset[str] = frozenset(("open", "embargoed", "restricted", "closed", "metadata-only"))
TWO_LETTERS = re.compile(r"^[A-Za-z]{2}$")
YEAR = re.compile(r"^[0-9]{1,4}$")


class QueryError(CsfinderError):
    """A filter, sort or page that cannot be answered; the message says which and why."""


@dataclass(frozen=True)
class BoundingBox:
    """West, south, east, north in degrees; west > east crosses the antimeridian."""

    west: float
    south: float
    east: float
    north: float


@dataclass(frozen=True)
class SearchQuery:
    """What a person asks for."""

    text: str = ""
    filters: Mapping[str, frozenset[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    bbox: BoundingBox | None = None
    sort: Sort | None = None
    page: int = 1
    per_page: int = 20
    collapse: bool = True  # one hit per cluster (see harvester.index.collapse)
    mode: Mode | None = None
    """Lexical words, semantic meaning, or both fused; None: hybrid where vectors exist."""
    lang: str | None = None
    """The query's language when the asker says it (ISO 639-1)."""
    ui_lang: str | None = None
    """The language of the page the query was typed in: used when the query's own cannot
    be told."""

    def __post_init__(self) -> None:
        if self.page < 1:
            raise QueryError(f"page must be 1 or more, not {self.page}")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError(f"per_page must be between 1 and {MAX_PER_PAGE}")
        if self.page * self.per_page > MAX_WINDOW:
            raise QueryError(
                f"only the first {MAX_WINDOW:,} results can be paged through; "
                "add words or filters to narrow the search"
            )
        if self.sort is not None and self.sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}")
        if self.mode is not None and self.mode not in MODES:
            raise QueryError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        for name, value in (("lang", self.lang), ("ui_lang", self.ui_lang)):
            if value is not None and not TWO_LETTERS.match(value):
                raise QueryError(f"{name} must be a two-letter language code, not {value!r}")
        unknown = sorted(set(self.filters) - set(FACETS))
        if unknown:
            raise QueryError(f"unknown filter {unknown[0]!r}; known: {', '.join(FACETS)}")

    @cached_property
    def parsed(self) -> TextQuery:
        """The free text, parsed, its single words stemmed in the query's languages."""
        return with_stems(parse_text(self.text), self.languages)

    @cached_property
    def languages(self) -> tuple[str, ...]:
        """The languages the query's words are stemmed in: the one asked for; otherwise
        the one told from the text (when sure) and the page's (or English)."""
        if self.lang:
            return (self.lang.lower(),)
        guessed = guess_language(self.text) if self.text.strip() else None
        found = [guessed.lang] if guessed is not None else []
        found.append((self.ui_lang or DEFAULT_LANGUAGE).lower())
        return tuple(dict.fromkeys(found))

    @property
    def effective_sort(self) -> Sort:
        """The sort asked for; relevance with text, newest without."""
        if self.sort is not None:
            return self.sort
        return "relevance" if not self.parsed.empty else "newest"

    @property
    def offset(self) -> int:
        """Index of the first hit of the page."""
        return (self.page - 1) * self.per_page

    def selected(self, facet: str) -> frozenset[str]:
        """The values chosen for one facet (empty: no filter)."""
        return self.filters.get(facet, frozenset())


def build_query(
    text: str = "",
    pairs: Iterable[tuple[str, str]] = (),
    *,
    sort: str | None = None,
    page: int = 1,
    per_page: int = 20,
    collapse: bool = True,
    mode: str | None = None,
    lang: str | None = None,
    ui_lang: str | None = None,
) -> SearchQuery:
    """A query from free text and ``(field, value)`` filter pairs; ``mode``, ``lang`` and
    ``ui_lang`` as :class:`SearchQuery` takes them (empty values ignored).

    Raises:
        QueryError: an unknown field or a value it cannot take.
    """
    filters: dict[str, set[str]] = {}
    ranges: dict[str, object] = {}
    for name, raw in pairs:
        name = name.strip().lower().replace("-", "_")
        value = raw.strip()
        if not value:
            continue
        if name in RANGE_FILTERS:
            ranges[name] = _range_value(name, value)
            continue
        if name not in FACETS:
            raise QueryError(f"unknown filter {name!r}; known: {', '.join(FACETS + RANGE_FILTERS)}")
        filters.setdefault(name, set()).add(facet_value(name, value))
        if len(filters[name]) > MAX_VALUES_PER_FACET:
            raise QueryError(f"at most {MAX_VALUES_PER_FACET} values for filter {name!r}")
    year_from, year_to = ranges.get("year_from"), ranges.get("year_to")
    if isinstance(year_from, int) and isinstance(year_to, int) and year_from > year_to:
        raise QueryError(f"year_from {year_from} is after year_to {year_to}")
    bbox = ranges.get("bbox")
    return SearchQuery(
        text=text[:1000],
        filters={name: frozenset(values) for name, values in filters.items()},
        year_from=year_from if isinstance(year_from, int) else None,
        year_to=year_to if isinstance(year_to, int) else None,
        bbox=bbox if isinstance(bbox, BoundingBox) else None,
        sort=_sort(sort),
        page=page,
        per_page=per_page,
        collapse=collapse,
        mode=_mode(mode),
        lang=(lang or "").strip().lower() or None,
        ui_lang=(ui_lang or "").strip().lower()[:2] or None,
    )


def parse_pairs(items: Iterable[str]) -> list[tuple[str, str]]:
    """``FIELD=VALUE`` strings (as the command line takes them) as pairs.

    Raises:
        QueryError: an item without ``=``.
    """
    pairs = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise QueryError(f"filter {item!r} must be FIELD=VALUE, e.g. country=NL")
        pairs.append((name, value))
    return pairs


def facet_value(facet: str, value: str) -> str:
    """A filter value in the form the index keeps it.

    Raises:
        QueryError: the value cannot be one of this facet's.
    """
    if facet in ("country", "language"):
        if not TWO_LETTERS.match(value):
            raise QueryError(f"{facet} must be a two-letter code, not {value!r}")
        return value.upper() if facet == "country" else value.lower()
    if facet == "kind":
        if value.lower() not in KINDS:
            raise QueryError(f"kind must be one of {', '.join(sorted(KINDS))}, not {value!r}")
        return value.lower()
    if facet == "access" and value.lower() not in ACCESS:
        raise QueryError(f"access must be one of {', '.join(sorted(ACCESS))}, not {value!r}")
    if facet == "sdg" and not (value.isascii() and value.isdigit() and 1 <= int(value) <= 17):
        raise QueryError(f"sdg must be a number from 1 to 17, not {value!r}")
    if facet == "year" and not YEAR.match(value):
        raise QueryError(f"year must be a year such as 2021, not {value!r}")
    if facet in BOOLEAN_FACETS:
        if value.lower() not in ("true", "false"):
            raise QueryError(f"{facet} must be true or false, not {value!r}")
        return value.lower()
    if facet == "sdg":
        return str(int(value))
    return value.lower() if facet == "access" else value


def _range_value(name: str, value: str) -> object:
    if name == "bbox":
        return parse_bbox(value)
    if not YEAR.match(value):
        raise QueryError(f"{name} must be a year such as 2021, not {value!r}")
    return int(value)


def parse_bbox(value: str) -> BoundingBox:
    """``west,south,east,north`` in degrees.

    Raises:
        QueryError: not four numbers, or outside the globe, or south above north.
    """
    parts = value.split(",")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise QueryError(f"bbox must be west,south,east,north in degrees, not {value!r}") from None
    if not all(-180 <= x <= 180 for x in (west, east)) or not all(
        -90 <= y <= 90 for y in (south, north)
    ):
        raise QueryError(f"bbox {value!r} lies outside -180..180, -90..90")
    if south > north:
        raise QueryError(f"bbox {value!r}: south is above north")
    return BoundingBox(west, south, east, north)


def _sort(value: str | None) -> Sort | None:
    if value in (None, ""):
        return None
    for known in get_args(Sort):
        if value == known:
            return known  # type: ignore[no-any-return]
    raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {value!r}")


def _mode(value: str | None) -> Mode | None:
    if value in (None, ""):
        return None
    for known in get_args(Mode):
        if value == known:
            return known  # type: ignore[no-any-return]
    raise QueryError(f"mode must be one of {', '.join(MODES)}, not {value!r}")
