"""Place transforms: countries named in values and place strings (ISO 3166-1 alpha-2), and
geometry as points and bounding boxes: ``"lat,lon"``, GeoJSON, WKT (GeoSPARQL), schema.org
GeoShapes and DataCite geoLocations, gathered by ``geo-shapes`` into the model's ``geo``."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from harvester.normalise import vocab
from harvester.normalise.transforms.common import as_texts, vocabulary_lookup
from harvester.normalise.transforms.elements import (
    child_elements,
    child_text,
    local_name,
    node_text,
)
from harvester.normalise.transforms.registry import Issues, Values, transform
from harvester.normalise.values import XmlValue, as_text

_PLACE_PARTS = re.compile(r"[,;|/()\[\]\n]+")

_LAT_LON = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*,\s*([-+]?\d+(?:\.\d+)?)\s*$")
_BOX = ("west", "south", "east", "north")

_WKT = re.compile(
    r"^\s*(?:<([^>]*)>\s*)?(POINT|MULTIPOINT|LINESTRING|MULTILINESTRING|POLYGON|MULTIPOLYGON|"
    r"GEOMETRYCOLLECTION|ENVELOPE)\s*(?:ZM|Z|M)?\s*(\(.*\))\s*$",
    re.IGNORECASE | re.DOTALL,
)
_LAT_LON_CRS = re.compile(r"EPSG/0/4326$|EPSG:4326$", re.IGNORECASE)


@transform("country")
def _country(values: Values, _arg: Any, issues: Issues) -> Values:
    """Country names (any EU language), codes and place strings to ISO 3166-1 alpha-2."""
    return vocabulary_lookup(values, issues, "country", vocab.country_codes)


@transform("find-countries")
def _find_countries(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Country codes found in free place strings; places without one are fine."""
    return vocabulary_lookup(values, None, "country", vocab.country_codes)


def _is_code_part(part: str) -> bool:
    """Tell whether a part of a place string is a two-letter country code."""
    return len(part) == 2 and part.isalpha() and vocab.country_codes(part) == [part.upper()]


@transform("find-countries-in-places")
def _find_countries_in_places(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Countries named in place strings. A two-letter code counts only as the whole value:
    in "Frederick, MD" it is a state or province, not a country."""
    out: Values = []
    for text in as_texts(values):
        parts = [part.strip() for part in _PLACE_PARTS.split(text) if part.strip()]
        if len(parts) > 1:
            text = ", ".join(part for part in parts if not _is_code_part(part))
        out.extend(vocab.country_codes(text) or [])
    return out


@transform("non-country-places")
def _non_country_places(values: Values, _arg: Any, _issues: Issues) -> Values:
    """The parts of place lists ("Netherlands (the), Europe") that name no country, such
    as "Europe" or "World": regions, where the countries go to ``countries``."""
    out: Values = []
    for text in as_texts(values):
        for part in (" ".join(p.split()) for p in re.split(r"[,;|\n]+", text)):
            if part and part.casefold() != "unknown" and not vocab.country_codes(part):
                out.append(part)
    return out


_BBOX = re.compile(
    r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*,\s*"
    r"(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$"
)


@transform("pod-spatial")
def _pod_spatial(values: Values, _arg: Any, _issues: Issues) -> Values:
    """DCAT-US ``spatial``: a bounding box "west,south,east,north" as a box, GeoJSON as it
    is (for ``geo-shapes``); a place name gives nothing here."""
    out: Values = []
    for value in values:
        text = as_text(value)
        match = _BBOX.match(text) if text else None
        if match:
            west, south, east, north = (float(n) for n in match.groups())
            out.append({"west": west, "south": south, "east": east, "north": north})
        elif isinstance(value, dict) or text.lstrip().startswith("{"):
            out.append(value)
    return out


@transform("place-names")
def _place_names(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Places as regions: a NUTS region IRI as its code ("DE21"), any other IRI left out
    (country IRIs go to ``countries``), a name that is just a country's left out too, other
    names trimmed ("Région Bretagne (France)" stays)."""
    out: Values = []
    for text in as_texts(values):
        if text.startswith(("http://", "https://")):
            code = vocab.nuts_code(text)
            if code:
                out.append(code)
        elif _PLACE_PARTS.search(text) or vocab.country_code(text) is None:
            out.append(" ".join(text.split()))
    return out


def _number(value: Any) -> float | None:
    """A finite number from a JSON number or numeric text, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _positions(coordinates: Any) -> list[tuple[float, float]]:
    """Every ``[lon, lat]`` position in nested GeoJSON coordinates."""
    if not isinstance(coordinates, list):
        return []
    if len(coordinates) >= 2 and all(not isinstance(c, list) for c in coordinates[:2]):
        lon, lat = _number(coordinates[0]), _number(coordinates[1])
        return [(lon, lat)] if lon is not None and lat is not None else []
    return [found for item in coordinates for found in _positions(item)]


def _geojson_shape(value: dict[str, Any]) -> tuple[str, dict[str, float]] | None:
    """A GeoJSON geometry: a Point as a point, anything else as its bounding box."""
    found = _positions(value.get("coordinates"))
    if not found:
        return None
    if value.get("type") == "Point":
        lon, lat = found[0]
        return "points", {"lat": lat, "lon": lon}
    lons, lats = [lon for lon, _ in found], [lat for _, lat in found]
    return "boxes", {"west": min(lons), "south": min(lats), "east": max(lons), "north": max(lats)}


def geo_shape(value: Any) -> tuple[str, dict[str, float]] | None:
    """Read one point or box: ``"lat,lon"``, ``{lat, lon}``, ``{west, south, east, north}``,
    or a GeoJSON geometry (also as JSON text). None when ``value`` is none of these.

    Raises:
        ValueError: coordinates are given but are not numbers, or out of range.
    """
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{"):
            try:
                value = json.loads(text)
            except ValueError:
                return None
        else:
            match = _LAT_LON.match(text)
            if not match:
                return None
            value = {"lat": match.group(1), "lon": match.group(2)}
    if not isinstance(value, dict):
        return None
    if "coordinates" in value:
        shape = _geojson_shape(value)
    elif any(value.get(key) is not None for key in _BOX):
        numbers = {key: _number(value.get(key)) for key in _BOX}
        if any(number is None for number in numbers.values()):
            raise ValueError("a box needs west, south, east and north")
        shape = "boxes", {key: float(number or 0) for key, number in numbers.items()}
    elif value.get("lat") is not None or value.get("lon") is not None:
        lat, lon = _number(value.get("lat")), _number(value.get("lon"))
        if lat is None or lon is None:
            raise ValueError("a point needs a numeric lat and lon")
        shape = "points", {"lat": lat, "lon": lon}
    else:
        return None
    if shape is None:
        return None
    kind, where = shape
    lats = [where[k] for k in ("lat", "south", "north") if k in where]
    lons = [where[k] for k in ("lon", "west", "east") if k in where]
    if any(abs(lat) > 90 for lat in lats) or any(abs(lon) > 180 for lon in lons):
        raise ValueError("coordinates out of range")
    if kind == "boxes" and where["south"] > where["north"]:
        raise ValueError("south is north of north")
    return kind, where


@transform("geo-shapes")
def _geo_shapes(values: Values, _arg: Any, issues: Issues) -> Values:
    """Points and boxes (``"lat,lon"``, ``{lat, lon}``, ``{west, south, east, north}``,
    GeoJSON) to one ``{points, boxes}`` value; broken coordinates are reported."""
    geo: dict[str, list[dict[str, float]]] = {"points": [], "boxes": []}
    for value in values:
        try:
            shape = geo_shape(value)
        except ValueError as exc:
            issues.reject(f"geo ({exc})", json.dumps(value, ensure_ascii=False, default=str))
            continue
        if shape is not None:
            geo[shape[0]].append(shape[1])
    return [geo] if geo["points"] or geo["boxes"] else []


def _numbers(text: str) -> list[float] | None:
    """The numbers in a whitespace- or comma-separated list, or None if one is not a number."""
    found = [_number(part) for part in re.split(r"[\s,]+", text.strip()) if part]
    return [n for n in found if n is not None] if all(n is not None for n in found) else None


def _lat_lon_box(pairs: list[tuple[float, float]]) -> dict[str, float]:
    """The bounding box of ``(lat, lon)`` pairs."""
    lats, lons = [lat for lat, _ in pairs], [lon for _, lon in pairs]
    return {"west": min(lons), "south": min(lats), "east": max(lons), "north": max(lats)}


def _schema_shape(kind: str, text: str) -> dict[str, float] | None:
    """One GeoShape property: ``box`` is "south west north east", ``polygon`` and ``line``
    are "lat lon" pairs (their bounding box), ``circle`` "lat lon radius" (its centre)."""
    numbers = _numbers(text)
    if not numbers:
        return None
    if kind == "box":
        if len(numbers) != 4:
            return None
        south, west, north, east = numbers
        return {"west": west, "south": south, "east": east, "north": north}
    if kind == "circle":
        return {"lat": numbers[0], "lon": numbers[1]} if len(numbers) == 3 else None
    if len(numbers) < 2 or len(numbers) % 2:
        return None
    return _lat_lon_box(list(zip(numbers[::2], numbers[1::2], strict=True)))


def _schema_geo_nodes(node: Any, issues: Issues, out: Values, depth: int = 0) -> None:
    """Append the points and boxes in a schema.org node (and the places it holds) to ``out``."""
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node:
            _schema_geo_nodes(item, issues, out, depth + 1)
        return
    if not isinstance(node, dict):
        return
    if node.get("latitude") is not None or node.get("longitude") is not None:
        out.append({"lat": node.get("latitude"), "lon": node.get("longitude")})
    for kind in ("box", "polygon", "line", "circle"):
        for text in as_texts(node[kind] if isinstance(node.get(kind), list) else [node.get(kind)]):
            shape = _schema_shape(kind, text)
            if shape is None:
                issues.reject(f"geo ({kind})", text)
            else:
                out.append(shape)
    for key in ("geo", "containsPlace"):
        _schema_geo_nodes(node.get(key), issues, out, depth + 1)


@transform("schema-geo")
def _schema_geo(values: Values, _arg: Any, issues: Issues) -> Values:
    """schema.org Places, GeoCoordinates and GeoShapes (box "south west north east",
    polygon, line, circle) as ``{lat, lon}`` and ``{west, south, east, north}``, for
    ``geo-shapes``."""
    out: Values = []
    _schema_geo_nodes(values, issues, out)
    return out


def _wkt_shape(match: re.Match[str]) -> dict[str, float] | None:
    """A matched WKT geometry as a point or its bounding box; None if its numbers are not."""
    crs, kind, body = match.group(1) or "", match.group(2).upper(), match.group(3)
    if kind == "ENVELOPE":  # ENVELOPE(minX, maxX, maxY, minY), as CQL and GeoSPARQL use it
        numbers = _numbers(body.strip("()"))
        if not numbers or len(numbers) != 4:
            return None
        west, east, north, south = numbers
        return {"west": west, "south": south, "east": east, "north": north}
    pairs: list[tuple[float, float]] = []
    for chunk in re.findall(r"[^(),]+", body):
        if not chunk.strip() or chunk.strip().upper() == "EMPTY":
            continue
        numbers = _numbers(chunk)
        if not numbers or len(numbers) < 2:
            return None
        x, y = numbers[0], numbers[1]
        pairs.append((x, y) if _LAT_LON_CRS.search(crs.strip()) else (y, x))
    if not pairs:
        return None
    if kind == "POINT":
        return {"lat": pairs[0][0], "lon": pairs[0][1]}
    return _lat_lon_box(pairs)


@transform("wkt")
def _wkt(values: Values, _arg: Any, issues: Issues) -> Values:
    """WKT geometries (GeoSPARQL literals, with or without a CRS IRI in front) as a point
    or their bounding box, for ``geo-shapes``; other values (GeoJSON) pass unchanged."""
    out: Values = []
    for value in values:
        text = as_text(value).strip()
        match = _WKT.match(text)
        if match is None:
            out.append(text or value)
            continue
        shape = _wkt_shape(match)
        if shape is None:
            issues.reject("geometry (WKT)", text)
        else:
            out.append(shape)
    return out


def _coordinates(text: str, count: int) -> list[str] | None:
    """The ``count`` coordinates of a kernel-3 text, or None if there are not so many."""
    parts = text.replace(",", " ").split()
    return parts if len(parts) == count else None


@transform("datacite-geo")
def _datacite_geo(values: Values, _arg: Any, issues: Issues) -> Values:
    """DataCite geoLocationPoint, geoLocationBox and geoLocationPolygon elements (kernel 4
    child elements; kernel 3 "lat lon" and "south west north east" text) as ``{lat, lon}``,
    ``{west, south, east, north}`` and GeoJSON polygons, for ``geo-shapes``."""
    out: Values = []
    for value in values:
        node = value.node if isinstance(value, XmlValue) else None
        if node is None:
            continue
        name, text = local_name(node), node_text(node)
        if name == "geoLocationPoint":
            lat, lon = child_text(node, "pointLatitude"), child_text(node, "pointLongitude")
            if lat is None and lon is None:
                pair = _coordinates(text, 2)
                if pair is None:
                    issues.reject("geoLocationPoint (kernel 3: 'lat lon')", text)
                    continue
                lat, lon = pair
            out.append({"lat": lat, "lon": lon})
        elif name == "geoLocationBox":
            box = {
                key: child_text(node, child)
                for key, child in (
                    ("west", "westBoundLongitude"),
                    ("south", "southBoundLatitude"),
                    ("east", "eastBoundLongitude"),
                    ("north", "northBoundLatitude"),
                )
            }
            if all(number is None for number in box.values()):
                four = _coordinates(text, 4)
                if four is None:
                    issues.reject("geoLocationBox (kernel 3: 'south west north east')", text)
                    continue
                box = dict(zip(("south", "west", "north", "east"), four, strict=True))
            out.append(box)
        elif name == "geoLocationPolygon":
            ring = [
                [lon, lat]
                for point in child_elements(node, "polygonPoint")
                if (lon := child_text(point, "pointLongitude")) is not None
                and (lat := child_text(point, "pointLatitude")) is not None
            ]
            if ring:
                out.append({"type": "Polygon", "coordinates": [ring]})
    return out
