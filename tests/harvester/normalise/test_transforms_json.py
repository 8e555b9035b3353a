"""The named transforms the JSON crosswalks use: URLs from keys, geometry, placeholders,
objects built with JMESPath multi-select hashes."""

from typing import Any

import pytest

from harvester.normalise.transforms import REGISTRY, Issues, geo_shape


def run(name: str, values: list[Any], argument: Any = None) -> tuple[list[Any], list[str]]:
    issues = Issues()
    return REGISTRY[name].function(values, argument, issues), issues.invalid


def test_prefix_builds_landing_pages_from_keys_and_slugs() -> None:
    out, _ = run("prefix", ["b17b67ee-85bc", " wa-invasives ", "", 8348], "https://x.org/p/")
    assert out == [
        "https://x.org/p/b17b67ee-85bc",
        "https://x.org/p/wa-invasives",
        "https://x.org/p/8348",
    ]
    quoted, _ = run("prefix", ["a b/c"], "https://x.org/p/")
    assert quoted == ["https://x.org/p/a%20b%2Fc"]


def test_drop_unknown_keeps_real_values() -> None:
    out, _ = run("drop-unknown", ["Unknown", " n/a ", "-", "2014", {"value": "unknown"}, 0])
    assert out == ["2014", {"value": "unknown"}, 0]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2011-12-31T23:59:59+00:00", "2011"),
        ("2011-12-31T23:59:59Z", "2011"),
        ("2011-12-31T23:59:59.000+0000", "2011"),
        ("2011-12-31T23:59:58+00:00", "2011-12-31T23:59:58+00:00"),
        ("2011-12-31T23:59:59+02:00", "2011-12-31T23:59:59+02:00"),
        ("Unknown", "Unknown"),
    ],
)
def test_year_placeholder(given: str, expected: str) -> None:
    assert run("year-placeholder", [given]) == ([expected], [])


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2015-01-26T00:00:00.000+00:00", "2015-01-26"),
        ("2020-01-30T00:00:00Z", "2020-01-30"),
        ("2020-01-30T00:00:01Z", "2020-01-30T00:00:01Z"),
        ("2020-01-30T00:00:00+02:00", "2020-01-30T00:00:00+02:00"),
    ],
)
def test_midnight_date(given: str, expected: str) -> None:
    assert run("midnight-date", [given]) == ([expected], [])


def test_range_end() -> None:
    out, invalid = run("range-end", ["2020-10-01/2020-11-30", "1995-12", "2019 – 2021", "later"])
    assert out == ["2020-11-30", "2021"]
    assert invalid == ["date: 'later' not recognised"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "32.2264416406,-110.9617278383",
            ("points", {"lat": 32.2264416406, "lon": -110.9617278383}),
        ),
        ({"lat": "48.7", "lon": -122.3}, ("points", {"lat": 48.7, "lon": -122.3})),
        (
            {"west": -125.5, "south": 48.29, "east": -122.1, "north": 50.29},
            ("boxes", {"west": -125.5, "south": 48.29, "east": -122.1, "north": 50.29}),
        ),
        ({"type": "Point", "coordinates": [1.26, 41.12]}, ("points", {"lat": 41.12, "lon": 1.26})),
        (
            '{"type": "Polygon", "coordinates": '
            "[[[11.9, 54.0], [12.3, 54.0], [12.3, 54.2], [11.9, 54.0]]]}",
            ("boxes", {"west": 11.9, "south": 54.0, "east": 12.3, "north": 54.2}),
        ),
        ({"lat": None, "lon": None}, None),
        ({"type": "Polygon", "coordinates": []}, None),
        ("Tarragona", None),
        ("{not json", None),
        (12.5, None),
    ],
)
def test_geo_shape_reads_the_forms_apis_use(given: Any, expected: Any) -> None:
    assert geo_shape(given) == expected


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("91,10", "out of range"),
        ({"lat": 10, "lon": 181}, "out of range"),
        ({"lat": "north", "lon": 3}, "numeric lat and lon"),
        ({"lat": 10}, "numeric lat and lon"),
        ({"lat": float("nan"), "lon": 0}, "numeric lat and lon"),
        ({"west": 1, "south": 50, "east": 2}, "west, south, east and north"),
        ({"west": 1, "south": 50, "east": 2, "north": 40}, "south is north of north"),
    ],
)
def test_geo_shape_rejects_broken_coordinates(given: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        geo_shape(given)


def test_geo_shapes_gathers_points_and_boxes_and_reports_broken_ones() -> None:
    out, invalid = run(
        "geo-shapes",
        [
            "47.4,-120.5",
            {"west": -2.16, "south": 42.76, "east": -2.09, "north": 42.79},
            {"lat": 95, "lon": 0},
            "not a place",
        ],
    )
    assert out == [
        {
            "points": [{"lat": 47.4, "lon": -120.5}],
            "boxes": [{"west": -2.16, "south": 42.76, "east": -2.09, "north": 42.79}],
        }
    ]
    assert len(invalid) == 1
    assert invalid[0].startswith("geo (coordinates out of range)")
    assert run("geo-shapes", ["nowhere", None]) == ([], [])


def test_related_objects() -> None:
    out, _ = run(
        "related-objects",
        [
            {
                "relation": "isContinuedBy",
                "identifier": "http://www.panacealab.org/covid19/",
                "scheme": "url",
            },
            {"relation": "IsVersionOf", "identifier": "10.5281/zenodo.2598835", "scheme": "DOI"},
            {"relation": "Cites", "identifier": "https://doi.org/10.1371/journal.ppat.1000446"},
            {"identifier": "urn:nbn:de:0183-zma0011024"},
            {"relation": "Cites", "identifier": None},
            "10.1/not-an-object",
        ],
    )
    assert out == [
        {
            "relation": "IsContinuedBy",
            "identifier": "http://www.panacealab.org/covid19/",
            "scheme": "url",
        },
        {"relation": "IsVersionOf", "identifier": "10.5281/zenodo.2598835", "scheme": "doi"},
        {
            "relation": "Cites",
            "identifier": "https://doi.org/10.1371/journal.ppat.1000446",
            "scheme": "doi",
        },
        {"relation": "Related", "identifier": "urn:nbn:de:0183-zma0011024", "scheme": "urn"},
    ]


def test_organisation_objects() -> None:
    out, _ = run(
        "organisation-objects",
        [
            {"name": " GESIS  Data Archive ", "role": "publisher"},
            {
                "name": "EPSRC",
                "role": "Sponsor/funder",
                "identifier": "https://doi.org/10.13039/501100000266",
            },
            {"name": None, "role": "publisher"},
            {"name": {"name": "Nested"}, "role": None},
            "Plain text",
        ],
    )
    assert out == [
        {"name": "GESIS Data Archive", "role": "publisher", "identifier": None},
        {
            "name": "EPSRC",
            "role": "Sponsor/funder",
            "identifier": "https://doi.org/10.13039/501100000266",
        },
        {"name": "Nested", "role": None, "identifier": None},
    ]


def test_participation_from_ppsr_core_attributes() -> None:
    out, invalid = run(
        "participation",
        [
            {
                "tasks": ["Observation", "Photography", ""],
                "tags": ["Participate from home", "Suitable for children"],
                "audience": "Families",
                "difficulty": "easy",
            }
        ],
    )
    assert out == [
        {
            "tasks": ["Observation", "Photography"],
            "audience": ["Families"],
            "from_home": True,
            "for_schools": True,  # "Suitable for children"
            "difficulty": "Easy",
        }
    ]
    assert invalid == []


def test_participation_reports_unknown_difficulty_and_skips_empty_objects() -> None:
    out, invalid = run(
        "participation",
        [{"tasks": None, "tags": None, "audience": None, "difficulty": "Expert only"}, "x", None],
    )
    assert out == []
    assert invalid == ["difficulty: 'Expert only' not recognised"]
    flags, _ = run("participation", [{"online": True, "from_home": False, "tags": ["online"]}])
    assert flags == [{"tasks": [], "audience": [], "from_home": False, "online": True}]


def test_cited_literature_gives_related_resources_by_identifier_or_doi_in_text() -> None:
    out, _ = run(
        "cited",
        [
            {"text": "Kiernan (2023): Mosasaurs. PaleoBios 40 (13), DOI: 10.5070/P94013, URL: x"},
            {"identifier": "https://doi.org/10.1234/given", "text": "cites 10.9999/other"},
            {"text": "A field guide without any identifier (1999)."},
            {"text": "again DOI: 10.5070/P94013."},
        ],
        "References",
    )
    assert out == [
        {"relation": "References", "identifier": "10.5070/p94013", "scheme": "doi"},
        {"relation": "References", "identifier": "10.1234/given", "scheme": "doi"},
    ]
