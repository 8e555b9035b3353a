"""The maps' projections and shapes: equal areas, the frame of Europe, small states drawn."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import Polygon

from portal.insights.geometry import equal_earth, lambert_europe, map_shapes


def cell_area(project, lon: float, lat: float) -> float:
    """The projected area of a one-degree cell with its south-west corner at lon, lat."""
    corners = np.array([[lon, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon, lat + 1]], float)
    return float(Polygon(project(corners)).area)


@pytest.mark.parametrize("project", [lambert_europe, equal_earth])
def test_projections_keep_areas_true(project) -> None:
    # A 1° cell's area on the sphere is proportional to sin(lat + 1) - sin(lat).
    def sphere(lat: float) -> float:
        return float(np.sin(np.radians(lat + 1)) - np.sin(np.radians(lat)))

    base = cell_area(project, 10, 50) / sphere(50)
    for lon, lat in ((-20, 64), (25, 36), (30, 60), (5, 40)):
        assert cell_area(project, lon, lat) / sphere(lat) == pytest.approx(base, rel=0.01)


def test_europe_is_centred_on_52_north_10_east() -> None:
    centre = lambert_europe(np.array([[10.0, 52.0]]))
    assert np.allclose(centre, 0.0)
    east, north = lambert_europe(np.array([[20.0, 52.0], [10.0, 60.0]]))
    assert east[0] > 0 and north[1] > 0


def test_the_europe_view_holds_every_member_state_and_the_small_states() -> None:
    shapes = {s.code: s for s in map_shapes("europe").shapes}
    members = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
    for code in [*members.split(), "NO", "IS", "CH", "GB", "XK", "LI", "AD", "SM"]:
        assert code in shapes, code
    assert shapes["MT"].dot is not None and shapes["LI"].dot is not None, "tiny states get a dot"
    assert shapes["FR"].dot is None
    assert "US" not in shapes and "AU" not in shapes


def test_the_world_view_splits_shapes_at_the_antimeridian() -> None:
    view = map_shapes("world")
    assert "AQ" not in {s.code for s in view.shapes}
    fiji = next(s for s in view.shapes if s.code == "FJ")
    for ring in fiji.d.split("M")[1:]:
        xs = [float(point.split(",")[0]) for point in ring.rstrip("Z").split("L")]
        assert max(xs) - min(xs) < view.width / 4, "no ring spans the map"
