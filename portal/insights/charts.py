"""Bar charts and the year chart, as SVG drawn on the server.

Bars are horizontal (long labels stay readable), largest first, each with its number
written beside it; when two selections are compared, each value has a bar per selection on
one scale, told apart by colour, by position (A above B) and by the legend. The year chart
draws started, active and ended as three lines that differ in colour, dash and marker, so
no reader needs to tell colours apart. Every chart's numbers are also the page's table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from portal.i18n import number, percent
from portal.insights import svg
from portal.insights.classes import round_up

WIDTH = 720.0
LABEL_WIDTH = 262.0
LABEL_CHARS = 34
BAR_AREA = 380.0
SIDE_COLOURS = ("#0b366b", "#c25e00")
"""Selection A (dark blue) and B (orange, darker than the Okabe–Ito orange for contrast)."""


@dataclass(frozen=True)
class Bar:
    """One value: its label and a number per selection (a share 0..1 for percentages)."""

    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Line:
    """One series of the year chart and how it is drawn."""

    name: str
    colour: str
    dash: str
    marker: str  # circle, square or triangle


LINES = (
    ("started", "#0072b2", "", "circle"),
    ("active", "#c25e00", "7 4", "square"),
    ("ended", "#007a5a", "2 3", "triangle"),
)
"""Colours from the Okabe–Ito palette (orange and green darkened for contrast on white)."""


def bars_svg(
    element_id: str,
    bars: Sequence[Bar],
    *,
    title: str,
    desc: str,
    sides: Sequence[str] = (),
    as_share: bool = False,
    top: float | None = None,
) -> svg.Drawing:
    """Horizontal bars; ``sides`` names the selections when two are compared; ``as_share``
    writes values (0..1) as percentages; ``top`` is the scale's end (the largest value by
    default, 1 for shares)."""
    per_value = max(1, len(sides))
    bar_height = 16.0 if per_value == 1 else 12.0
    row = bar_height * per_value + 8
    legend_height = 26.0 if per_value > 1 else 0.0
    height = legend_height + row * len(bars) + 8
    root = svg.figure(element_id, WIDTH, max(height, 40), title, desc, interactive=False)
    root.set("class", "chart bars")
    if per_value > 1:
        _side_legend(root, sides)
    end = top if top is not None else (1.0 if as_share else _largest(bars))
    for n, bar in enumerate(bars):
        y = legend_height + n * row + 4
        shown = svg.shorten(bar.label, LABEL_CHARS)
        label = svg.text(root, LABEL_WIDTH - 8, y + row / 2, shown, text_anchor="end")
        label.set("dominant-baseline", "middle")
        if shown != bar.label:
            svg.add(label, "title", text=bar.label)
        for k, value in enumerate(bar.values):
            top_y = y + k * bar_height
            length = BAR_AREA * (value or 0) / end if end else 0
            colour = SIDE_COLOURS[k % 2]
            if length > 0:
                svg.add(
                    root,
                    "rect",
                    {
                        "x": svg.num(LABEL_WIDTH),
                        "y": svg.num(top_y),
                        "width": svg.num(max(length, 1)),
                        "height": svg.num(bar_height - 2),
                        "fill": colour,
                    },
                )
            number_text = _number(value, as_share)
            written = svg.text(
                root, LABEL_WIDTH + length + 5, top_y + bar_height / 2, number_text, fill=svg.INK
            )
            written.set("dominant-baseline", "middle")
    svg.add(
        root,
        "line",
        {
            "x1": svg.num(LABEL_WIDTH),
            "x2": svg.num(LABEL_WIDTH),
            "y1": svg.num(legend_height),
            "y2": svg.num(height - 4),
            "stroke": svg.MUTED,
        },
    )
    return svg.drawing(root)


def years_svg(
    element_id: str,
    years: Sequence[int],
    series: Mapping[str, Sequence[int]],
    *,
    title: str,
    desc: str,
    names: dict[str, str],
    top: int | None = None,
    side: str = "",
) -> svg.Drawing:
    """Lines of counts per year; ``top`` fixes the vertical scale (compared charts share it)."""
    height, left, right, upper, lower = 300.0, 56.0, 16.0, 34.0, 34.0
    root = svg.figure(element_id, WIDTH, height, title, desc, interactive=False)
    root.set("class", "chart years")
    plot_w, plot_h = WIDTH - left - right, height - upper - lower
    largest = max((max(v, default=0) for v in series.values()), default=0)
    highest = max(1, round_up(top if top is not None else largest))
    first, last = (years[0], years[-1]) if years else (0, 1)
    span = max(1, last - first)

    def x_of(year: int) -> float:
        return left + plot_w * (year - first) / span

    def y_of(count: float) -> float:
        return upper + plot_h * (1 - count / highest) if highest else upper + plot_h

    grid = svg.add(root, "g", {"class": "grid", "stroke": svg.GRID})
    for tick in _ticks(highest):
        svg.add(
            grid,
            "line",
            {
                "x1": svg.num(left),
                "x2": svg.num(WIDTH - right),
                "y1": svg.num(y_of(tick)),
                "y2": svg.num(y_of(tick)),
            },
        )
        label = svg.text(root, left - 6, y_of(tick), str(number(tick)), text_anchor="end")
        label.set("dominant-baseline", "middle")
    for year in _year_ticks(first, last):
        svg.add(
            grid,
            "line",
            {
                "x1": svg.num(x_of(year)),
                "x2": svg.num(x_of(year)),
                "y1": svg.num(height - lower),
                "y2": svg.num(height - lower + 5),
            },
        )
        svg.text(root, x_of(year), height - lower + 18, str(year), text_anchor="middle")
    with_markers = len(years) <= 40
    for k, (name, colour, dash, marker) in enumerate(LINES):
        values = series.get(name, [])
        points = " ".join(
            f"{svg.num(x_of(y))},{svg.num(y_of(v))}" for y, v in zip(years, values, strict=False)
        )
        attributes = {"points": points, "fill": "none", "stroke": colour, "stroke-width": "2.5"}
        if dash:
            attributes["stroke-dasharray"] = dash
        if points:
            svg.add(root, "polyline", {**attributes, "class": f"series {name}"})
        if with_markers:
            for year, value in zip(years, values, strict=False):
                _marker(root, marker, x_of(year), y_of(value), colour)
        _line_legend(root, left + k * 150, 16, names.get(name, name), colour, dash, marker)
    if side:
        svg.text(
            root, WIDTH - right, 20, svg.shorten(side, 30), text_anchor="end", font_weight="600"
        )
    return svg.drawing(root)


def _ticks(highest: int) -> list[int]:
    step = max(1, highest // 4) if highest >= 4 else 1
    return list(range(0, highest + 1, step))


def _year_ticks(first: int, last: int) -> list[int]:
    span = last - first
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100) if span / s <= 12)
    start = math.ceil(first / step) * step
    return list(range(start, last + 1, step))


def _marker(root: svg.Element, shape: str, x: float, y: float, colour: str) -> None:
    if shape == "circle":
        svg.add(root, "circle", {"cx": svg.num(x), "cy": svg.num(y), "r": "3.5", "fill": colour})
    elif shape == "square":
        side = 7.0
        svg.add(
            root,
            "rect",
            {
                "x": svg.num(x - side / 2),
                "y": svg.num(y - side / 2),
                "width": svg.num(side),
                "height": svg.num(side),
                "fill": colour,
            },
        )
    else:
        points = f"{svg.num(x)},{svg.num(y - 4.5)} {svg.num(x - 4.5)},{svg.num(y + 3.5)} "
        points += f"{svg.num(x + 4.5)},{svg.num(y + 3.5)}"
        svg.add(root, "polygon", {"points": points, "fill": colour})


def _line_legend(
    root: svg.Element, x: float, y: float, name: str, colour: str, dash: str, marker: str
) -> None:
    attributes = {
        "x1": svg.num(x),
        "x2": svg.num(x + 34),
        "y1": svg.num(y),
        "y2": svg.num(y),
        "stroke": colour,
        "stroke-width": "2.5",
    }
    if dash:
        attributes["stroke-dasharray"] = dash
    svg.add(root, "line", attributes)
    _marker(root, marker, x + 17, y, colour)
    label = svg.text(root, x + 40, y, name)
    label.set("dominant-baseline", "middle")


def _side_legend(root: svg.Element, sides: Sequence[str]) -> None:
    x = LABEL_WIDTH
    for k, name in enumerate(sides):
        svg.add(
            root,
            "rect",
            {"x": svg.num(x), "y": "4", "width": "14", "height": "14", "fill": SIDE_COLOURS[k % 2]},
        )
        shown = svg.shorten(f"{'AB'[k % 2]}: {name}", 40)
        svg.text(root, x + 20, 16, shown)
        x += 30 + 7.2 * len(shown)


def _largest(bars: Sequence[Bar]) -> float:
    return max((v or 0 for bar in bars for v in bar.values), default=0) or 1


def _number(value: float | None, as_share: bool) -> str:
    if value is None:
        return "–"
    return percent(value) if as_share else number(value)
