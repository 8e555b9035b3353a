"""Building SVG figures safely: elements made with ElementTree (every text and attribute
escaped, whatever a harvested label holds), an accessible head (``<title>``, ``<desc>``,
labelled by both), and the document served for download.

Figures use presentation attributes (``fill``, ``stroke``, ``font-size``), never ``style``
attributes or elements, so the page's Content-Security-Policy (no inline styles) holds
and a downloaded SVG looks the same as the one on the page.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import NamedTuple

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK = "#1a1a1a"
MUTED = "#4a4a4a"
GRID = "#d0d0d0"

Element = ET.Element


class Drawing(NamedTuple):
    """A figure's markup and its size in SVG units."""

    markup: str
    width: float
    height: float


def figure(
    element_id: str, width: float, height: float, title: str, desc: str, *, interactive: bool
) -> Element:
    """An ``<svg>`` root with its title and description; ``interactive`` figures (with
    links) are a labelled group, the others an image."""
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "id": element_id,
            "class": "chart",
            "viewBox": f"0 0 {num(width)} {num(height)}",
            "width": num(width),
            "height": num(height),
            "role": "group" if interactive else "img",
            "aria-labelledby": f"{element_id}-title {element_id}-desc",
            "font-family": FONT,
            "font-size": "13",
            "fill": INK,
        },
    )
    add(root, "title", {"id": f"{element_id}-title"}, title)
    add(root, "desc", {"id": f"{element_id}-desc"}, desc)
    return root


def add(
    parent: Element, tag: str, attributes: dict[str, str] | None = None, text: str = ""
) -> Element:
    """A child element (with text, escaped when written)."""
    child = ET.SubElement(parent, tag, attributes or {})
    if text:
        child.text = text
    return child


def text(parent: Element, x: float, y: float, content: str, **attributes: str) -> Element:
    """A ``<text>`` at ``x, y`` (attribute names with ``_`` for ``-``)."""
    spelled = {key.replace("_", "-"): value for key, value in attributes.items()}
    return add(parent, "text", {"x": num(x), "y": num(y), **spelled}, content)


def num(value: float) -> str:
    """A coordinate, at most one decimal, no trailing zeros."""
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def path_data(rings: Iterable[Iterable[tuple[float, float]]]) -> str:
    """SVG path data of closed rings."""
    parts = []
    for ring in rings:
        points = [f"{num(x)},{num(y)}" for x, y in ring]
        if len(points) >= 3:
            parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


def shorten(label: str, most: int) -> str:
    """A label cut at a word to at most ``most`` characters, with an ellipsis."""
    if len(label) <= most:
        return label
    cut = label[: most - 1].rsplit(" ", 1)[0] or label[: most - 1]
    return cut.rstrip(" ,;:-") + "…"


def drawing(root: Element) -> Drawing:
    """The figure as markup to put in a page, with its size."""
    width, height = (float(v) for v in root.get("viewBox", "0 0 0 0").split()[2:])
    return Drawing(ET.tostring(root, encoding="unicode", short_empty_elements=True), width, height)


def document(drawings: Sequence[Drawing], gap: float = 24.0) -> str:
    """Figures as one standalone SVG file, one below the other."""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if len(drawings) == 1:
        return head + drawings[0].markup + "\n"
    width = max(d.width for d in drawings)
    height = sum(d.height for d in drawings) + gap * (len(drawings) - 1)
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {num(width)} {num(height)}",
            "width": num(width),
            "height": num(height),
        },
    )
    opening = ET.tostring(root, encoding="unicode").removesuffix(" />")
    parts, top = [], 0.0
    for part in drawings:
        parts.append(f'<g transform="translate(0,{num(top)})">{part.markup}</g>')
        top += part.height + gap
    return head + opening + ">" + "".join(parts) + "</svg>\n"
