"""``csfinder bench search`` at a small N: the figures it prints, not how fast they are."""

from __future__ import annotations

import json

from click.testing import CliRunner

from harvester.cli.main import main


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
