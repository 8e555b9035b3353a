"""The choropleth map of records per country, as SVG drawn on the server.

Every country shape carries ``data-country`` (its ISO 3166-1 alpha-2 code), ``data-count``
and a ``<title>`` with its name and count; a country with records is a link to the search
filtered by it (a plain ``<a href>``: it works without JavaScript). The links are left out
of the keyboard's tab order: the table beside the map holds the same links, one a row, in
an order a keyboard can walk. The legend names each class's range.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask_babel import gettext, ngettext

from portal.i18n import country_name, number
from portal.insights import svg
from portal.insights.classes import NONE_FILL, NONE_HATCH, Classes
from portal.insights.geometry import MapShapes, View, map_shapes

LEGEND_HEIGHT = 56.0
SWATCH = 18.0
DOT_RADIUS = 4.5
BORDER = "#ffffff"
FRAME = "#8a8a8a"


def records_label(code: str, count: int) -> str:
    """``Germany: 12 records``."""
    amount = ngettext("%(count)s record", "%(count)s records", count, count=number(count))
    return str(gettext("%(country)s: %(amount)s", country=country_name(code), amount=amount))


def map_svg(
    element_id: str,
    view: View,
    counts: Mapping[str, int],
    classes: Classes,
    *,
    title: str,
    desc: str,
    link: Callable[[str], str] | None,
    side: str = "",
) -> svg.Drawing:
    """The map of ``counts`` by country code; ``link(code)`` is where a click goes."""
    shapes: MapShapes = map_shapes(view)
    height = shapes.height + LEGEND_HEIGHT
    root = svg.figure(element_id, shapes.width, height, title, desc, interactive=link is not None)
    root.set("class", "chart map")
    hatch = f"{element_id}-none"
    _hatch_pattern(svg.add(root, "defs"), hatch)
    group = svg.add(root, "g", {"class": "countries", "stroke": BORDER, "stroke-width": "0.5"})
    for shape in shapes.shapes:
        count = counts.get(shape.code, 0)
        fill = classes.colour(count) or f"url(#{hatch})"
        named = records_label(shape.code, count)
        parent = group
        if count and link is not None:
            parent = svg.add(
                group,
                "a",
                {"href": link(shape.code), "tabindex": "-1", "aria-label": named},
            )
        attributes = {
            "d": shape.d,
            "fill": fill,
            "data-country": shape.code,
            "data-count": str(count),
            "class": f"country c{classes.index(count)}",
        }
        svg.add(svg.add(parent, "path", attributes), "title", text=named)
        if shape.dot is not None and count:  # a tiny country with records: a dot to see
            dot = {
                "cx": svg.num(shape.dot[0]),
                "cy": svg.num(shape.dot[1]),
                "r": svg.num(DOT_RADIUS),
                "fill": fill,
                "stroke": FRAME,
                "data-country": shape.code,
                "data-count": str(count),
                "class": "country-dot",
            }
            svg.add(svg.add(parent, "circle", dot), "title", text=named)
    frame = {"x": "0.5", "y": "0.5", "width": svg.num(shapes.width - 1)}
    frame |= {"height": svg.num(shapes.height - 1), "fill": "none", "stroke": FRAME}
    svg.add(root, "rect", frame)
    legend(root, classes, shapes.height + 12, hatch)
    if side:
        svg.text(root, 10, 24, svg.shorten(side, 40), font_size="20", font_weight="600")
    return svg.drawing(root)


def legend(root: svg.Element, classes: Classes, top: float, hatch: str) -> None:
    """Swatches with each class's range, then "no records" (hatched)."""
    group = svg.add(root, "g", {"class": "legend"})
    svg.text(group, 0, top + 12, str(gettext("Records:")), font_weight="600")
    x = 74.0
    entries = [(c.colour, _range(c.low, c.high)) for c in classes.classes] + [
        (f"url(#{hatch})", str(gettext("none")))
    ]
    for fill, label in entries:
        svg.add(
            group,
            "rect",
            {
                "x": svg.num(x),
                "y": svg.num(top),
                "width": svg.num(SWATCH),
                "height": svg.num(SWATCH),
                "fill": fill,
                "stroke": FRAME,
            },
        )
        svg.text(group, x + SWATCH + 5, top + 13, label)
        x += SWATCH + 14 + 7.5 * len(label)


def _range(low: int, high: int) -> str:
    if low == high:
        return str(number(low))
    return f"{number(low)}–{number(high)}"


def _hatch_pattern(defs: svg.Element, pattern_id: str) -> None:
    pattern = svg.add(
        defs,
        "pattern",
        {
            "id": pattern_id,
            "width": "5",
            "height": "5",
            "patternUnits": "userSpaceOnUse",
            "patternTransform": "rotate(45)",
        },
    )
    svg.add(pattern, "rect", {"width": "5", "height": "5", "fill": NONE_FILL})
    svg.add(
        pattern,
        "line",
        {"x1": "0", "y1": "0", "x2": "0", "y2": "5", "stroke": NONE_HATCH, "stroke-width": "1"},
    )
