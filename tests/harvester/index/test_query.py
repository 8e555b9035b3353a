"""Filters, sorts and pages: clear errors for what cannot be answered."""

from __future__ import annotations

import pytest

from harvester.index.query import BoundingBox, QueryError, build_query, parse_pairs


def test_filters_are_normalised_and_grouped() -> None:
    query = build_query(
        "x",
        [
            ("country", "nl"),
            ("Country", "DE"),
            ("language", "EN"),
            ("kind", "Dataset"),
            ("sdg", "06"),
        ],
    )
    assert query.filters == {
        "country": frozenset({"NL", "DE"}),
        "language": frozenset({"en"}),
        "kind": frozenset({"dataset"}),
        "sdg": frozenset({"6"}),
    }


def test_ranges_and_box() -> None:
    query = build_query("", [("year_from", "2010"), ("year-to", "2020"), ("bbox", "-10,35,30,70")])
    assert (query.year_from, query.year_to) == (2010, 2020)
    assert query.bbox == BoundingBox(-10, 35, 30, 70)


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([("colour", "red")], "unknown filter 'colour'"),
        ([("country", "Netherlands")], "two-letter code"),
        ([("kind", "article")], "kind must be one of"),
        ([("sdg", "18")], "1 to 17"),
        ([("has_pid", "maybe")], "true or false"),
        ([("year_from", "last year")], "a year such as"),
        ([("year_from", "2020"), ("year_to", "2010")], "is after"),
        ([("bbox", "1,2,3")], "west,south,east,north"),
        ([("bbox", "0,80,10,60")], "south is above north"),
        ([("bbox", "0,0,200,10")], "outside"),
        ([("access", "free")], "access must be one of"),
    ],
)
def test_impossible_filters_say_what_is_wrong(pairs: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        build_query("", pairs)


def test_empty_values_are_ignored() -> None:
    assert build_query("", [("country", " ")]).filters == {}


def test_sort_and_paging_limits() -> None:
    assert build_query("water").effective_sort == "relevance"
    assert build_query("").effective_sort == "newest"
    assert build_query("water", sort="title").effective_sort == "title"
    with pytest.raises(QueryError, match="sort must be one of"):
        build_query("", sort="random")
    with pytest.raises(QueryError, match="per_page"):
        build_query("", per_page=500)
    with pytest.raises(QueryError, match="page must be 1 or more"):
        build_query("", page=0)


def test_command_line_pairs_need_an_equals_sign() -> None:
    assert parse_pairs(["country=NL", "bbox=1,2,3,4"]) == [("country", "NL"), ("bbox", "1,2,3,4")]
    with pytest.raises(QueryError, match="FIELD=VALUE"):
        parse_pairs(["country"])
