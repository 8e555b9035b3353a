"""Races on PostgreSQL between the processes a deployment runs: the scheduler and a manual
``csfinder harvest`` started at the same instant harvest the source once; the scheduler's
job store lives in PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from harvester.core.errors import EXIT_CONFLICT
from harvester.ops.jobs import scheduled_runs
from harvester.sample_provider import OAIProvider, SyntheticRepository
from harvester.sample_provider.server import RunningServer
from harvester.store import SUCCEEDED
from tests.conftest import FAST_SETTINGS, CliEnv
from tests.support.misbehaving import Misbehaving
from tests.support.processes import harvest_process, wait_for


@pytest.mark.slow
def test_the_scheduler_and_a_manual_harvest_at_the_same_instant_harvest_once(
    cli_env_pg: CliEnv, server_factory: Callable[..., RunningServer], tmp_path: Path
) -> None:
    settings = FAST_SETTINGS + '\n[scheduler]\ndefault_schedule = "0 0 1 1 *"\n'
    (cli_env_pg.config / "settings.toml").write_text(settings, encoding="utf-8")
    slow = Misbehaving(
        OAIProvider(SyntheticRepository(40, sets=1), page_size=10), "slow_pages", delay=0.4
    )
    cli_env_pg.add_source("race", server_factory(slow).url)
    store = cli_env_pg.open_store()
    log_path = tmp_path / "scheduler.log"
    with log_path.open("w") as log_file:
        scheduler = subprocess.Popen(
            [sys.executable, "-m", "harvester", "--log-format", "json", "scheduler"],
            env={**os.environ, **cli_env_pg.environ},
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        manual = harvest_process(cli_env_pg, "race")  # the scheduler runs a new source at once
        try:
            _out, err = manual.communicate(timeout=120)
            wait_for(lambda: '"event": "harvest_finished"' in log_path.read_text(), 120)
            assert "race" in scheduled_runs(store), "the job store is in PostgreSQL"
        finally:
            scheduler.terminate()
            scheduler.wait(timeout=30)
    log = log_path.read_text()
    scheduled = '"outcome": "succeeded"' in log
    skipped = '"outcome": "skipped"' in log
    assert scheduled != skipped, log
    assert manual.returncode == (EXIT_CONFLICT if scheduled else 0), err
    assert [run.status for run in store.runs("race")] == [SUCCEEDED], "harvested once"
    assert store.leases() == []
    store.close()
