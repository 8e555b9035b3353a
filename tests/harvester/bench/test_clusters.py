"""``csfinder bench clusters``: synthetic listings with known duplicates, and the labelled
pairs of real records; both print figures anyone can rerun."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from harvester.bench.cluster_data import listings
from harvester.bench.cluster_pairs import record_key
from harvester.cli.main import main
from harvester.core import paths

PAIRS = Path(__file__).parents[2] / "fixtures" / "clusters" / "pairs.csv"


def test_the_synthetic_listings_hold_known_duplicates_and_traps() -> None:
    made = list(listings(2000))
    assert len(made) == 2000
    projects = [m.project for m in made]
    assert len(set(projects)) < len(made)  # some projects are listed more than once
    titles = [str(m.record["title"]) for m in made]
    assert any(t.rstrip().endswith(tuple("0123456789")) for t in titles)  # editions
    assert len({m.record["id"] for m in made}) == len(made)
    assert [m.record["id"] for m in listings(50)] == [m.record["id"] for m in made[:50]]


@pytest.mark.slow
def test_the_synthetic_bench_clusters_and_reclusters() -> None:
    result = CliRunner().invoke(
        main, ["bench", "clusters", "--records", "3000", "--changed", "200"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    assert figures["records"] == 3000
    assert figures["full_precision"] >= 0.98 and figures["full_recall"] >= 0.95
    assert figures["after_precision"] >= 0.98 and figures["after_recall"] >= 0.95
    assert figures["incremental_report"]["mode"] == "incremental"
    assert sum(figures["changed"].values()) == 200


def test_pairs_file_keys_name_records_as_the_bench_harvests_them() -> None:
    assert record_key("cs_nl:name=Ja -  ik wil!") == record_key("cs_nl:name=Ja -  ik wil!")
    assert record_key("cs_nl:name=Schone Rivieren ") != record_key("cs_nl:name=Schone Rivieren")
    assert record_key("jrc_citsci:116").startswith("jrc_citsci:")


@pytest.mark.skipif(not paths.SHARED_FIXTURES_DIR.is_dir(), reason="no ../shared/fixtures")
def test_the_labelled_real_pairs_resolve_and_no_negative_is_merged() -> None:
    result = CliRunner().invoke(main, ["bench", "clusters", "--pairs", str(PAIRS)])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    assert "unresolved_keys" not in figures
    assert figures["negatives"] == {"pairs": 122, "wrongly_merged": 0}
    assert figures["same_encoding"]["recall"] == 1.0
    assert figures["cross_platform"]["recall"] >= 0.9
    for missed in figures["missed"]:
        assert missed["evidence"]  # every miss comes with what the scorer saw
