"""The TopoJSON reader behind the vendored Natural Earth boundaries."""

from __future__ import annotations

import pytest

from harvester.core.boundaries import BoundaryDataError, countries, read_topojson


def test_a_quantised_topology_is_delta_decoded_into_rings() -> None:
    # a square of two arcs, quantised with scale 1 and a translate, one arc used reversed
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [10, 40]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[0, 0], [0, 2], [2, 0]]],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {
                        "type": "Polygon",
                        "id": "528",
                        "properties": {"name": "Netherlands"},
                        "arcs": [[0, ~1]],
                    },
                    {"type": "Polygon", "properties": {"name": "Kosovo"}, "arcs": [[0, ~1]]},
                    {"type": "Polygon", "properties": {"name": "Nowhere"}, "arcs": [[0]]},
                ],
            }
        },
    }
    found = read_topojson(topology)
    assert sorted(found) == ["NL", "XK"]  # an unnumbered feature only where it is known
    [[ring]] = found["NL"].polygons
    assert ring == [(10, 40), (12, 40), (12, 42), (10, 42), (10, 40)]


def test_a_file_that_is_no_topology_says_so() -> None:
    with pytest.raises(BoundaryDataError, match="'countries'"):
        read_topojson({"type": "FeatureCollection"})


def test_the_vendored_boundaries_cover_europe_with_its_quirks() -> None:
    detailed, coarse = countries("50m"), countries("110m")
    assert len(detailed) > 230 and len(coarse) > 170
    for code in ("FR", "NO", "XK", "CY", "NL", "DE", "IS", "MT"):
        assert code in detailed
    assert "N. Cyprus" in detailed["CY"].name  # joined to Cyprus, as ISO 3166 has it
    assert {"FR", "NO", "XK"} <= set(coarse)
