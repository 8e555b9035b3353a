"""The figures of the insights page and their numbers: which figures there are, and each
one's table (columns and rows, labels in the reader's language), for one selection or two
compared. Tables are what the page shows beside each chart and what downloads carry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from flask_babel import gettext

from harvester.index.base import FacetCount, Insights
from harvester.normalise.quality.fair import INDICATORS
from portal.i18n import N_, facet_label, sdg_name
from portal.i18n.labels import indicator_name
from portal.insights.cite import source_names

Kind = Literal["map", "bars", "years", "fair"]
Row = dict[str, Any]


@dataclass(frozen=True)
class Figure:
    """One figure of the page: its id (in URLs), kind, the dimension it counts, its title."""

    id: str
    kind: Kind
    title: str
    dimension: str = ""


FIGURES: tuple[Figure, ...] = (
    Figure("country", "map", N_("Records per country"), "country"),
    Figure("years", "years", N_("Started, active and ended per year")),
    Figure("topic", "bars", N_("Fields of science"), "topic"),
    Figure("sdg", "bars", N_("Sustainable Development Goals"), "sdg"),
    Figure("status", "bars", N_("Status"), "status"),
    Figure("participation", "bars", N_("What participants do"), "participation"),
    Figure("policy_relevance", "bars", N_("Policy relevance"), "policy_relevance"),
    Figure("funder", "bars", N_("Funders"), "funder"),
    Figure("platform", "bars", N_("Platforms"), "platform"),
    Figure("kind", "bars", N_("Kinds of record"), "kind"),
    Figure("fair", "fair", N_("FAIR profile: share passing each indicator")),
)
BY_ID: dict[str, Figure] = {figure.id: figure for figure in FIGURES}
SERIES: tuple[tuple[str, str], ...] = (
    ("started", "year_started"),
    ("active", "year_active"),
    ("ended", "year_ended"),
)
"""The columns of the year table and the dimension each counts."""
SERIES_TITLES: dict[str, str] = {
    "started": N_("Started"),
    "active": N_("Active"),
    "ended": N_("Ended"),
}
COLUMN_TITLES: dict[str, str] = {
    "value": N_("Code"),
    "label": N_("Name"),
    "count": N_("Records"),
    "year": N_("Year"),
    "indicator": N_("Indicator"),
    "principle": N_("Principle"),
    "applicable": N_("Applies to"),
    "passed": N_("Passed"),
    "share": N_("Share passing"),
    **SERIES_TITLES,
}
FAIR_LABELS: dict[str, tuple[str, str]] = {i.id: (i.label, i.principle) for i in INDICATORS}
FAIR_ORDER: dict[str, int] = {i.id: n for n, i in enumerate(INDICATORS)}


def label(dimension: str, value: str) -> str:
    """How a dimension's value is named in figures."""
    if dimension == "sdg":
        return sdg_name(value)
    if dimension == "source":
        return source_names().get(value, value)
    return facet_label(dimension, value)


@dataclass(frozen=True)
class Table:
    """A figure's numbers: column keys (CSV header, JSON keys) and rows."""

    columns: tuple[str, ...]
    rows: list[Row]

    def titles(self) -> list[str]:
        """The columns as the page's table heads them."""
        return [str(column_title(c)) for c in self.columns]


def column_title(column: str) -> str:
    """A column's heading; ``count_a`` → ``Records (A)``."""
    base, _, side = column.rpartition("_")
    if side in ("a", "b") and base in COLUMN_TITLES:
        return f"{gettext(COLUMN_TITLES[base])} ({side.upper()})"
    return str(gettext(COLUMN_TITLES[column])) if column in COLUMN_TITLES else column


def table(figure: Figure, insights: Insights) -> Table:
    """One selection's numbers for a figure."""
    if figure.kind == "years":
        return Table(("year", *(name for name, _ in SERIES)), year_rows([insights]))
    if figure.kind == "fair":
        return Table(
            ("indicator", "label", "principle", "applicable", "passed", "share"),
            fair_rows([insights]),
        )
    return Table(("value", "label", "count"), dimension_rows(figure.dimension, [insights]))


def compared(figure: Figure, sides: Sequence[Insights]) -> Table:
    """Two selections' numbers for a figure, side by side (columns suffixed ``_a``, ``_b``)."""
    if figure.kind == "years":
        columns = [f"{name}_{s}" for s in "ab" for name, _ in SERIES]
        return Table(("year", *columns), year_rows(sides))
    if figure.kind == "fair":
        columns = [f"{name}_{s}" for s in "ab" for name in ("applicable", "passed", "share")]
        return Table(("indicator", "label", "principle", *columns), fair_rows(sides))
    return Table(("value", "label", "count_a", "count_b"), dimension_rows(figure.dimension, sides))


def dimension_rows(dimension: str, sides: Sequence[Insights]) -> list[Row]:
    """Every value counted in any side, most common (over the sides) first."""
    counts = [_by_value(side.dimensions.get(dimension, [])) for side in sides]
    values = list(dict.fromkeys(v for side in counts for v in side))
    if len(sides) > 1:
        values.sort(key=lambda v: (-sum(c.get(v, 0) for c in counts), v))
    rows = []
    for value in values:
        row: Row = {"value": value, "label": label(dimension, value)}
        row |= {f"count{tag}": c.get(value, 0) for tag, c in zip(_tags(sides), counts, strict=True)}
        rows.append(row)
    return rows


def selected(dimension: str, sides: Sequence[Insights]) -> set[str]:
    """The values of a dimension the query filters on (in any side)."""
    return {c.value for side in sides for c in side.dimensions.get(dimension, []) if c.selected}


def year_rows(sides: Sequence[Insights]) -> list[Row]:
    """One row per year from the first to the last year any series counts (gaps as 0)."""
    counts = [
        {name: _by_value(side.dimensions.get(dimension, [])) for name, dimension in SERIES}
        for side in sides
    ]
    years = [int(y) for side in counts for series in side.values() for y in series if y.isdigit()]
    if not years:
        return []
    rows = []
    for year in range(min(years), max(years) + 1):
        row: Row = {"year": year}
        for tag, side in zip(_tags(sides), counts, strict=True):
            row |= {f"{name}{tag}": side[name].get(str(year), 0) for name, _ in SERIES}
        rows.append(row)
    return rows


def fair_rows(sides: Sequence[Insights]) -> list[Row]:
    """One row per indicator that applies to any record of any side, in report order."""
    by_side = [{f.indicator: f for f in side.fair} for side in sides]
    indicators = sorted(
        {i for side in by_side for i in side}, key=lambda i: (FAIR_ORDER.get(i, 99), i)
    )
    rows = []
    for indicator in indicators:
        principle = FAIR_LABELS.get(indicator, (indicator, ""))[1]
        row: Row = {
            "indicator": indicator,
            "label": indicator_name(indicator),
            "principle": principle,
        }
        for tag, side in zip(_tags(sides), by_side, strict=True):
            found = side.get(indicator)
            applicable, passed = (found.applicable, found.passed) if found else (0, 0)
            share = round(passed / applicable, 4) if applicable else None
            row |= {f"applicable{tag}": applicable, f"passed{tag}": passed, f"share{tag}": share}
        rows.append(row)
    return rows


def _tags(sides: Sequence[Insights]) -> tuple[str, ...]:
    """Column suffixes: none for one selection, ``_a`` and ``_b`` for two."""
    return ("",) if len(sides) == 1 else ("_a", "_b")


def _by_value(counts: Sequence[FacetCount]) -> Mapping[str, int]:
    return {c.value: c.count for c in counts if c.count}
