"""Insights of a search by meaning count what the search finds, on both backends: the
records its words match and those near its meaning (hybrid), or the nearest alone
(semantic), within the same filters. The vectors are the real encoder's."""

from __future__ import annotations

import pytest

from harvester.enrich.encoders import load_encoder
from harvester.index.base import SearchIndex
from harvester.index.query import build_query
from tests.harvester.index.corpus import corpus
from tests.harvester.index.test_semantic_contract import vector_items

QUERIES: list[tuple[str, tuple[tuple[str, str], ...]]] = [
    ("hérissons dans les jardins", ()),
    ("hérissons dans les jardins", (("country", "GB"),)),
    ("hedgehogs", ()),
    ("water quality", ()),
]


@pytest.fixture
def meaningful(index_backend: SearchIndex) -> SearchIndex:
    """The contract corpus with its vectors, searched with the encoder."""
    index_backend.encoder = load_encoder("use")  # type: ignore[attr-defined]
    index_backend.upsert(corpus())
    assert index_backend.set_vectors(vector_items()) == len(corpus())
    return index_backend


@pytest.mark.parametrize("mode", ["hybrid", "semantic", "lexical"])
@pytest.mark.parametrize(("text", "pairs"), QUERIES)
def test_insights_count_the_matches_by_meaning_as_the_search_does(
    meaningful: SearchIndex, text: str, pairs: tuple[tuple[str, str], ...], mode: str
) -> None:
    query = build_query(text, pairs, per_page=1, mode=mode)
    result, insights = meaningful.search(query), meaningful.insights(query)
    assert result.mode == mode
    assert insights.total == result.total
    countries = {c.value: c.count for c in result.facets["country"] if c.count}
    if not pairs:  # unfiltered: the country facet counts the same records
        assert {c.value: c.count for c in insights.dimensions["country"] if c.count} == countries


def test_a_query_found_only_by_meaning_is_counted(meaningful: SearchIndex) -> None:
    hybrid = meaningful.insights(build_query("hérissons dans les jardins"))
    lexical = meaningful.insights(build_query("hérissons dans les jardins", mode="lexical"))
    assert lexical.total == 0 < hybrid.total
