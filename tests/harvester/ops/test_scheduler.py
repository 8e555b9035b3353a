"""The scheduler: its plan from the sources (with a frozen clock), its job store, children
killed at their time limit, and the real ``csfinder scheduler`` process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from harvester.core.settings import SchedulerSettings, Settings, load_settings
from harvester.core.sources import load_sources
from harvester.ops.harvest_runner import HarvestRunner
from harvester.ops.jobs import fire_times, job_specs, next_fire_time, scheduled_runs
from harvester.ops.scheduler import HarvestScheduler
from harvester.sample_provider import OAIProvider, SyntheticRepository
from harvester.sample_provider.server import RunningServer
from harvester.store import FAILED, SUCCEEDED, Store
from harvester.store.liveness import this_host
from tests.conftest import FAST_SETTINGS, CliEnv
from tests.support.misbehaving import Misbehaving
from tests.support.processes import wait_for

FROZEN = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)


def settings_for(env: CliEnv, **scheduler: object) -> Settings:
    lines = [f"{key} = {_toml(value)}" for key, value in scheduler.items()]
    text = FAST_SETTINGS + "\n[scheduler]\n" + "\n".join(lines) + "\n"
    (env.config / "settings.toml").write_text(text, encoding="utf-8")
    return load_settings(env.environ)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def open_store(env: CliEnv) -> Store:
    env.home.mkdir(parents=True, exist_ok=True)
    return Store(f"sqlite:///{(env.home / 'csfinder.sqlite3').resolve()}")


# -- the plan, with a frozen clock --------------------------------------------------------


def test_fire_times_follow_the_cron_schedule_in_utc() -> None:
    assert fire_times("30 2 * * *", FROZEN, 3) == [
        datetime(2031, 5, 7, 2, 30, tzinfo=UTC),
        datetime(2031, 5, 8, 2, 30, tzinfo=UTC),
        datetime(2031, 5, 9, 2, 30, tzinfo=UTC),
    ]
    assert fire_times("*/20 * * * *", FROZEN, 2) == [
        datetime(2031, 5, 6, 7, 20, tzinfo=UTC),
        datetime(2031, 5, 6, 7, 40, tzinfo=UTC),
    ]
    assert next_fire_time("0 3 * * 1", FROZEN) == datetime(2031, 5, 12, 3, 0, tzinfo=UTC)  # Mon


def test_one_job_per_enabled_source_with_the_default_schedule_where_none_is_set(
    cli_env: CliEnv,
) -> None:
    cli_env.add_source("weekly", "http://127.0.0.1:1/oai", schedule='"0 4 * * 0"')
    cli_env.add_source("plain", "http://127.0.0.1:1/oai")
    cli_env.add_source("off", "http://127.0.0.1:1/oai", enabled=False)
    (cli_env.config / "sources" / "broken.yaml").write_text("name: [unclosed\n")

    loaded = load_sources(cli_env.config / "sources")
    specs = job_specs(loaded, "15 1 * * *")

    assert sorted(specs) == ["plain", "weekly"]
    assert (specs["weekly"].schedule, specs["weekly"].default) == ("0 4 * * 0", False)
    assert (specs["plain"].schedule, specs["plain"].default) == ("15 1 * * *", True)
    assert len(loaded.errors) == 1


@pytest.fixture
def paused(cli_env: CliEnv) -> Iterator[Callable[..., HarvestScheduler]]:
    """Start paused schedulers on the test database with a frozen clock; shut them down."""
    started: list[HarvestScheduler] = []
    stores: list[Store] = []

    def make(clock: datetime = FROZEN, **options: object) -> HarvestScheduler:
        store = open_store(cli_env)
        stores.append(store)
        scheduler = HarvestScheduler(settings_for(cli_env, **options), store, clock=lambda: clock)
        scheduler.start(paused=True)
        started.append(scheduler)
        return scheduler

    yield make
    for scheduler in started:
        scheduler.shutdown()
    for store in stores:
        store.close()


def test_jobs_get_their_next_fire_times_from_the_frozen_clock(
    cli_env: CliEnv, paused: Callable[..., HarvestScheduler]
) -> None:
    cli_env.add_source("hourly", "http://127.0.0.1:1/oai", schedule='"0 * * * *"')
    cli_env.add_source("plain", "http://127.0.0.1:1/oai")

    scheduler = paused(run_new_sources=False, default_schedule="45 23 * * *")

    assert scheduler.jobs() == {
        "hourly": datetime(2031, 5, 6, 8, 0, tzinfo=UTC),
        "plain": datetime(2031, 5, 6, 23, 45, tzinfo=UTC),
    }
    job = scheduler.scheduler.get_job("harvest:hourly")
    assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, 3600)


def test_stored_jobs_name_the_job_function_where_it_has_always_been(
    cli_env: CliEnv, paused: Callable[..., HarvestScheduler]
) -> None:
    cli_env.add_source("hourly", "http://127.0.0.1:1/oai", schedule='"0 * * * *"')
    job = paused().scheduler.get_job("harvest:hourly")
    assert job.func_ref == "harvester.ops.scheduler:run_harvest_job"  # job stores hold this


def test_a_source_never_harvested_is_due_at_once(
    cli_env: CliEnv, paused: Callable[..., HarvestScheduler]
) -> None:
    cli_env.add_source("fresh", "http://127.0.0.1:1/oai", schedule='"0 * * * *"')
    scheduler = paused()
    assert scheduler.jobs() == {"fresh": FROZEN}


def test_added_changed_disabled_and_removed_source_files_are_picked_up(
    cli_env: CliEnv, paused: Callable[..., HarvestScheduler]
) -> None:
    cli_env.add_source("a", "http://127.0.0.1:1/oai", schedule='"0 * * * *"')
    cli_env.add_source("b", "http://127.0.0.1:1/oai", schedule='"0 * * * *"')
    scheduler = paused(run_new_sources=False)
    assert set(scheduler.jobs()) == {"a", "b"}

    cli_env.add_source("a", "http://127.0.0.1:1/oai", schedule='"30 6 * * *"')
    cli_env.add_source("b", "http://127.0.0.1:1/oai", enabled=False)
    cli_env.add_source("c", "http://127.0.0.1:1/oai", schedule='"0 * * * *"')
    report = scheduler.sync()

    assert (report.added, report.changed, report.removed) == (["c"], ["a"], ["b"])
    assert scheduler.jobs() == {
        "a": datetime(2031, 5, 7, 6, 30, tzinfo=UTC),
        "c": datetime(2031, 5, 6, 8, 0, tzinfo=UTC),
    }

    (cli_env.config / "sources" / "c.yaml").unlink()
    assert scheduler.sync().removed == ["c"]
    assert set(scheduler.jobs()) == {"a"}


def test_a_broken_source_file_keeps_its_job_and_spares_the_others(
    cli_env: CliEnv, paused: Callable[..., HarvestScheduler]
) -> None:
    cli_env.add_source("a", "http://127.0.0.1:1/oai", schedule='"0 * * * *"')
    cli_env.add_source("b", "http://127.0.0.1:1/oai", schedule='"0 * * * *"')
    scheduler = paused(run_new_sources=False)

    (cli_env.config / "sources" / "a.yaml").write_text("name: [unclosed\n")
    cli_env.add_source("c", "http://127.0.0.1:1/oai", schedule='"0 * * * *"')
    report = scheduler.sync()

    assert report.kept_broken == ["a"]
    assert report.added == ["c"]
    assert len(report.errors) == 1 and "a.yaml" in report.errors[0]
    assert set(scheduler.jobs()) == {"a", "b", "c"}


def test_jobs_persist_in_the_database_across_scheduler_restarts(
    cli_env: CliEnv, paused: Callable[..., HarvestScheduler]
) -> None:
    cli_env.add_source("a", "http://127.0.0.1:1/oai", schedule='"0 * * * *"')
    first = paused(run_new_sources=False)
    planned = first.jobs()
    first.shutdown()

    later = paused(FROZEN + timedelta(minutes=5), run_new_sources=False)
    assert later.jobs() == planned, "an unchanged job keeps its next run"
    assert scheduled_runs(later.store) == planned


# -- one harvest as a child process -------------------------------------------------------


def slow_source(env: CliEnv, server_factory: Callable[..., RunningServer]) -> Store:
    """Configure source ``slow`` (400 records, 0.5 s a page of 10: 20 s in all); open the
    store."""
    slow = Misbehaving(
        OAIProvider(SyntheticRepository(400, sets=1), page_size=10), "slow_pages", delay=0.5
    )
    env.add_source("slow", server_factory(slow).url)
    return open_store(env)


@pytest.mark.slow
def test_a_child_over_its_time_limit_is_killed_and_its_run_recorded_failed(
    cli_env: CliEnv, server_factory: Callable[..., RunningServer]
) -> None:
    store = slow_source(cli_env, server_factory)
    # 8 s: time for the child to start and store some pages even on a busy machine, well
    # short of the 20 s the whole list takes.
    runner = HarvestRunner(store, SchedulerSettings(time_limit=8.0, kill_grace=1.0))

    outcome = runner.run("slow")

    assert outcome.outcome == "killed"
    (run,) = store.runs("slow")
    assert outcome.recorded == [run.id]
    assert run.status == FAILED
    assert "exceeded the time limit of 8s" in (run.error or "")
    assert 0 < run.counts.seen < 400
    assert store.leases() == []


@pytest.mark.slow
def test_a_child_killed_by_a_signal_is_recorded_failed(
    cli_env: CliEnv, server_factory: Callable[..., RunningServer]
) -> None:
    store = slow_source(cli_env, server_factory)
    runner = HarvestRunner(store, SchedulerSettings(time_limit=60.0))

    def kill_when_running() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            running = store.running_runs("slow")
            if running and running[0].counts.seen:
                os.kill(running[0].pid or 0, signal.SIGKILL)
                return
            time.sleep(0.05)

    import threading

    killer = threading.Thread(target=kill_when_running)
    killer.start()
    outcome = runner.run("slow")
    killer.join()

    assert outcome.outcome == "failed"
    (run,) = store.runs("slow")
    assert run.status == FAILED
    assert run.error == "the harvest process died of SIGKILL"
    assert run.host == this_host()
    assert store.leases() == []


def test_a_source_leased_elsewhere_is_skipped_not_failed(
    cli_env: CliEnv, sample_server: RunningServer
) -> None:
    cli_env.add_source("sample", sample_server.url)
    store = open_store(cli_env)
    store.acquire_lease("sample", "far:1:x", host="far", pid=1, ttl=600.0)

    outcome = HarvestRunner(store, SchedulerSettings()).run("sample")

    assert outcome.outcome == "skipped"
    assert "is being harvested" in outcome.detail
    assert store.runs("sample") == []


# -- the real process ---------------------------------------------------------------------


@pytest.mark.slow
def test_the_scheduler_process_harvests_picks_up_source_files_and_stops_cleanly(
    cli_env: CliEnv, sample_server: RunningServer, tmp_path: Path
) -> None:
    settings_for(cli_env, reload_interval=0.5, default_schedule="0 0 1 1 *")
    cli_env.add_source("first", sample_server.url)
    store = open_store(cli_env)
    log_path = tmp_path / "scheduler.log"
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "harvester", "--log-format", "json", "scheduler"],
            env={**os.environ, **cli_env.environ},
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(lambda: [r.status for r in store.runs("first")] == [SUCCEEDED])
            assert set(scheduled_runs(store)) == {"first"}
            assert scheduled_runs(store)["first"] == datetime(
                datetime.now(UTC).year + 1, 1, 1, tzinfo=UTC
            )

            cli_env.add_source("second", sample_server.url)
            wait_for(lambda: [r.status for r in store.runs("second")] == [SUCCEEDED])

            (cli_env.config / "sources" / "first.yaml").unlink()
            cli_env.add_source("second", sample_server.url, schedule='"5 5 * * *"')
            process.send_signal(signal.SIGHUP)
            wait_for(lambda: set(scheduled_runs(store)) == {"second"})
            wait_for(lambda: scheduled_runs(store)["second"].hour == 5)  # type: ignore[union-attr]
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=30)
    log = log_path.read_text()
    assert code == 0, log
    assert '"event": "harvest_finished", "source": "first", "outcome": "succeeded"' in log
    assert '"event": "scheduler_stopped"' in log
    assert [r.status for r in store.runs()] == [SUCCEEDED, SUCCEEDED]


@pytest.mark.parametrize(
    ("schedule", "first_day"),
    [
        ("0 3 * * 1", "Monday"),
        ("0 3 * * 0", "Sunday"),
        ("0 3 * * 7", "Sunday"),
        ("0 3 * * 5-6", "Friday"),
        ("0 3 * * sat", "Saturday"),
    ],
)
def test_weekday_numbers_mean_what_they_mean_in_crontab(schedule: str, first_day: str) -> None:
    fire = next_fire_time(schedule, datetime(2031, 5, 5, 12, tzinfo=UTC))  # a Monday noon
    assert fire is not None
    assert fire.strftime("%A") == first_day
    assert fire - datetime(2031, 5, 5, 12, tzinfo=UTC) < timedelta(days=7)
