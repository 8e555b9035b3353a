"""What the index counts of a record: policy facets, years of activity, FAIR indicators."""

from __future__ import annotations

from typing import Any

import pytest

from harvester.index.dimensions import counted_only, policy_facets
from harvester.index.insights import buckets
from harvester.index.query import QueryError, build_query

HARVESTED = {"harvested_at": "2026-03-01T10:00:00Z"}


def active(**record: Any) -> list[int]:
    found = counted_only({"provenance": HARVESTED, **record}).get("year_active", ())
    return [int(y) for y in found]


def test_a_project_is_active_from_its_start_to_its_end() -> None:
    assert active(start_date="2019-05-01", end_date="2021-02") == [2019, 2020, 2021]
    assert active(start_date="2019", end_date="2019-12-31") == [2019]


def test_without_an_end_a_running_project_is_active_until_it_was_harvested() -> None:
    assert active(start_date="2023-09-01", status="Active") == [2023, 2024, 2025, 2026]
    assert active(start_date="2024-01-01") == [2024, 2025, 2026]  # no status: still running


def test_a_project_over_without_an_end_date_counts_its_start_year_only() -> None:
    assert active(start_date="2015-01-01", status="Completed") == [2015]
    assert active(start_date="2015-01-01", status="abandoned") == [2015]


def test_no_start_or_a_start_after_the_harvest_is_no_activity() -> None:
    assert active(end_date="2020-01-01") == []
    assert active(start_date="2027-01-01", status="Not yet started") == []
    assert counted_only({"start_date": "2027-01-01"})["year_started"] == ("2027",)


def test_impossible_spans_count_the_start_year_only() -> None:
    assert active(start_date="2020-01-01", end_date="2010-01-01") == [2020]
    assert active(start_date="1850-01-01", end_date="2025-01-01") == [1850]
    assert active(start_date="0999-01-01") == []


def test_started_and_ended_years() -> None:
    found = counted_only({"start_date": "2011-05-01", "end_date": "2013-01-01"})
    assert found["year_started"] == ("2011",) and found["year_ended"] == ("2013",)
    assert "year_started" not in counted_only({})


def test_fair_indicators_passed_and_applicable() -> None:
    quality = {
        "indicators": [
            {"id": "FsF-F1-01D", "passed": True},
            {"id": "FsF-F1-02D", "passed": False},
            {"id": "FsF-A1-03D", "passed": False, "applicable": False},
            {"id": "FsF-R1.3-02D", "passed": True, "applicable": False},
        ]
    }
    found = counted_only({"quality": quality})
    assert found["fair_applies"] == ("FsF-F1-01D", "FsF-F1-02D")
    assert found["fair_passed"] == ("FsF-F1-01D",)


def test_policy_facets_come_from_participation_policy_and_funders() -> None:
    record = {
        "participation": {
            "tasks": ["Observation", " Observation ", "Tagging"],
            "for_schools": False,
        },
        "policy": {"aims": True, "relevance": ["Early-warning"]},
        "organisations": [
            {"name": "Agency  A", "role": "Sponsor/funder"},
            {"name": "Agency B", "role": "Funder"},
            {"name": "Council C", "role": "funder"},
            {"name": "Sponsor D", "role": "Sponsor"},
            {"name": "Host E", "role": "HostingInstitution"},
            {"name": "Partner F"},
        ],
    }
    assert policy_facets(record) == {
        "participation": ("Observation", "Tagging"),
        "policy_relevance": ("Early-warning",),
        "policy_aims": ("true",),
        "funder": ("Agency A", "Agency B", "Council C", "Sponsor D"),
        "for_schools": ("false",),
    }
    assert policy_facets({"policy": {"aims": None}, "participation": {}}) == {}


@pytest.mark.parametrize("facet", ["policy_aims", "for_schools"])
def test_yes_no_filters_take_true_or_false(facet: str) -> None:
    assert build_query("", [(facet, "TRUE")]).selected(facet) == {"true"}
    with pytest.raises(QueryError, match=f"{facet} must be true or false"):
        build_query("", [(facet, "yes")])


def test_buckets_list_most_first_keep_selected_values_and_order_years() -> None:
    query = build_query("", [("country", "LU"), ("country", "NL")])
    counted = [("DE", 3), ("NL", 1), ("FR", 3), ("IT", 0)]
    shown = [(c.value, c.count, c.selected) for c in buckets("country", counted, query)]
    assert shown == [("DE", 3, False), ("FR", 3, False), ("NL", 1, True), ("LU", 0, True)]
    years = buckets("year_active", [("2021", 1), ("2019", 5), ("2020", 2)], query)
    assert [c.value for c in years] == ["2019", "2020", "2021"]
