"""``csfinder scheduler``: harvest every enabled source on its cron schedule.

APScheduler 3.x runs in this process only (a job store cannot be shared between
processes), keeping its jobs in the project's database (table ``scheduler_jobs``) so that
a restart keeps each source's next run; a run missed while the scheduler was down starts
late within ``misfire_grace_time``, and several missed runs make one (coalescing).

Each job runs ``python -m harvester harvest ID`` as a child process with a time limit;
the child takes the source's lease in the database (see :func:`harvester.pipeline.run.claim`), so a
source never runs twice at once, whichever process or machine starts it. A child killed
for its time limit, or dying of a signal, has its run recorded as failed and its lease
released here.

The sources folder is read again every ``reload_interval`` seconds and on SIGHUP:
sources added, removed, disabled or re-scheduled take effect without a restart.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Column, Float, MetaData, String, Table, select
from sqlalchemy.exc import SQLAlchemyError

from harvester.core.cron import cron_trigger
from harvester.core.errors import EXIT_CONFLICT
from harvester.core.settings import SchedulerSettings, Settings
from harvester.core.sources import LoadedSources
from harvester.ops.signals import Signals
from harvester.store import FAILED, Store, utcnow
from harvester.store.liveness import mark_stalled, this_host
from harvester.store.registrations import load_all_sources

log = logging.getLogger(__name__)

JOBS_TABLE = "scheduler_jobs"
JOB_PREFIX = "harvest:"
"""Exit status of ``csfinder harvest`` when another process holds the source (EX_TEMPFAIL)."""

Clock = Callable[[], datetime]


# -- the plan: pure functions of the sources and a time -----------------------------------


@dataclass(frozen=True)
class JobSpec:
    """The job one enabled source needs: its id and its cron schedule (UTC)."""

    source_id: str
    schedule: str
    default: bool = False
    """The schedule is the settings' default (the source sets none)."""

    @property
    def job_id(self) -> str:
        """The job's id in the job store."""
        return JOB_PREFIX + self.source_id

    @property
    def name(self) -> str:
        """The job's name, which also records its schedule (a changed schedule differs)."""
        return f"harvest {self.source_id} [{self.schedule}]"

    def trigger(self) -> CronTrigger:
        """The cron trigger of the schedule."""
        return cron_trigger(self.schedule)


def job_specs(loaded: LoadedSources, default_schedule: str) -> dict[str, JobSpec]:
    """One job per enabled source, by source id; a source without a schedule gets the
    default one."""
    return {
        source.id: JobSpec(source.id, source.schedule or default_schedule, not source.schedule)
        for source in loaded.sources.values()
        if source.enabled
    }


def next_fire_time(schedule: str, after: datetime) -> datetime | None:
    """The first time at or after ``after`` at which the schedule fires."""
    fire: datetime | None = cron_trigger(schedule).get_next_fire_time(None, after)
    return fire


def fire_times(schedule: str, after: datetime, count: int) -> list[datetime]:
    """The next ``count`` times the schedule fires, from ``after`` on."""
    trigger = cron_trigger(schedule)
    times: list[datetime] = []
    fire: datetime | None = trigger.get_next_fire_time(None, after)
    while fire is not None and len(times) < count:
        times.append(fire)
        fire = trigger.get_next_fire_time(fire, fire)
    return times


def broken_source_ids(loaded: LoadedSources, folder: Path) -> set[str]:
    """Ids of source files in ``folder`` that did not load."""
    return {
        Path(error.path).stem
        for error in loaded.errors
        if Path(error.path).parent.resolve() == folder.resolve()
    }


# -- running one harvest as a child process -----------------------------------------------


@dataclass
class ChildOutcome:
    """How one scheduled harvest ended."""

    source_id: str
    outcome: str
    """``succeeded``, ``failed``, ``killed`` (time limit), ``skipped`` (the source was
    busy elsewhere) or ``stopped`` (the scheduler shut down)."""
    returncode: int | None
    seconds: float
    detail: str = ""
    recorded: list[int] = field(default_factory=list)
    """Runs this scheduler recorded as failed (the child could not)."""


class HarvestRunner:
    """Runs ``csfinder harvest ID`` as a child process with a time limit."""

    def __init__(
        self,
        store: Store,
        settings: SchedulerSettings,
        *,
        command: Sequence[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.command = list(command or [sys.executable, "-m", "harvester", "harvest"])
        self.env = env
        self._children: dict[str, subprocess.Popen[str]] = {}
        self._stopping: set[int] = set()
        self._lock = threading.Lock()
        self._closed = False

    def run(self, source_id: str) -> ChildOutcome:
        """Harvest the source in a child process; kill it when it overruns its time limit."""
        started = time.monotonic()
        with self._lock:
            if self._closed:
                return ChildOutcome(source_id, "stopped", None, 0.0, "the scheduler is stopping")
            child = subprocess.Popen(
                [*self.command, source_id],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=self.env,
                start_new_session=True,
            )
            self._children[source_id] = child
        log.info(
            "harvest of %s started (process %s)",
            source_id,
            child.pid,
            extra={"event": "harvest_started", "source": source_id, "child_pid": child.pid},
        )
        killed = False
        try:
            out, err = child.communicate(timeout=self.settings.time_limit)
        except subprocess.TimeoutExpired:
            killed = True
            stop_process(child, self.settings.kill_grace)
            out, err = child.communicate()
        finally:
            with self._lock:
                self._children.pop(source_id, None)
                stopped = child.pid in self._stopping
        outcome = self._outcome(source_id, child, killed, stopped, out, err, started)
        level = logging.INFO if outcome.outcome in ("succeeded", "skipped") else logging.WARNING
        log.log(
            level,
            "harvest of %s %s: %s",
            source_id,
            outcome.outcome,
            outcome.detail,
            extra={
                "event": "harvest_finished",
                "source": source_id,
                "outcome": outcome.outcome,
                "returncode": outcome.returncode,
                "seconds": round(outcome.seconds, 3),
            },
        )
        return outcome

    def _outcome(
        self,
        source_id: str,
        child: subprocess.Popen[str],
        killed: bool,
        stopped: bool,
        out: str,
        err: str,
        started: float,
    ) -> ChildOutcome:
        code = child.returncode
        seconds = time.monotonic() - started
        detail = _last_line(out if code == 0 else err or out)
        if killed:
            limit = self.settings.time_limit
            reason = f"killed by the scheduler: exceeded the time limit of {limit:g}s"
            result = "killed"
        elif stopped:
            reason, result = "stopped: the scheduler shut down", "stopped"
        elif code is not None and code < 0:
            reason = f"the harvest process died of {signal.Signals(-code).name}"
            result = "failed"
        else:
            result = {0: "succeeded", EXIT_CONFLICT: "skipped"}.get(code, "failed")
            return ChildOutcome(source_id, result, code, seconds, detail)
        recorded = record_dead_child(self.store, child.pid, reason)
        return ChildOutcome(source_id, result, code, seconds, reason, recorded)

    def running(self) -> list[str]:
        """Sources whose harvest runs now."""
        with self._lock:
            return sorted(self._children)

    def stop_all(self) -> None:
        """Stop every child (SIGTERM, then SIGKILL after the grace time) and run no more."""
        with self._lock:
            self._closed = True
            children = list(self._children.values())
            self._stopping.update(child.pid for child in children)
        for child in children:
            stop_process(child, self.settings.kill_grace)


def stop_process(child: subprocess.Popen[Any], grace: float) -> None:
    """Ask a child started in its own session to stop (SIGTERM to its process group), and
    kill the group after ``grace`` seconds."""
    _signal_group(child, signal.SIGTERM)
    try:
        child.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        _signal_group(child, signal.SIGKILL)
        child.wait()
    else:
        _signal_group(child, signal.SIGKILL)  # grandchildren left behind


def _signal_group(child: subprocess.Popen[Any], signum: signal.Signals) -> None:
    try:
        os.killpg(child.pid, signum)
    except (ProcessLookupError, PermissionError):
        if child.poll() is None:
            child.send_signal(signum)


def record_dead_child(store: Store, pid: int, reason: str) -> list[int]:
    """Record the runs a dead child left running on this host as failed, and release the
    leases it held; return the run ids."""
    host = this_host()
    recorded = []
    for run in store.running_runs():
        if run.host == host and run.pid == pid:
            store.finish_run(run.id, FAILED, reason)
            recorded.append(run.id)
    for lease in store.leases():
        if lease.host == host and lease.pid == pid:
            store.release_lease(lease.source_id, lease.holder)
    return recorded


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:500] if lines else ""


_runner: HarvestRunner | None = None


def run_harvest_job(source_id: str) -> None:
    """The job of every source (referenced by name in the job store)."""
    if _runner is None:
        raise RuntimeError("no harvest runner: the scheduler has not started")
    _runner.run(source_id)


# -- the scheduler ------------------------------------------------------------------------


@dataclass
class SyncReport:
    """What one reading of the sources folder changed."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_broken: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class HarvestScheduler:
    """APScheduler with a persistent job store, one job per enabled source."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        clock: Clock = utcnow,
        runner: HarvestRunner | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self.runner = runner or HarvestRunner(store, settings.scheduler)
        options = settings.scheduler
        self.scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=store.engine, tablename=JOBS_TABLE)},
            executors={"default": ThreadPoolExecutor(options.max_workers)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(options.misfire_grace_time),
            },
            timezone=UTC,
        )
        self._logged_errors: set[str] = set()

    def start(self, paused: bool = False) -> SyncReport:
        """Start the scheduler and bring its jobs in line with the sources."""
        global _runner
        _runner = self.runner
        self.scheduler.start(paused=paused)
        return self.sync()

    def sync(self) -> SyncReport:
        """Read the sources (files and approved registrations) and add, change or remove
        jobs to match them.

        A source whose file is broken keeps its job (and its last good schedule) until the
        file is fixed or removed; the error is logged once.
        """
        folder = self.settings.sources_dir
        loaded = load_all_sources(folder, self.store)  # files and approved registrations
        report = SyncReport(errors=[str(error) for error in loaded.errors])
        for error in report.errors:
            if error not in self._logged_errors:
                log.error("source file not loaded: %s", error, extra={"event": "source_error"})
        self._logged_errors = set(report.errors)
        specs = job_specs(loaded, self.settings.scheduler.default_schedule)
        broken = broken_source_ids(loaded, folder)
        existing = {
            job.id: job for job in self.scheduler.get_jobs() if job.id.startswith(JOB_PREFIX)
        }
        for spec in specs.values():
            job = existing.get(spec.job_id)
            if job is not None and job.name == spec.name:
                continue
            self.scheduler.add_job(
                run_harvest_job,
                trigger=spec.trigger(),
                args=[spec.source_id],
                id=spec.job_id,
                name=spec.name,
                replace_existing=True,
                next_run_time=self._first_run(spec),
            )
            (report.changed if job is not None else report.added).append(spec.source_id)
        for job_id in sorted(set(existing) - {spec.job_id for spec in specs.values()}):
            source_id = job_id.removeprefix(JOB_PREFIX)
            if source_id in broken:
                report.kept_broken.append(source_id)
                continue
            self.scheduler.remove_job(job_id)
            report.removed.append(source_id)
        if report.added or report.changed or report.removed:
            log.info(
                "jobs: %d added, %d changed, %d removed",
                len(report.added),
                len(report.changed),
                len(report.removed),
                extra={
                    "event": "jobs_synced",
                    "added": report.added,
                    "changed": report.changed,
                    "removed": report.removed,
                },
            )
        return report

    def _first_run(self, spec: JobSpec) -> datetime | None:
        now = self.clock()
        if self.settings.scheduler.run_new_sources and not self.store.runs(spec.source_id, 1):
            return now
        return next_fire_time(spec.schedule, now)

    def jobs(self) -> dict[str, datetime | None]:
        """Each scheduled source's next run time."""
        return {
            job.id.removeprefix(JOB_PREFIX): job.next_run_time
            for job in self.scheduler.get_jobs()
            if job.id.startswith(JOB_PREFIX)
        }

    def maintain(self) -> None:
        """Mark runs that stopped reporting as stalled and release their leases."""
        try:
            mark_stalled(self.store, self.settings.harvest.stall_after)
        except SQLAlchemyError as exc:
            log.warning("could not look for stalled runs: %s", exc)

    def serve(self, signals: Signals) -> None:
        """Run until asked to stop; re-read the sources every ``reload_interval`` seconds
        and on SIGHUP."""
        interval = self.settings.scheduler.reload_interval
        log.info(
            "scheduler started with %d jobs",
            len(self.jobs()),
            extra={"event": "scheduler_started", "pid": os.getpid()},
        )
        while not signals.stop:
            signals.sleep(interval)
            if signals.stop:
                break
            if signals.take_reload():
                log.info("reloading sources (SIGHUP)", extra={"event": "reload"})
            try:
                self.sync()
            except Exception:  # a database hiccup must not end the scheduler
                log.exception("could not read the sources")
            self.maintain()
            self.scheduler.wakeup()

    def shutdown(self) -> None:
        """Stop scheduling, stop the running harvests (recording them failed), and wait."""
        if not self.scheduler.running:
            return
        log.info(
            "scheduler stopping; harvests running: %s",
            ", ".join(self.runner.running()) or "none",
            extra={"event": "scheduler_stopping"},
        )
        self.scheduler.shutdown(wait=False)
        self.runner.stop_all()
        global _runner
        _runner = None


def scheduled_runs(store: Store) -> dict[str, datetime | None]:
    """Each source's next run as the scheduler's job store has it (empty when the scheduler
    never ran on this database); read without loading the pickled jobs."""
    table = Table(
        JOBS_TABLE,
        MetaData(),
        Column("id", String(191), primary_key=True),
        Column("next_run_time", Float),
    )
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(select(table.c.id, table.c.next_run_time)).all()
    except SQLAlchemyError:
        return {}
    return {
        row.id.removeprefix(JOB_PREFIX): (
            datetime.fromtimestamp(row.next_run_time, UTC) if row.next_run_time else None
        )
        for row in rows
        if row.id.startswith(JOB_PREFIX)
    }
