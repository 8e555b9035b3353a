"""``csfinder scheduler``: harvest every enabled source on its cron schedule.

APScheduler 3.x runs in this process only (a job store cannot be shared between
processes), keeping its jobs in the project's database (table ``scheduler_jobs``) so that
a restart keeps each source's next run; a run missed while the scheduler was down starts
late within ``misfire_grace_time``, and several missed runs make one (coalescing).

Each job runs ``python -m harvester harvest ID`` as a child process with a time limit
(:mod:`harvester.ops.harvest_runner`); the child takes the source's lease in the database
(see :func:`harvester.pipeline.run.claim`), so a source never runs twice at once, whichever
process or machine starts it. Which jobs there are, and when they fire, is
:mod:`harvester.ops.jobs`.

The sources folder is read again every ``reload_interval`` seconds and on SIGHUP:
sources added, removed, disabled or re-scheduled take effect without a restart.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.exc import SQLAlchemyError

from harvester.core.settings import Settings
from harvester.ops.harvest_runner import HarvestRunner
from harvester.ops.jobs import (
    JOB_PREFIX,
    JOBS_TABLE,
    JobSpec,
    broken_source_ids,
    job_specs,
    next_fire_time,
)
from harvester.ops.signals import Signals
from harvester.store import Store, utcnow
from harvester.store.liveness import mark_stalled
from harvester.store.registrations import load_all_sources

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


_runner: HarvestRunner | None = None
"""The running scheduler's runner, which :func:`run_harvest_job` uses."""


def run_harvest_job(source_id: str) -> None:
    """The job of every source.

    The job store keeps it by name, ``harvester.ops.scheduler:run_harvest_job``: it stays
    in this module, or stored jobs would no longer load.
    """
    if _runner is None:
        raise RuntimeError("no harvest runner: the scheduler has not started")
    _runner.run(source_id)


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
        """Now for a source never harvested (if so set), else its next fire time."""
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
