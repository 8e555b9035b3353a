"""Country shapes for the maps, projected and simplified once per process.

From the vendored Natural Earth boundaries (:mod:`harvester.core.boundaries`):

* **Europe**: the 1:50m boundaries (they hold the small states: Malta, Andorra,
  Liechtenstein, ...) in a Lambert azimuthal equal-area projection centred at 52° N 10° E,
  as Eurostat's maps of Europe (EPSG:3035) are, on a sphere, framed from Iceland to Cyprus;
  overseas territories fall outside the frame (their records are in the table);
* **world**: the 1:110m boundaries in the Equal Earth projection (Šavrič, Patterson and
  Jenny, 2018), Antarctica left out.

Both projections keep areas true, so a large country does not look more important than it
is. Shapes are simplified to about half a pixel of the drawn map; a country too small to
see or to click gets a dot as well.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from harvester.core.boundaries import Polygon as Polygon_
from harvester.core.boundaries import Resolution, countries
from portal.insights.svg import path_data

View = Literal["europe", "world"]
VIEWS: tuple[View, ...] = ("europe", "world")
Coordinates = npt.NDArray[np.float64]

EARTH_RADIUS = 6_371_007.0  # metres, the authalic radius
WIDTH = 800.0
SMALLEST = 7.0  # pixels: a shape whose box is smaller gets a dot
EQUAL_EARTH = (1.340264, -0.081106, 0.000893, 0.003796)


@dataclass(frozen=True)
class Frame:
    """A map's projection and what of the world it shows."""

    resolution: Resolution
    project: Callable[[Coordinates], Coordinates]
    lonlat_box: tuple[float, float, float, float]  # cut before projecting
    box: tuple[float, float, float, float] | None  # projected frame; None: every shape
    left_out: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Shape:
    """One country as drawn: its code, path data, and a dot when it is tiny."""

    code: str
    d: str
    dot: tuple[float, float] | None


@dataclass(frozen=True)
class MapShapes:
    """The shapes of one view and the size of its drawing."""

    width: float
    height: float
    shapes: tuple[Shape, ...]


def lambert_europe(points: Coordinates) -> Coordinates:
    """Lambert azimuthal equal-area (spherical), centred at 52° N 10° E; metres."""
    lam = np.radians(points[:, 0] - 10.0)
    phi = np.radians(points[:, 1])
    phi1 = math.radians(52.0)
    k = np.sqrt(
        2.0 / (1.0 + math.sin(phi1) * np.sin(phi) + math.cos(phi1) * np.cos(phi) * np.cos(lam))
    )
    x = EARTH_RADIUS * k * np.cos(phi) * np.sin(lam)
    y = (
        EARTH_RADIUS
        * k
        * (math.cos(phi1) * np.sin(phi) - math.sin(phi1) * np.cos(phi) * np.cos(lam))
    )
    return np.column_stack([x, y])


def equal_earth(points: Coordinates) -> Coordinates:
    """The Equal Earth projection on the unit sphere."""
    a1, a2, a3, a4 = EQUAL_EARTH
    lam = np.radians(points[:, 0])
    theta = np.arcsin(math.sqrt(3) / 2 * np.sin(np.radians(points[:, 1])))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    y = theta * (a1 + a2 * t2 + t6 * (a3 + a4 * t2))
    x = (
        2
        * math.sqrt(3)
        * lam
        * np.cos(theta)
        / (3 * (a1 + 3 * a2 * t2 + t6 * (7 * a3 + 9 * a4 * t2)))
    )
    return np.column_stack([x, y])


FRAMES: dict[View, Frame] = {
    "europe": Frame(
        "50m",
        lambert_europe,
        (-45.0, 25.0, 80.0, 85.0),
        (-1_800_000, -1_850_000, 3_200_000, 2_300_000),
    ),
    "world": Frame("110m", equal_earth, (-180.0, -90.0, 180.0, 90.0), None, frozenset({"AQ"})),
}


@cache
def map_shapes(view: View) -> MapShapes:
    """Every country of a view, projected, framed and simplified (computed once)."""
    frame = FRAMES[view]
    projected: dict[str, BaseGeometry] = {}
    for code, country in countries(frame.resolution).items():
        if code in frame.left_out:
            continue
        geometry = shapely.clip_by_rect(_lonlat(country.polygons), *frame.lonlat_box)
        if geometry.is_empty:
            continue
        geometry = shapely.transform(geometry, frame.project)
        if frame.box is not None:
            geometry = shapely.clip_by_rect(geometry, *frame.box)
        if not geometry.is_empty and geometry.area > 0:
            projected[code] = geometry
    west, south, east, north = frame.box or _bounds(projected.values())
    scale = WIDTH / (east - west)
    height = (north - south) * scale

    def to_page(points: Coordinates) -> Coordinates:
        return np.column_stack([(points[:, 0] - west) * scale, (north - points[:, 1]) * scale])

    shapes = []
    for code, geometry in sorted(projected.items()):
        drawn = shapely.transform(geometry, to_page)
        simple = drawn.simplify(0.4, preserve_topology=True)
        d = path_data(_rings(simple if not simple.is_empty else drawn))
        if not d:
            continue
        x0, y0, x1, y1 = drawn.bounds
        dot = None
        if max(x1 - x0, y1 - y0) < SMALLEST:
            point = drawn.representative_point()
            dot = (point.x, point.y)
        shapes.append(Shape(code, d, dot))
    return MapShapes(WIDTH, height, tuple(shapes))


def _lonlat(polygons: tuple[Polygon_, ...]) -> BaseGeometry:
    """A country's polygons in degrees; a ring that crosses the antimeridian (its longitude
    jumps by more than 180°) is cut there, each side kept on its own side of the map."""
    unwrapped = []
    for rings in polygons:
        if not rings:
            continue
        crosses = any(abs(a[0] - b[0]) > 180 for ring in rings for a, b in itertools.pairwise(ring))
        if crosses:
            rings = [[(x + 360 if x < 0 else x, y) for x, y in ring] for ring in rings]
        unwrapped.append(Polygon(rings[0], rings[1:]))
    geometry = shapely.make_valid(MultiPolygon(unwrapped))
    east = shapely.clip_by_rect(geometry, 180.0, -90.0, 540.0, 90.0)
    if east.is_empty:
        return geometry
    west = shapely.clip_by_rect(geometry, -180.0, -90.0, 180.0, 90.0)
    return shapely.union(west, shapely.transform(east, lambda p: p - np.array([360.0, 0.0])))


def _bounds(geometries: object) -> tuple[float, float, float, float]:
    collected = shapely.GeometryCollection(list(geometries))  # type: ignore[call-overload]
    west, south, east, north = collected.bounds
    return (float(west), float(south), float(east), float(north))


def _rings(geometry: BaseGeometry) -> list[list[tuple[float, float]]]:
    """The rings of every polygon in a geometry (lines and points dropped)."""
    polygons: list[Polygon] = []
    if isinstance(geometry, Polygon):
        polygons = [geometry]
    elif hasattr(geometry, "geoms"):
        for part in geometry.geoms:
            polygons += [p for p in getattr(part, "geoms", [part]) if isinstance(p, Polygon)]
    rings: list[list[tuple[float, float]]] = []
    for polygon in polygons:
        rings.append([(float(x), float(y)) for x, y in polygon.exterior.coords])
        rings += [[(float(x), float(y)) for x, y in hole.coords] for hole in polygon.interiors]
    return rings
