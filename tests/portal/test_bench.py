"""``csfinder bench portal`` at a small N, run as the command line runs it (no timings)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harvester.bench.search import mix_entries
from portal.bench import bench_home, search_paths

RECORDS = 200


@pytest.mark.slow
def test_bench_portal_serves_and_measures(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "harvester", "bench", "portal", "--records", str(RECORDS)]
    command += ["--seconds", "2", "--warmup", "0.5", "--concurrency", "2"]
    command += ["--cache-dir", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    for key in ("workers", "concurrency", "duration_s", "requests_per_s", "latency_ms"):
        assert key in figures
    assert set(figures["latency_ms"]) >= {"p50", "p95", "p99"}
    assert figures["records"] == RECORDS
    assert figures["requests"] > 0
    assert figures["errors"] == 0
    assert figures["response_cache"] == "none"
    cache = figures["engine_cache"]
    assert cache["hits"] + cache["misses"] > 0 and 0 <= cache["hit_rate"] <= 1


def test_bench_home_is_kept_and_reused(tmp_path: Path) -> None:
    home, built = bench_home(tmp_path, 30)
    assert built is not None
    assert (home / "index").is_dir() and (home / "csfinder.sqlite3").exists()
    again, rebuilt = bench_home(tmp_path, 30)
    assert again == home and rebuilt is None
    _, fresh = bench_home(tmp_path, 30, fresh=True)
    assert fresh is not None


def test_search_paths_cover_text_filters_sorts_and_pages() -> None:
    paths = search_paths(mix_entries(64))
    assert all(p.startswith("/api/v1/search?") for p in paths)
    assert any("q=" in p for p in paths) and any("q=" not in p for p in paths)
    assert any("country=" in p for p in paths) and any("sort=newest" in p for p in paths)
    assert any("page=2" in p for p in paths) and any("page=3" in p for p in paths)
