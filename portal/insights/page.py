"""Each figure of an insights page, ready to show: its chart (SVG), its table with a link
per value to the search filtered by it, a description for screen readers, its downloads,
permalink and citation. One selection, or two compared on the same scales."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import g, url_for
from flask_babel import gettext
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from harvester.index.base import Insights
from portal.i18n import number, percent
from portal.insights import charts
from portal.insights.cite import Provenance, absolute, citation
from portal.insights.classes import classes_for
from portal.insights.figures import (
    FIGURES,
    SERIES,
    SERIES_TITLES,
    Figure,
    Row,
    Table,
    compared,
    table,
)
from portal.insights.geometry import View
from portal.insights.maps import map_svg
from portal.insights.selection import SIDES, page_pairs, query_string, search_pairs, side_args
from portal.insights.svg import Drawing

BARS_SHOWN = 15
"""Values drawn in a bar chart at most (the table lists every one)."""
DOWNLOADS = ("csv", "json", "svg")


@dataclass(frozen=True)
class Context:
    """What every figure of one page shares."""

    sides: Sequence[Insights]
    names: Sequence[str]  # the sides' names (one empty name for a single selection)
    args: MultiDict[str, str]
    view: View
    provenance: Provenance
    selections: Sequence[str]  # each side's selection in words
    today: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def comparing(self) -> bool:
        """True with two sides."""
        return len(self.sides) > 1

    @property
    def endpoint(self) -> str:
        """The page these figures are on."""
        return "insights.compare" if self.comparing else "insights.page"


@dataclass(frozen=True)
class FigureView:
    """One figure as the page shows it."""

    figure: Figure
    anchor: str
    title: str
    drawings: list[Drawing]
    table: Table
    links: list[str | None]
    note: str
    downloads: dict[str, str]
    permalink: str
    citation: str

    @property
    def chart(self) -> Markup:
        """The SVG to put in the page (built with every text escaped)."""
        return Markup("".join(d.markup for d in self.drawings))  # noqa: S704


def figure_views(context: Context) -> list[FigureView]:
    """Every figure that has something to show."""
    return [view for figure in FIGURES if (view := figure_view(figure, context)) is not None]


def figure_view(figure: Figure, context: Context) -> FigureView | None:
    """One figure, or None when its selection counts nothing for it."""
    numbers = (
        compared(figure, context.sides) if context.comparing else table(figure, context.sides[0])
    )
    if not numbers.rows:
        return None
    anchor = f"figure-{figure.id}"
    title = figure_title(figure, context)
    pairs = page_pairs(context.args)
    permalink = absolute(url_for(context.endpoint) + query_string(pairs) + f"#{anchor}")
    links = [_search_link(figure, row, context) for row in numbers.rows]
    downloads = {
        ext: url_for("insights.figure", figure_id=figure.id, ext=ext) + query_string(pairs)
        for ext in DOWNLOADS
    }
    return FigureView(
        figure=figure,
        anchor=anchor,
        title=title,
        drawings=chart(figure, numbers, context, anchor, title),
        table=numbers,
        links=links,
        note=_note(figure, numbers),
        downloads=downloads,
        permalink=permalink,
        citation=citation(title, context.selections, context.provenance, permalink, context.today),
    )


def figure_title(figure: Figure, context: Context) -> str:
    """The figure's title; the map names its view, a comparison its sides."""
    title = str(gettext(figure.title))
    if figure.kind == "map":
        where = gettext("Europe") if context.view == "europe" else gettext("world")
        title = str(gettext("%(title)s, %(where)s", title=title, where=where))
    if context.comparing:
        title = str(
            gettext(
                "%(title)s: %(a)s and %(b)s", title=title, a=context.names[0], b=context.names[1]
            )
        )
    return title


def chart(
    figure: Figure, numbers: Table, context: Context, anchor: str, title: str
) -> list[Drawing]:
    """The figure's SVG (two maps or year charts side by side when comparing)."""
    if figure.kind == "map":
        return _maps(numbers, context, anchor, title)
    if figure.kind == "years":
        return _years(numbers, context, anchor, title)
    tags = ("_a", "_b") if context.comparing else ("",)
    key = "share" if figure.kind == "fair" else "count"
    rows = numbers.rows if figure.kind == "fair" else numbers.rows[:BARS_SHOWN]
    bars = [
        charts.Bar(_bar_label(figure, row), tuple(row[f"{key}{t}"] for t in tags)) for row in rows
    ]
    drawn = charts.bars_svg(
        anchor + "-chart",
        bars,
        title=title,
        desc=_bars_desc(figure, numbers, context),
        sides=context.names if context.comparing else (),
        as_share=figure.kind == "fair",
    )
    return [drawn]


def _maps(numbers: Table, context: Context, anchor: str, title: str) -> list[Drawing]:
    tags = ("_a", "_b") if context.comparing else ("",)
    counts = [{row["value"]: int(row[f"count{t}"]) for row in numbers.rows} for t in tags]
    classes = classes_for(c for side in counts for c in side.values())  # one scale for both
    drawn = []
    for k, side in enumerate(counts):
        name = context.names[k]
        side_title = f"{title} — {name}" if context.comparing else title
        args = _side_search_args(context, k)
        drawn.append(
            map_svg(
                f"{anchor}-map{k}",
                context.view,
                side,
                classes,
                title=side_title,
                desc=_map_desc(side, numbers),
                link=lambda code, a=args: search_url(a, "country", code),  # type: ignore[misc]
                side=f"{'AB'[k]}: {name}" if context.comparing else "",
            )
        )
    return drawn


def _years(numbers: Table, context: Context, anchor: str, title: str) -> list[Drawing]:
    tags = ("_a", "_b") if context.comparing else ("",)
    years = [int(row["year"]) for row in numbers.rows]
    top = max(
        (int(row[f"{n}{t}"]) for row in numbers.rows for n, _ in SERIES for t in tags), default=0
    )
    names = {name: str(gettext(SERIES_TITLES[name])) for name, _ in SERIES}
    drawn = []
    for k, tag in enumerate(tags):
        series = {name: [int(row[f"{name}{tag}"]) for row in numbers.rows] for name, _ in SERIES}
        side_title = f"{title} — {context.names[k]}" if context.comparing else title
        drawn.append(
            charts.years_svg(
                f"{anchor}-chart{k}",
                years,
                series,
                title=side_title,
                desc=_years_desc(years, series),
                names=names,
                top=top,
                side=f"{'AB'[k]}: {context.names[k]}" if context.comparing else "",
            )
        )
    return drawn


def _side_search_args(context: Context, side: int) -> list[tuple[str, str]]:
    """The search parameters of one side (what its links narrow further)."""
    if not context.comparing:
        return search_pairs(context.args)
    return list(side_args(context.args, SIDES[side]).items(multi=True))


def _search_link(figure: Figure, row: Row, context: Context) -> str | None:
    """Where a table row's value leads (one selection): the search with the other filters
    kept and this dimension's filter set to the value."""
    if context.comparing or figure.kind not in ("map", "bars"):
        return None
    return search_url(search_pairs(context.args), figure.dimension, str(row["value"]))


def search_url(pairs: Sequence[tuple[str, str]], dimension: str, value: str) -> str:
    """The search page for ``pairs`` with ``dimension`` set to ``value`` alone."""
    kept = [(k, v) for k, v in pairs if k != dimension]
    return _search_path() + query_string([*kept, (dimension, value)])


def _search_path() -> str:
    """The search page's path, built once per request (a page links to it hundreds of times)."""
    found: str | None = g.get("csfinder_search_path")
    if found is None:
        found = g.csfinder_search_path = url_for("search.page")
    return found


def _bar_label(figure: Figure, row: Row) -> str:
    if figure.kind == "fair":
        return f"{str(row['indicator']).removeprefix('FsF-')} {row['label']}"
    return str(row["label"])


def _note(figure: Figure, numbers: Table) -> str:
    if figure.kind == "bars" and len(numbers.rows) > BARS_SHOWN:
        return str(
            gettext(
                "The chart shows the %(shown)s most common of %(all)s; the table lists them all.",
                shown=number(BARS_SHOWN),
                all=number(len(numbers.rows)),
            )
        )
    return ""


def _top(pairs: Sequence[tuple[str, int]], most: int = 3) -> str:
    return ", ".join(f"{name} ({number(n)})" for name, n in pairs[:most])


def _map_desc(counts: dict[str, int], numbers: Table) -> str:
    named = {row["value"]: str(row["label"]) for row in numbers.rows}
    ranked = sorted(((named[c], n) for c, n in counts.items() if n), key=lambda p: -p[1])
    if not ranked:
        return str(gettext("No country has records in this selection."))
    return str(
        gettext(
            "Choropleth map: %(count)s countries have records; the most: %(top)s. Every "
            "country's number is in the table after the map.",
            count=number(len(ranked)),
            top=_top(ranked),
        )
    )


def _bars_desc(figure: Figure, numbers: Table, context: Context) -> str:
    if figure.kind == "fair":
        key = "share_a" if context.comparing else "share"
        shares = [(f"{r['indicator']}", r[key]) for r in numbers.rows if r[key] is not None]
        if not shares:
            return str(gettext("No indicator applies to this selection."))
        best, worst = max(shares, key=lambda p: p[1]), min(shares, key=lambda p: p[1])
        return str(
            gettext(
                "Bar chart of the share of records passing each FAIRsFAIR indicator, among "
                "those it applies to; highest %(best)s (%(best_share)s), lowest %(worst)s "
                "(%(worst_share)s).",
                best=best[0],
                best_share=percent(best[1]),
                worst=worst[0],
                worst_share=percent(worst[1]),
            )
        )
    key = "count_a" if context.comparing else "count"
    ranked = [(str(r["label"]), int(r[key])) for r in numbers.rows]
    ranked.sort(key=lambda p: -p[1])
    return str(
        gettext(
            "Bar chart of %(count)s values; the most common: %(top)s.",
            count=number(len(numbers.rows)),
            top=_top(ranked),
        )
    )


def _years_desc(years: Sequence[int], series: dict[str, list[int]]) -> str:
    peaks = []
    for name, _ in SERIES:
        values = series[name]
        if any(values):
            peak = max(range(len(values)), key=lambda i: values[i])
            peaks.append(
                str(
                    gettext(
                        "%(series)s peaks in %(year)s (%(count)s)",
                        series=gettext(SERIES_TITLES[name]),
                        year=years[peak],
                        count=number(values[peak]),
                    )
                )
            )
    return str(
        gettext(
            "Line chart of records started, active and ended per year, %(first)s to "
            "%(last)s: %(peaks)s.",
            first=years[0],
            last=years[-1],
            peaks="; ".join(peaks),
        )
    )
