"""``csfinder bench insights`` on a few records: every selection answered, figures printed."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl

from click.testing import CliRunner

from harvester.cli.main import main
from harvester.index.sqlite import SqliteIndex
from portal.insights.bench import PAIRED, selection_query


def test_bench_insights_times_every_selection_and_keeps_its_index(tmp_path: Path) -> None:
    args = ["bench", "insights", "--records", "300", "--repeat", "2", "--keep", str(tmp_path)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["records"] == 300 and report["cache"] == "off"
    assert set(report["machine"]) == {"cpus", "load_1_5_15"}
    labels = [s["label"] for s in report["selections"]]
    assert labels[0] == "full index" and "selective" in labels and "common word" in labels
    index = SqliteIndex(next(tmp_path.iterdir()) / "index")
    for selection in report["selections"]:
        for layer in ("engine_ms", "api_ms", "page_ms"):
            assert set(selection[layer]) == {"p50", "p95", "p99", "max"}
        pairs = tuple(parse_qsl(selection["parameters"]))
        query = selection_query(pairs)
        assert selection["records"] == index.search(query).total
        assert selection["total"] == index.insights(query).total <= selection["records"]
    by_label = {s["label"]: s for s in report["selections"]}
    collapsed, listed = by_label["full index"], by_label["every listing"]
    assert collapsed["total"] == collapsed["records"] == 300 - 300 // PAIRED  # a pair is one
    assert listed["records"] == 300 and listed["total"] == collapsed["total"]
    index.close()
    again = CliRunner().invoke(main, args, catch_exceptions=False)
    assert json.loads(again.output.strip().splitlines()[-1])["build_seconds"] == "reused"
