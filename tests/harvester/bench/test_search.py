"""``csfinder bench search`` at a small N: the figures it prints, not how fast they are."""

from __future__ import annotations

import itertools
import json

import pytest
from click.testing import CliRunner

from harvester.bench.synthetic import corpus_texts, synthetic_records
from harvester.bench.synthetic_vectors import sentences_of, texts_of
from harvester.cli.main import main
from tests.support.fixture_provider import SHARED_FIXTURES


def test_bench_search_builds_the_index_and_times_the_mix_with_and_without_the_cache() -> None:
    result = CliRunner().invoke(
        main, ["bench", "search", "--records", "400", "--queries", "30"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    assert figures["records"] == 400
    assert figures["queries"] == 30
    assert figures["build_rate"] > 0 and figures["generate_seconds"] >= 0
    assert set(figures["latency_ms"]) == {"p50", "p95", "p99", "max"}
    assert figures["by_kind"]
    cached = figures["with_engine_cache"]
    assert set(cached["latency_ms"]) == {"p50", "p95", "p99", "max"}
    assert cached["hits"] + cached["misses"] > 0
    assert figures["median_total"] > 0


def test_bench_search_in_hybrid_mode_builds_vectors_and_times_the_encoder() -> None:
    result = CliRunner().invoke(
        main,
        ["bench", "search", "--records", "60", "--queries", "16", "--mode", "hybrid"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    assert (figures["mode"], figures["encoder"], figures["records"]) == ("hybrid", "use", 60)
    assert figures["ann_bytes_per_record"] > 512  # a signed byte per dimension, and its graph
    assert set(figures["query_encoding_ms"]) == {"p50", "p95", "p99", "max"}
    assert figures["median_total"] > 0


@pytest.mark.skipif(SHARED_FIXTURES is None, reason="shared/fixtures is absent")
def test_synthetic_records_are_read_back_into_the_corpus_texts_they_were_made_of() -> None:
    """Their vectors come from the corpus texts' vectors: a description must split into
    corpus sentences even where one lacks final punctuation, or each record would be
    encoded anew."""
    titles, sentences = corpus_texts()
    known = set(titles) | set(sentences)
    records = list(itertools.islice(synthetic_records(10_000), 3_000))
    parts = [texts_of(record) for record in records]
    assert all(text in known for found in parts for text in found)
    unpunctuated = [s for s in sentences if s[-1] not in ".!?"]
    assert unpunctuated  # the corpus has them, so a split at punctuation alone would fail
    joined = f"{unpunctuated[0]} {sentences[0]}"
    assert sentences_of(joined) == [unpunctuated[0], sentences[0]]
    assert sentences_of("Not a corpus sentence. Nor this") == ["Not a corpus sentence.", "Nor this"]
