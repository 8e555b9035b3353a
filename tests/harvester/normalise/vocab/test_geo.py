"""Countries of points and boxes, offline, against the vendored Natural Earth boundaries."""

from __future__ import annotations

import pytest

from harvester.normalise.vocab import countries_at, countries_in_box, countries_of_places
from harvester.normalise.vocab.geo import MAX_BOX_COUNTRIES


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (59.309647, 17.881920, ["SE"]),  # EU-Citizen.Science's pin of the Ladybird Experiment
        (-43.31617, 147.02354, ["AU"]),  # CitSci.org's Dover Waterwatch, Tasmania
        (48.8566, 2.3522, ["FR"]),  # France, whose Natural Earth code was -99 in some editions
        (60.0, 10.0, ["NO"]),
        (42.6, 20.9, ["XK"]),  # Kosovo
        (35.25, 33.5, ["CY"]),  # north of the Green Line: Cyprus, de jure
        (51.44, 4.93, ["NL"]),  # near the Belgian border
        (65.0, -175.0, ["RU"]),  # Chukotka, west of the antimeridian in longitude
        (-17.8, 178.0, ["FJ"]),
        (-85.0, 0.0, ["AQ"]),
    ],
)
def test_a_point_lies_in_the_country_that_holds_it(lat, lon, expected) -> None:
    assert countries_at(lat, lon) == expected


@pytest.mark.parametrize(("lat", "lon"), [(54.0, 3.0), (0.0, 0.0), (36.0, -30.0)])
def test_a_point_at_sea_has_no_country(lat, lon) -> None:
    # the North Sea, the Gulf of Guinea, the Atlantic: never the nearest coast
    assert countries_at(lat, lon) == []


def test_a_box_gives_the_few_countries_it_overlaps_largest_first() -> None:
    assert countries_in_box(5.9, 50.7, 7.2, 51.9)[:2] == ["DE", "NL"]
    assert countries_in_box(-10.0, 35.0, 30.0, 60.0) == []  # Europe: a region, not countries
    crossing = countries_in_box(175.0, -20.0, -175.0, -15.0)  # across the antimeridian
    assert "FJ" in crossing and len(crossing) <= MAX_BOX_COUNTRIES


def test_places_together_in_order_without_repeats() -> None:
    points = [(52.37, 4.89), (52.09, 5.12)]
    assert countries_of_places(points, [(5.9, 50.7, 7.2, 51.9)]) == ["NL", "DE", "BE"]


def test_a_remembered_box_answer_is_each_caller_s_own() -> None:
    first = countries_in_box(5.9, 50.7, 7.2, 51.9)
    first.clear()
    assert countries_in_box(5.9, 50.7, 7.2, 51.9)[:2] == ["DE", "NL"]
    assert countries_in_box(-180.0, -90.0, 180.0, 90.0) == []  # the world: no countries
    assert countries_in_box(-71.0, 41.1, -68.3, 42.8) == ["US"]  # one country, no areas
