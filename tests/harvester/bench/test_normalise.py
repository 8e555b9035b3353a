"""``csfinder bench normalise`` at a small N: the figures it prints, not how fast they are."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from harvester.bench.harvest import KERNEL_4_EXAMPLES
from harvester.cli.main import main

RECORDS = 40


def test_each_crosswalk_reports_its_clock_and_processor_rates() -> None:
    result = CliRunner().invoke(
        main, ["bench", "normalise", "--records", str(RECORDS)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])

    names = ["oai_dc", "datacite"] if any(KERNEL_4_EXAMPLES.glob("*.xml")) else ["oai_dc"]
    assert sorted(figures["crosswalks"]) == sorted(names)
    for name in names:
        measured = figures["crosswalks"][name]
        assert measured["records"] == RECORDS
        assert measured["cpu_seconds"] > 0 and measured["seconds"] > 0
        # the rate is of the unrounded time: records again within the rounding of the time
        assert measured["cpu_rate"] * measured["cpu_seconds"] == pytest.approx(RECORDS, rel=0.05)
        assert 0 < measured["mean_score"] <= 100
