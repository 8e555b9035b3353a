"""``csfinder bench ingest`` at a small N: the figures it prints, not how fast they are."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from harvester.cli.main import main
from harvester.sample_provider import SyntheticRepository
from tests.conftest import CliEnv

RECORDS = 300
KEYS = {
    "records",
    "sickle_records",
    "sickle_seconds",
    "sickle_rate",
    "ingest_records",
    "ingest_seconds",
    "ingest_rate",
    "ingest_peak_rss_mb",
    "ingest_workers_peak_rss_mb",
    "ingest_total_peak_rss_mb",
    "check_peak_rss_mb",
    "ingest_run_status",
    "ratio",
    "cpu_ratio",
    "deleted_records",
    "normalised_records",
    "index_documents",
    "search_hits",
    "status",
}


def bench_ingest(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(
        main, ["bench", "ingest", "--records", str(RECORDS), *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    figures: dict[str, object] = json.loads(result.output.strip().splitlines()[-1])
    return figures


@pytest.mark.slow
def test_every_record_is_harvested_normalised_and_searchable(cli_env: CliEnv) -> None:
    figures = bench_ingest("--page-size", "40", "--deleted-every", "0")

    assert set(figures) >= KEYS
    assert figures["status"] == "ok"
    assert figures["ingest_run_status"] == "succeeded"
    assert figures["sickle_records"] == figures["ingest_records"] == RECORDS
    assert figures["normalised_records"] == figures["index_documents"] == RECORDS
    assert figures["search_hits"] == RECORDS
    workers = figures["ingest_workers_peak_rss_mb"]
    others = figures["ingest_other_children_peak_rss_mb"]
    assert isinstance(workers, list) and isinstance(others, dict)
    harvesting = figures["ingest_peak_rss_mb"]
    assert isinstance(harvesting, float) and harvesting > 0
    assert figures["ingest_total_peak_rss_mb"] == round(
        harvesting + sum(workers) + sum(others.values()), 1
    )


@pytest.mark.slow
def test_deletion_notices_are_stored_but_not_indexed(cli_env: CliEnv) -> None:
    figures = bench_ingest()

    notices = sum(
        r.deleted for r in SyntheticRepository(RECORDS).slice(None, None, None, 0, RECORDS)
    )
    assert figures["status"] == "ok"
    assert figures["ingest_records"] == RECORDS
    assert figures["deleted_records"] == notices > 0
    assert figures["index_documents"] == RECORDS - notices


@pytest.mark.slow
def test_with_the_embed_worker_every_live_record_gets_vectors(cli_env: CliEnv) -> None:
    figures = bench_ingest("--page-size", "50", "--embed")

    assert figures["status"] == "ok", figures["status"]
    beside = figures["with_embed_worker"]
    assert isinstance(beside, dict)
    assert beside["run_status"] == "succeeded"
    assert beside["vectors_after_finish"] == figures["normalised_records"]
    assert (
        beside["vectors_when_harvest_ended"] + beside["backlog_when_harvest_ended"]
        >= (figures["normalised_records"])
    )
    assert beside["rate_vs_without"] > 0
