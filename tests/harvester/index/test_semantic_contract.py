"""Search by meaning, on both backends: a query in one language finds records written in
another, words and meaning fused, filters and facets applied to both, each hit saying why
it came. The vectors are the real encoder's (USE multilingual, from the test extra)."""

from __future__ import annotations

import pytest

from harvester.enrich.encoders import load_encoder
from harvester.enrich.vectors import quantise, versions_of
from harvester.index.base import SearchIndex, SearchResult, VectorItem
from harvester.index.query import build_query
from tests.harvester.index.corpus import corpus, corpus_records

HEDGEHOGS = "Hedgehog Street"


def vector_items() -> list[VectorItem]:
    encoder = load_encoder("use")
    assert encoder is not None, "the test extra installs the multilingual encoder"
    items: list[VectorItem] = []
    for record in corpus_records():
        versions = versions_of(record)
        matrix = quantise(encoder.passages([v.full for v in versions]))
        items.append((str(record["id"]), [v.lang or "" for v in versions], matrix))
    return items


@pytest.fixture
def meaningful(index_backend: SearchIndex) -> SearchIndex:
    """The contract corpus with its vectors, searched with the encoder."""
    index_backend.encoder = load_encoder("use")  # type: ignore[attr-defined]
    index_backend.upsert(corpus())
    assert index_backend.set_vectors(vector_items()) == len(corpus())
    return index_backend


def search(index: SearchIndex, text: str, *pairs: tuple[str, str], **options: str) -> SearchResult:
    return index.search(build_query(text, pairs, **options))  # type: ignore[arg-type]


def titles(result: SearchResult) -> list[str]:
    return [str(hit.summary["title"]) for hit in result.hits]


def test_a_query_in_another_language_finds_records_by_meaning(meaningful: SearchIndex) -> None:
    assert meaningful.semantic_ready()
    result = search(meaningful, "hérissons dans les jardins")
    assert result.mode == "hybrid"
    assert titles(result)[0] == HEDGEHOGS
    first = result.hits[0]
    assert (first.matched, first.matched_language) == ("meaning", "en")
    assert "<mark>" not in first.title_html
    assert search(meaningful, "hérissons dans les jardins", mode="lexical").total == 0


def test_a_record_matching_by_words_and_meaning_says_both(meaningful: SearchIndex) -> None:
    result = search(meaningful, "hedgehogs")
    assert titles(result)[0] == HEDGEHOGS
    assert result.hits[0].matched == "both"
    assert "<mark>hedgehogs</mark>" in result.hits[0].snippet_html
    lexical = search(meaningful, "hedgehogs", mode="lexical")
    assert lexical.mode == "lexical" and {h.matched for h in lexical.hits} == {"words"}


def test_meaning_only_lists_the_nearest_records(meaningful: SearchIndex) -> None:
    result = search(meaningful, "hérissons dans les jardins", mode="semantic")
    assert result.mode == "semantic"
    assert titles(result)[0] == HEDGEHOGS
    assert {hit.matched for hit in result.hits} <= {"meaning", "both"}
    assert result.total == len(result.hits) or result.total <= 100


def test_filters_and_exclusions_apply_to_matches_by_meaning(meaningful: SearchIndex) -> None:
    text = "hérissons dans les jardins"
    assert titles(search(meaningful, text, ("country", "GB")))[:1] == [HEDGEHOGS]
    assert HEDGEHOGS not in titles(search(meaningful, text, ("country", "FR")))
    assert HEDGEHOGS not in titles(search(meaningful, f"{text} -gardens"))


def test_facets_count_the_records_found_by_meaning(meaningful: SearchIndex) -> None:
    result = search(meaningful, "hérissons dans les jardins", ("country", "GB"))
    countries = {c.value: c.count for c in result.facets["country"]}
    assert countries.get("GB", 0) >= 1
    assert result.total >= 1


def test_without_vectors_search_is_by_words(index_backend: SearchIndex) -> None:
    index_backend.encoder = load_encoder("use")  # type: ignore[attr-defined]
    index_backend.upsert(corpus())
    assert not index_backend.semantic_ready()
    result = search(index_backend, "hérissons dans les jardins", mode="semantic")
    assert (result.mode, result.total) == ("lexical", 0)
