"""Which countries a point or a box lies in, offline: point-in-polygon against the Natural
Earth admin-0 boundaries at 1:50 million (:mod:`harvester.core.boundaries`), with
shapely's STRtree.

A point gives the country whose polygon holds it, or none: a point at sea (outside every
coastline at this scale) or in an area Natural Earth leaves without a country. Nothing is
ever guessed from the nearest land or city. At this scale a point within a few kilometres
of a border or coast may fall on the wrong side; points given to six decimals by a
platform's map pin are usually well inside. A box gives the countries it overlaps, when
they are few (:data:`MAX_BOX_COUNTRIES`); a wider box names a region, not countries, and
gives none. A box whose west edge lies east of its east edge crosses the antimeridian.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache

import shapely
import shapely.affinity
from shapely import STRtree
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from harvester.core.boundaries import Ring, countries

MAX_BOX_COUNTRIES = 5
"""A box overlapping more countries than this gives none (it describes a region)."""


def _unwrap(ring: Ring) -> Ring:
    """A ring whose longitudes run on without jumping across the antimeridian; a ring
    that goes once round a pole (Antarctica) is closed along that pole."""
    out: Ring = [ring[0]]
    for lon, lat in ring[1:]:
        previous = out[-1][0]
        while lon - previous > 180:
            lon -= 360
        while previous - lon > 180:
            lon += 360
        out.append((lon, lat))
    drift = out[-1][0] - out[0][0]
    if abs(drift) > 180:  # round a pole: close the ring along it
        pole = -90.0 if sum(lat for _, lat in out) < 0 else 90.0
        out.extend([(out[-1][0], pole), (out[0][0], pole), out[0]])
    return out


_WORLD = box(-180, -90, 180, 90)


def _shape(polygons: Sequence[Sequence[Ring]]) -> BaseGeometry:
    """One country's polygons as a valid shape within -180..180: a polygon crossing the
    antimeridian is unwrapped, then its parts beyond either edge moved back."""
    parts: list[BaseGeometry] = []
    for rings in polygons:
        if len(rings[0]) < 4:
            continue  # collapsed by quantisation
        lons = [lon for lon, _ in rings[0]]
        if max(lons) - min(lons) <= 180:
            parts.append(Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4]))
            continue
        unwrapped = shapely.make_valid(
            Polygon(_unwrap(rings[0]), [_unwrap(r) for r in rings[1:] if len(r) >= 4])
        )
        for shift in (0.0, 360.0, -360.0):
            moved = shapely.affinity.translate(unwrapped, xoff=shift)
            piece = moved.intersection(_WORLD)
            if not piece.is_empty:
                parts.append(piece)
    shape = shapely.unary_union(parts)
    return shape if shape.is_valid else shapely.make_valid(shape)


@cache
def _index() -> tuple[tuple[str, ...], STRtree, tuple[BaseGeometry, ...]]:
    """The countries' codes, an STRtree of their shapes, and the shapes (built once)."""
    codes: list[str] = []
    shapes: list[BaseGeometry] = []
    for code, country in sorted(countries("50m").items()):
        codes.append(code)
        shapes.append(_shape(country.polygons))
    return tuple(codes), STRtree(shapes), tuple(shapes)


def countries_at(lat: float, lon: float) -> list[str]:
    """The country holding the point (ISO 3166-1 alpha-2), or none at sea or unclaimed.

    Examples:
        >>> countries_at(52.37, 4.89)
        ['NL']
        >>> countries_at(54.0, 3.0)  # the North Sea
        []
    """
    codes, tree, _shapes = _index()
    hits = tree.query(shapely.points(lon, lat), predicate="intersects")
    return sorted({codes[int(i)] for i in hits})


def countries_in_box(west: float, south: float, east: float, north: float) -> list[str]:
    """The countries a box overlaps, by area of overlap (largest first), or none when more
    than :data:`MAX_BOX_COUNTRIES` do.

    The areas of overlap (costly: a wide box against a large country's coastline) are
    measured only when there are several countries to order. Remembered: a source gives
    the same box to many records."""
    return list(_countries_in_box(west, south, east, north))


@lru_cache(maxsize=1024)
def _countries_in_box(west: float, south: float, east: float, north: float) -> tuple[str, ...]:
    codes, tree, shapes = _index()
    boxes = (
        [box(west, south, east, north)]
        if west <= east
        else [
            box(west, south, 180.0, north),
            box(-180.0, south, east, north),
        ]
    )
    hits = [(area, int(i)) for area in boxes for i in tree.query(area, predicate="intersects")]
    overlapping = {codes[i] for _, i in hits}
    if len(overlapping) > MAX_BOX_COUNTRIES:
        return ()
    if len(overlapping) < 2:
        return tuple(overlapping)
    overlap: dict[str, float] = {}
    for area, i in hits:
        overlap[codes[i]] = overlap.get(codes[i], 0.0) + shapes[i].intersection(area).area
    return tuple(code for code, _ in sorted(overlap.items(), key=lambda item: (-item[1], item[0])))


def countries_of_places(
    points: Sequence[tuple[float, float]], boxes: Sequence[tuple[float, float, float, float]]
) -> list[str]:
    """The countries of points ``(lat, lon)`` and boxes ``(west, south, east, north)``, in
    order, without repeats."""
    found: list[str] = []
    for lat, lon in points:
        found.extend(countries_at(lat, lon))
    for west, south, east, north in boxes:
        found.extend(countries_in_box(west, south, east, north))
    return list(dict.fromkeys(found))
