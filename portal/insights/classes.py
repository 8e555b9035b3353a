"""Choropleth classes: counts grouped into at most five classes with round limits, and the
colours that tell them apart.

The colours are one sequential ramp whose lightness falls steadily from the first class to
the last, so readers with any colour vision (and greyscale prints) can order them; a place
with no records is a neutral grey crossed by a hatch, so it is never read as "few". Two maps
that are compared share the same classes (:func:`classes_for` over both sides' counts).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

RAMP: tuple[str, ...] = ("#c3d9ee", "#8db8df", "#5891c6", "#2b63a1", "#0b366b")
"""Five blues from light to dark (relative luminance strictly falling; see the tests)."""
NONE_FILL = "#f8f8f8"
NONE_HATCH = "#9a9a9a"
MAX_CLASSES = len(RAMP)
NICE_STEPS = (1, 2, 2.5, 5, 10)


@dataclass(frozen=True)
class Class:
    """One class: counts from ``low`` to ``high`` (inclusive), drawn in ``colour``."""

    low: int
    high: int
    colour: str


@dataclass(frozen=True)
class Classes:
    """The classes of a map (or of two compared maps)."""

    classes: tuple[Class, ...]

    def colour(self, count: int) -> str | None:
        """The fill of a count; None for no records (drawn hatched)."""
        if count <= 0:
            return None
        for found in self.classes:
            if count <= found.high:
                return found.colour
        return self.classes[-1].colour if self.classes else None

    def index(self, count: int) -> int:
        """The class number of a count, 1-based; 0 for no records."""
        if count <= 0:
            return 0
        for number, found in enumerate(self.classes, start=1):
            if count <= found.high:
                return number
        return len(self.classes)


def classes_for(counts: Iterable[int]) -> Classes:
    """Classes for these counts: one per value when there are few distinct values, else
    limits at the quantiles of the counts, rounded up to round numbers."""
    values = sorted(c for c in counts if c > 0)
    if not values:
        return Classes(())
    distinct = sorted(set(values))
    if len(distinct) <= MAX_CLASSES:
        highs = distinct
    else:
        quantiles = [
            values[min(len(values) - 1, len(values) * k // MAX_CLASSES)] for k in (1, 2, 3, 4)
        ]
        highs = sorted({round_up(q) for q in quantiles if q < values[-1]} | {values[-1]})
    colours = _spread(len(highs))
    lows = [1, *(h + 1 for h in highs[:-1])]
    return Classes(tuple(Class(lo, hi, c) for lo, hi, c in zip(lows, highs, colours, strict=True)))


def round_up(value: float) -> int:
    """The smallest round number (1, 2, 2.5 or 5 times a power of ten) not below ``value``;
    small counts (up to 2) stay as they are."""
    if value <= 2:
        return max(0, math.ceil(value))
    power: float = 10.0 ** math.floor(math.log10(value))
    for step in NICE_STEPS:
        if step * power >= value:
            return math.ceil(step * power)
    return math.ceil(value)


def _spread(count: int) -> list[str]:
    """``count`` colours of the ramp as far apart as they go."""
    if count <= 1:
        return [RAMP[2]][:count]
    last = len(RAMP) - 1
    return [RAMP[round(n * last / (count - 1))] for n in range(count)]
