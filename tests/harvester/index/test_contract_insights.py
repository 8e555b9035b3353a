"""The insights contract: every backend counts a search's selection the same way, and its
counts agree with the search's own totals and facet counts for the same query."""

from __future__ import annotations

from collections import Counter

import pytest

from harvester.index.base import Insights, SearchIndex, SearchResult
from harvester.index.dimensions import FAIR_APPLIES, FAIR_PASSED, YEAR_SERIES
from harvester.index.insights import DIMENSIONS
from harvester.index.query import FACETS, SearchQuery, build_query
from tests.harvester.index.insights_corpus import documents

QUERIES: list[tuple[str, tuple[tuple[str, str], ...]]] = [
    ("", ()),
    ("air", ()),
    ("", (("country", "ES"),)),
    ("", (("country", "ES"), ("country", "DE"))),
    ("", (("policy_aims", "true"),)),
    ("", (("for_schools", "true"), ("participation", "Observation"))),
    ("", (("funder", "European Commission"),)),
    ("", (("policy_relevance", "Policy implementation or monitoring"),)),
    ("", (("sdg", "3"), ("kind", "project"))),
    ("", (("year_from", "2014"), ("year_to", "2019"))),
    ("counts OR birds", (("topic", "1.6"),)),
    ("nothing-matches-this", ()),
]


@pytest.fixture
def policy_index(index_backend: SearchIndex) -> SearchIndex:
    index_backend.upsert(documents())
    return index_backend


def both(
    index: SearchIndex, text: str, pairs: tuple[tuple[str, str], ...]
) -> tuple[SearchQuery, SearchResult, Insights]:
    query = build_query(text, pairs, per_page=100)
    return query, index.search(query), index.insights(query)


def oracle(ids: set[str]) -> dict[str, Counter[str]]:
    """Each index field's values counted over the records with these ids, in Python."""
    counted: dict[str, Counter[str]] = {}
    for document in documents():
        if document.id in ids:
            for name, values in document.facets.items():
                counted.setdefault(name, Counter()).update(values)
    return counted


@pytest.mark.parametrize(("text", "pairs"), QUERIES)
def test_insights_total_is_the_search_total(
    policy_index: SearchIndex, text: str, pairs: tuple[tuple[str, str], ...]
) -> None:
    _query, result, insights = both(policy_index, text, pairs)
    assert insights.total == result.total
    assert set(insights.dimensions) == set(DIMENSIONS)


@pytest.mark.parametrize(("text", "pairs"), QUERIES)
def test_insights_count_the_selection_as_the_search_facets_do(
    policy_index: SearchIndex, text: str, pairs: tuple[tuple[str, str], ...]
) -> None:
    query, result, insights = both(policy_index, text, pairs)
    for facet in FACETS:
        counted = {c.value: c.count for c in insights.dimensions[facet]}
        searched = {c.value: c.count for c in result.facets[facet]}
        chosen = query.selected(facet)
        if not chosen and not (facet == "year" and (query.year_from or query.year_to)):
            assert counted == searched, facet
        for value in chosen:  # a filtered facet: its selected values count alike
            assert counted[value] == searched[value], (facet, value)


@pytest.mark.parametrize(("text", "pairs"), QUERIES)
def test_every_dimension_and_the_fair_profile_count_the_hits(
    policy_index: SearchIndex, text: str, pairs: tuple[tuple[str, str], ...]
) -> None:
    query, result, insights = both(policy_index, text, pairs)
    expected = oracle({hit.id for hit in result.hits})
    assert len(result.hits) == result.total
    for dimension in DIMENSIONS:
        counted = {c.value: c.count for c in insights.dimensions[dimension] if c.count}
        assert counted == dict(expected.get(dimension, {})), dimension
        shown = [c.value for c in insights.dimensions[dimension]]
        assert set(query.selected(dimension)) <= set(shown) if dimension in FACETS else True
    fair = {f.indicator: (f.applicable, f.passed) for f in insights.fair}
    applies, passed = expected.get(FAIR_APPLIES, Counter()), expected.get(FAIR_PASSED, Counter())
    assert fair == {i: (n, passed.get(i, 0)) for i, n in applies.items()}


def test_years_read_as_a_timeline_and_other_values_by_count(policy_index: SearchIndex) -> None:
    insights = policy_index.insights(SearchQuery())
    for series in ("year", *YEAR_SERIES):
        years = [int(c.value) for c in insights.dimensions[series]]
        assert years == sorted(years) and years, series
    countries = [(c.count, c.value) for c in insights.dimensions["country"]]
    assert countries == sorted(countries, key=lambda item: (-item[0], item[1]))
    most = oracle({d.id for d in documents()})["country"].most_common()
    assert countries[0] == (most[0][1], min(v for v, n in most if n == most[0][1]))


def test_the_policy_filters_select_what_records_state(policy_index: SearchIndex) -> None:
    def titles(*pairs: tuple[str, str]) -> set[str]:
        hits = policy_index.search(build_query("", pairs, per_page=100)).hits
        return {str(hit.summary["title"]) for hit in hits}

    assert titles(("policy_aims", "true")) == {
        "Aire limpio en la escuela",
        "Ar das escolas",
        "Meet het slootwater",
    }
    assert titles(("policy_aims", "false")) == {"Vögel im Winter"}
    assert titles(("for_schools", "true")) == {
        "Aire limpio en la escuela",
        "Ar das escolas",
        "Letters from the front",
    }
    assert titles(("funder", "European Commission")) == {
        "Aire limpio en la escuela",
        "Vögel im Winter",
        "Meet het slootwater",
    }
    assert titles(("funder", "Fundação Ciência")) == {"Ar das escolas"}  # role 'Funder'
    assert titles(("participation", "Transcription")) == {"Letters from the front"}
    assert titles(("policy_relevance", "Early-warning")) == {"Aire limpio en la escuela"}


def test_a_selected_value_nothing_carries_is_listed_with_zero(policy_index: SearchIndex) -> None:
    insights = policy_index.insights(build_query("", [("country", "LU")]))
    assert insights.total == 0
    assert [(c.value, c.count, c.selected) for c in insights.dimensions["country"]] == [
        ("LU", 0, True)
    ]
    assert insights.fair == []
