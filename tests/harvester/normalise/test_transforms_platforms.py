"""The transforms the platform crosswalks brought: graded SDGs, policy, participation figures
and schools, organisations with their own country, typed web addresses, image files as
landing pages, Markdown, ISBN/ISSN, EU authority IRIs and DCAT-US places."""

from __future__ import annotations

from typing import Any

import pytest

from harvester.normalise.transforms import REGISTRY
from harvester.normalise.transforms.identifiers import identifier_of
from harvester.normalise.transforms.registry import Issues


def apply(name: str, values: list[Any], argument: Any = None) -> tuple[list[Any], list[str]]:
    issues = Issues()
    return REGISTRY[name].function(values, argument, issues), issues.invalid


def test_sdg_columns_graded_0_1_2_become_impacts() -> None:
    row = {"UID": "1", "SDG 3 - Health": "1", "SDG 15 - Land": "2", "SDG 4 - Ed": "0", "SDG 9": "x"}
    found, problems = apply("sdg-impacts", [row])
    assert found == [{"goal": 3, "impact": "indirect"}, {"goal": 15, "impact": "direct"}]
    assert problems == ["SDG 9 grade: 'x' not recognised"]


def test_policy_aims_explanation_and_relevance() -> None:
    found, _ = apply(
        "policy",
        [{"aims": "Yes", "explanation": "Unknown", "relevance": "Early-warning"}],
    )
    assert found == [{"aims": True, "explanation": None, "relevance": ["Early-warning"]}]
    nothing, _ = apply("policy", [{"aims": "", "relevance": "NA: no clear policy link"}])
    assert nothing == []


def test_participation_counts_schools_and_uptake() -> None:
    found, problems = apply(
        "participation",
        [
            {
                "tags": ["Suitable for children"],
                "participants": "120",
                "contributions": 5.0,
                "social_uptake": "Very large",
                "difficulty": "Not Indicated",
            }
        ],
    )
    assert found[0]["for_schools"] is True
    assert (found[0]["participants"], found[0]["contributions"]) == (120, 5)
    assert found[0]["social_uptake"] == "Very large" and "difficulty" not in found[0]
    assert problems == []
    _, bad = apply("participation", [{"participants": -3}])
    assert bad == ["participants: '-3' not recognised"]


def test_organisations_keep_their_own_country_and_type() -> None:
    found, problems = apply(
        "organisation-objects",
        [
            {"name": " Lowland  Trust ", "role": "Leader", "country": "be", "type": "Academic"},
            {"name": "Somewhere", "country": "Atlantis"},
            {"name": "someone@example.org"},
        ],
    )
    assert found[0] == {
        "name": "Lowland Trust",
        "role": "Leader",
        "identifier": None,
        "type": "Academic",
        "country": "BE",
    }
    assert found[1]["country"] is None and len(found) == 2  # an e-mail address is no name
    assert problems == ["organisation country: 'Atlantis' not recognised"]


def test_web_addresses_as_typed_into_forms() -> None:
    found, _ = apply(
        "web-page", ["www.gt20.eu", " https://x.org/a ", "observation.org; www.b.eu", "Unknown"]
    )
    assert found == [
        "http://www.gt20.eu",
        "https://x.org/a",
        "http://observation.org",
        "http://www.b.eu",
        "Unknown",
    ]
    kept, problems = apply("landing-page", ["https://o.org/img/cover.jpg", "https://o.org/r.pdf"])
    assert kept == ["https://o.org/r.pdf"]
    assert problems == [
        "landing page (an image file): 'https://o.org/img/cover.jpg' not recognised"
    ]


def test_markdown_becomes_text_without_raw_html() -> None:
    found, _ = apply("markdown", ["**Spot** [seasons](http://x.org) <script>x()</script>"])
    assert found == ["Spot seasons"]  # the script, escaped by the renderer, is still dropped


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("978-3-16-148410-0", {"scheme": "isbn", "value": "9783161484100"}),
        ("ISBN 0-306-40615-2", {"scheme": "isbn", "value": "0306406152"}),
        ("978-3-16-148410-1", None),  # check digit wrong
        ("ISSN 0317-8471", {"scheme": "issn", "value": "0317-8471"}),
        ("1234-5678", None),
    ],
)
def test_isbn_and_issn_are_recognised_by_their_check_digit(text, expected) -> None:
    assert identifier_of(text) == expected


def test_eu_authority_iris() -> None:
    themes, _ = apply(
        "eu-data-themes",
        [
            "http://publications.europa.eu/resource/authority/data-theme/ENVI",
            "http://publications.europa.eu/resource/authority/data-theme/OP_DATPRO",
            "birds",
        ],
    )
    assert themes == ["1.5", "birds"]
    places, _ = apply(
        "place-names",
        [
            "http://data.europa.eu/nuts/code/DE21",
            "http://publications.europa.eu/resource/authority/country/DEU",
            "Germany",
            "Région Bretagne (France)",
            "Rostock",
        ],
    )
    assert places == ["DE21", "Région Bretagne (France)", "Rostock"]
    countries, _ = apply(
        "find-countries-in-places",
        ["http://publications.europa.eu/resource/authority/country/DEU"],
    )
    assert countries == ["DE"]


def test_dcat_us_spatial_boxes_and_regions_without_countries() -> None:
    boxes, _ = apply("pod-spatial", ["-125.5,48.3,-122.1,50.3", "Washington"])
    assert boxes == [{"west": -125.5, "south": 48.3, "east": -122.1, "north": 50.3}]
    regions, _ = apply("non-country-places", ["Netherlands (the), Europe, World"])
    assert regions == ["Europe", "World"]
