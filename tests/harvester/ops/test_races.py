"""Races on PostgreSQL between the processes a deployment runs: the scheduler and a manual
``csfinder harvest`` started at the same instant harvest the source once; the scheduler's
job store lives in PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from harvester.core.errors import EXIT_CONFLICT
from harvester.core.settings import load_settings
from harvester.ops.harvest_runner import ChildOutcome, HarvestRunner
from harvester.ops.jobs import scheduled_runs
from harvester.ops.scheduler import HarvestScheduler
from harvester.sample_provider import OAIProvider, SyntheticRepository
from harvester.sample_provider.server import RunningServer
from harvester.store import SUCCEEDED
from tests.conftest import FAST_SETTINGS, CliEnv
from tests.support.misbehaving import Misbehaving
from tests.support.processes import harvest_process, wait_for


class RecordingRunner(HarvestRunner):
    """The scheduler's runner, keeping each harvest's outcome."""

    outcomes: list[ChildOutcome]

    def run(self, source_id: str) -> ChildOutcome:
        outcome = super().run(source_id)
        self.outcomes.append(outcome)
        return outcome


@pytest.mark.slow
def test_the_scheduler_and_a_manual_harvest_at_the_same_instant_harvest_once(
    cli_env_pg: CliEnv, server_factory: Callable[..., RunningServer]
) -> None:
    settings_file = FAST_SETTINGS + '\n[scheduler]\ndefault_schedule = "0 0 1 1 *"\n'
    (cli_env_pg.config / "settings.toml").write_text(settings_file, encoding="utf-8")
    slow = Misbehaving(
        OAIProvider(SyntheticRepository(40, sets=1), page_size=10), "slow_pages", delay=0.4
    )
    cli_env_pg.add_source("race", server_factory(slow).url)
    store = cli_env_pg.open_store()
    settings = load_settings(cli_env_pg.environ)
    runner = RecordingRunner(store, settings.scheduler)
    runner.outcomes = []
    scheduler = HarvestScheduler(settings, store, runner=runner)
    scheduler.start(paused=True)  # the new source's job is due at once
    assert "race" in scheduled_runs(store), "the job store is in PostgreSQL"
    try:
        manual = harvest_process(cli_env_pg, "race")
        scheduler.scheduler.resume()  # both harvest processes start now
        _out, err = manual.communicate(timeout=120)
        wait_for(lambda: runner.outcomes, 120)
    finally:
        scheduler.shutdown()
    (scheduled,) = runner.outcomes
    assert {scheduled.outcome, manual.returncode} in ({"succeeded", EXIT_CONFLICT}, {"skipped", 0})
    assert (scheduled.outcome == "skipped") == (manual.returncode == 0), err
    assert [run.status for run in store.runs("race")] == [SUCCEEDED], "harvested once"
    assert store.leases() == []
    store.close()
