"""Country boundaries: Natural Earth admin-0 (public domain), as TopoJSON from the npm
package world-atlas 2.0.2, vendored in ``mappings/geo/`` (see the README there).

Two resolutions: ``50m`` (1:50 million, for telling which country a point lies in) and
``110m`` (1:110 million, light enough to draw a map of Europe). Each country is keyed by
its ISO 3166-1 alpha-2 code, read from the feature's ISO 3166-1 numeric id. Natural Earth
gives some features no id; :data:`UNNUMBERED` says what each stands for: Kosovo as XK (the
code European registries use), Northern Cyprus as CY and Somaliland as SO (de jure, as ISO
3166 has them), and none for the Siachen Glacier (disputed) and the Australian Indian Ocean
territories (two ISO codes, CX and CC, in one feature). Several features of one code (such
as Australia and the Ashmore and Cartier Islands) are joined.

Only decoding lives here (a TopoJSON reader: delta-decoded, de-quantised arcs joined into
rings); :mod:`harvester.normalise.vocab.geo` answers which country holds a point.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import pycountry

from harvester.core import paths

Resolution = Literal["50m", "110m"]
Ring = list[tuple[float, float]]
"""A closed ring of (longitude, latitude) positions."""
Polygon = list[Ring]
"""An outer ring, then its holes."""

UNNUMBERED: dict[str, str | None] = {
    "Kosovo": "XK",
    "N. Cyprus": "CY",
    "Somaliland": "SO",
    "Siachen Glacier": None,
    "Indian Ocean Ter.": None,
}
"""Natural Earth features without an ISO 3166-1 numeric id, and the code each stands for."""


class BoundaryDataError(ValueError):
    """The boundary file is not the TopoJSON expected."""


@dataclass(frozen=True)
class Country:
    """One country's boundary: its code, Natural Earth's name(s) for it, its polygons."""

    code: str
    name: str
    polygons: tuple[Polygon, ...]


def boundary_file(resolution: Resolution) -> Path:
    """The vendored TopoJSON file of a resolution."""
    return paths.GEO_DIR / f"countries-{resolution}.json"


@cache
def countries(resolution: Resolution = "50m") -> dict[str, Country]:
    """Every country with a code, by ISO 3166-1 alpha-2 code (read once per process).

    Raises:
        BoundaryDataError: the file is not the expected TopoJSON.
    """
    return read_topojson(json.loads(boundary_file(resolution).read_text(encoding="utf-8")))


def read_topojson(topology: Any, name: str = "countries") -> dict[str, Country]:
    """Decode a TopoJSON topology's ``objects[name]`` polygons into countries by code.

    Raises:
        BoundaryDataError: no such object, or arcs and geometries of an unexpected shape.
    """
    try:
        arcs = _arcs(topology["arcs"], topology.get("transform"))
        geometries = topology["objects"][name]["geometries"]
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise BoundaryDataError(f"not a TopoJSON topology with '{name}': {exc!r}") from None
    found: dict[str, Country] = {}
    for geometry in geometries:
        label = str((geometry.get("properties") or {}).get("name") or "")
        code = _code(geometry.get("id"), label)
        if code is None or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        parts = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        try:
            polygons = tuple([_ring(arcs, ring) for ring in part] for part in parts)
        except (IndexError, TypeError) as exc:
            raise BoundaryDataError(f"feature {label!r}: broken arc reference ({exc})") from None
        if code in found:
            old = found[code]
            found[code] = Country(code, f"{old.name}; {label}", old.polygons + polygons)
        else:
            found[code] = Country(code, label, polygons)
    return found


def _code(numeric: Any, label: str) -> str | None:
    if numeric is None:
        return UNNUMBERED.get(label)
    country = pycountry.countries.get(numeric=str(numeric).zfill(3))
    return str(country.alpha_2) if country is not None else None


def _arcs(raw: Sequence[Any], transform: Any) -> list[list[tuple[float, float]]]:
    """Absolute positions of every arc: delta-decoded and de-quantised when quantised."""
    if transform:
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    out = []
    for arc in raw:
        positions: list[tuple[float, float]] = []
        x = y = 0.0
        for point in arc:
            if transform:
                x, y = x + point[0], y + point[1]
                positions.append((x * sx + tx, y * sy + ty))
            else:
                positions.append((float(point[0]), float(point[1])))
        out.append(positions)
    return out


def _ring(arcs: list[list[tuple[float, float]]], indexes: Sequence[int]) -> Ring:
    """A ring from arc indexes (a negative index ``~i`` is arc ``i`` reversed); each arc
    after the first starts where the one before ended, so its first position is dropped."""
    ring: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring
